//! install.sh as a user runs it: it installs the release binary and the binary runs; it refuses
//! a checksum mismatch without touching what was installed; it exits 3 for a release that does
//! not exist and 1 for a download that failed, so a caller knows when building is the answer.

use super::fixtures::{
    entries, free_port, printed, repo_root, served, sha256_hex, version_of, Releases, Server,
    VERSION,
};
use std::path::Path;
use std::process::{Command, Output};

/// A temporary HOME, and the `bin` directory in it to install to.
fn home_and_bin() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("temp home");
    let to = home.path().join("bin");
    (home, to)
}

/// `sh install.sh <args>` with the releases at `releases_url`, HOME at `home`, no CARGO_HOME.
fn install_sh(releases_url: &str, home: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg(repo_root().join("install.sh"))
        .args(args)
        .env("CANARY_DEPLOY_RELEASES_URL", releases_url)
        .env("HOME", home)
        .env_remove("CARGO_HOME")
        .output()
        .expect("run install.sh")
}

#[test]
fn install_sh_installs_the_release_binary_and_it_runs() {
    let (_releases, server) = served();
    let (home, to) = home_and_bin();

    let output = install_sh(
        &server.releases_url(),
        home.path(),
        &[
            "--version",
            VERSION,
            "--to",
            to.to_str().expect("utf-8 path"),
        ],
    );

    assert_eq!(output.status.code(), Some(0), "{}", printed(&output));
    let installed = to.join("canary-deploy");
    assert_eq!(version_of(&installed), format!("canary-deploy {VERSION}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("canary-deploy {VERSION}")) && stdout.contains("installed"),
        "{}",
        printed(&output)
    );
    // Installed by a rename: no staged file is left beside it.
    assert_eq!(entries(&to), ["canary-deploy"]);
}

#[test]
fn install_sh_installs_the_latest_release_to_the_default_directory() {
    let (_releases, server) = served();
    let home = tempfile::tempdir().expect("temp home");

    let output = install_sh(&server.releases_url(), home.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", printed(&output));
    let installed = home.path().join(".local/bin/canary-deploy");
    assert_eq!(version_of(&installed), format!("canary-deploy {VERSION}"));
    let latest = "\"GET /canary-deploy/canary-deploy/releases/latest ";
    assert!(
        server.requests().iter().any(|line| line.contains(latest)),
        "install.sh did not ask which release is the latest: {:?}",
        server.requests()
    );

    // With CARGO_HOME set, its bin/ is the default instead.
    let cargo_home = home.path().join("cargo");
    let output = Command::new("sh")
        .arg(repo_root().join("install.sh"))
        .env("CANARY_DEPLOY_RELEASES_URL", server.releases_url())
        .env("HOME", home.path())
        .env("CARGO_HOME", &cargo_home)
        .output()
        .expect("run install.sh");
    assert_eq!(output.status.code(), Some(0), "{}", printed(&output));
    assert_eq!(
        version_of(&cargo_home.join("bin/canary-deploy")),
        format!("canary-deploy {VERSION}")
    );
}

#[test]
fn a_wrong_checksum_is_refused_and_nothing_is_installed() {
    let (releases, digest) = Releases::with_binary();
    let wrong = sha256_hex(b"not the archive");
    releases.write_checksum(&wrong);
    let server = Server::start(releases.root.path());
    let home = tempfile::tempdir().expect("temp home");
    let to = home.path().join("bin");
    // An earlier install, which a refused download must leave as it is.
    std::fs::create_dir_all(&to).expect("create the install directory");
    std::fs::write(to.join("canary-deploy"), "the earlier install").expect("write a binary");

    let output = install_sh(
        &server.releases_url(),
        home.path(),
        &[
            "--version",
            VERSION,
            "--to",
            to.to_str().expect("utf-8 path"),
        ],
    );

    assert_eq!(output.status.code(), Some(1), "{}", printed(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("checksum mismatch")
            && stderr.contains(&format!("expected SHA-256 {wrong}"))
            && stderr.contains(&format!("got {digest}"))
            && stderr.contains("nothing installed"),
        "{}",
        printed(&output)
    );
    assert_eq!(entries(&to), ["canary-deploy"]);
    assert_eq!(
        std::fs::read_to_string(to.join("canary-deploy")).expect("read the earlier install"),
        "the earlier install"
    );
}

#[test]
fn a_missing_release_exits_with_three() {
    let (_releases, server) = served();
    let (home, to) = home_and_bin();

    let output = install_sh(
        &server.releases_url(),
        home.path(),
        &[
            "--version",
            "99.0.0",
            "--to",
            to.to_str().expect("utf-8 path"),
        ],
    );

    assert_eq!(output.status.code(), Some(3), "{}", printed(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("no release binary for canary-deploy 99.0.0"),
        "{}",
        printed(&output)
    );
    assert!(entries(&to).is_empty(), "installed {:?}", entries(&to));

    // No release at all: the latest is not there either.
    let none = Releases::none();
    let server = Server::start(none.root.path());
    let output = install_sh(
        &server.releases_url(),
        home.path(),
        &["--to", to.to_str().expect("utf-8 path")],
    );
    assert_eq!(output.status.code(), Some(3), "{}", printed(&output));
    assert!(entries(&to).is_empty(), "installed {:?}", entries(&to));
}

#[test]
fn a_failed_download_is_not_a_missing_release() {
    // Nothing listens on the port: the download fails, which must not read as "no release"
    // (the action would then build instead of reporting it).
    let url = format!("http://127.0.0.1:{}/o/r/releases/download", free_port());
    let home = tempfile::tempdir().expect("temp home");
    let to = home.path().join("bin");

    let output = install_sh(
        &url,
        home.path(),
        &[
            "--version",
            VERSION,
            "--to",
            to.to_str().expect("utf-8 path"),
        ],
    );

    assert_eq!(output.status.code(), Some(1), "{}", printed(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot download"),
        "{}",
        printed(&output)
    );
    assert!(entries(&to).is_empty(), "installed {:?}", entries(&to));
}

#[test]
fn install_sh_refuses_a_malformed_version() {
    let home = tempfile::tempdir().expect("temp home");
    let output = install_sh(
        "http://127.0.0.1:9/releases/download",
        home.path(),
        &["--version", "1.2"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", printed(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--version must be a release such as 0.2.0"),
        "{}",
        printed(&output)
    );
}
