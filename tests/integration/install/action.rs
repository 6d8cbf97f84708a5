//! The GitHub Action's install, as action.yml runs it: .github/action/prepare.sh, then
//! .github/action/install.sh with prepare's outputs. A fake `cargo` first on PATH records
//! every call, so each test can tell whether the action built anything and how. The releases
//! are found as the action finds them on GitHub: under GITHUB_SERVER_URL/<action repository>.

use super::fixtures::{
    archive_name, printed, repo_root, served, sha256_hex, version_of, Releases, Server, REPOSITORY,
    VERSION,
};
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output};
use tempfile::TempDir;

const FAKE_CARGO: &str = r#"#!/bin/sh
# Stands in for cargo: records its arguments; when FAKE_CARGO_BINARY is set, puts that binary
# where `cargo install --root ROOT` would, else fails.
printf '%s\n' "$*" >>"$FAKE_CARGO_LOG"
[ -n "${FAKE_CARGO_BINARY:-}" ] || { echo "fake cargo: this test builds nothing" >&2; exit 101; }
root=""
while [ "$#" -gt 0 ]; do
  if [ "$1" = --root ]; then root=$2; fi
  shift
done
mkdir -p "$root/bin" && cp "$FAKE_CARGO_BINARY" "$root/bin/canary-deploy"
"#;

/// One job's runner: its HOME, the files GitHub gives a step, and the fake cargo.
struct Runner {
    home: TempDir,
    fake_bin: PathBuf,
    cargo_log: PathBuf,
    github_output: PathBuf,
    github_path: PathBuf,
}

impl Runner {
    fn new() -> Self {
        let home = tempfile::tempdir().expect("temp home");
        let fake_bin = home.path().join("fake-bin");
        std::fs::create_dir_all(&fake_bin).expect("create the fake bin directory");
        let cargo = fake_bin.join("cargo");
        std::fs::write(&cargo, FAKE_CARGO).expect("write the fake cargo");
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755))
            .expect("make the fake cargo executable");
        Runner {
            cargo_log: home.path().join("cargo.log"),
            github_output: home.path().join("github-output"),
            github_path: home.path().join("github-path"),
            fake_bin,
            home,
        }
    }

    fn root(&self) -> PathBuf {
        self.home.path().join(".canary-deploy")
    }

    fn script(&self, name: &str) -> Command {
        let path = format!(
            "{}:{}",
            self.fake_bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("bash");
        command
            .arg(repo_root().join(".github/action").join(name))
            .env("PATH", path)
            .env("HOME", self.home.path())
            .env("ACTION_PATH", repo_root())
            .env("GITHUB_OUTPUT", &self.github_output)
            .env("GITHUB_PATH", &self.github_path)
            .env("FAKE_CARGO_LOG", &self.cargo_log)
            .env_remove("CANARY_DEPLOY_RELEASES_URL")
            .env_remove("FAKE_CARGO_BINARY");
        command
    }

    /// prepare.sh for `uses: ...@<action_ref>` with the `version` input; its outputs.
    fn prepare(&self, action_ref: &str, input_version: &str) -> HashMap<String, String> {
        let _ = std::fs::remove_file(&self.github_output);
        let output = self
            .script("prepare.sh")
            .env("ACTION_REF", action_ref)
            .env("INPUT_VERSION", input_version)
            .output()
            .expect("run prepare.sh");
        assert!(output.status.success(), "{}", printed(&output));
        std::fs::read_to_string(&self.github_output)
            .expect("prepare.sh wrote GITHUB_OUTPUT")
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// install.sh with prepare's outputs, the releases served by `server` (none: a server
    /// that is not there), and a fake cargo that builds only when `cargo_builds`.
    fn install(
        &self,
        prepared: &HashMap<String, String>,
        server: &Server,
        cached: bool,
        cargo_builds: bool,
    ) -> Output {
        let mut command = self.script("install.sh");
        command
            .env("GITHUB_SERVER_URL", server.url())
            .env("ACTION_REPOSITORY", REPOSITORY)
            .env("VERSION", &prepared["version"])
            .env("FALLBACK", &prepared["fallback"])
            .env("ROOT", &prepared["root"])
            .env("CACHED", if cached { "true" } else { "" });
        if cargo_builds {
            command.env("FAKE_CARGO_BINARY", env!("CARGO_BIN_EXE_canary-deploy"));
        }
        command.output().expect("run install.sh")
    }

    /// Each cargo call's arguments.
    fn cargo_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.cargo_log)
            .map(|log| log.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    fn assert_installed(&self, output: &Output) {
        assert_eq!(output.status.code(), Some(0), "{}", printed(output));
        let bin = self.root().join("bin");
        assert_eq!(
            version_of(&bin.join("canary-deploy")),
            format!("canary-deploy {VERSION}")
        );
        let github_path = std::fs::read_to_string(&self.github_path).expect("read GITHUB_PATH");
        assert_eq!(github_path.trim(), bin.to_str().expect("utf-8 path"));
    }
}

fn cargo_install_path(runner: &Runner) -> String {
    let action = repo_root();
    format!(
        "install --path {} --locked --bin canary-deploy --root {} --target-dir {}",
        action.display(),
        runner.root().display(),
        action.join("target").display()
    )
}

#[test]
fn the_action_installs_the_release_of_its_own_tag_without_cargo() {
    let (_releases, server) = served();
    let runner = Runner::new();

    let prepared = runner.prepare(&format!("v{VERSION}"), "");
    assert_eq!(prepared["version"], VERSION);
    assert_eq!(prepared["fallback"], "source");
    assert_eq!(prepared["key"], format!("release-{VERSION}"));
    assert_eq!(
        prepared["root"],
        runner.root().to_str().expect("utf-8 path")
    );

    let output = runner.install(&prepared, &server, false, false);
    runner.assert_installed(&output);
    assert_eq!(
        runner.cargo_calls(),
        Vec::<String>::new(),
        "{}",
        printed(&output)
    );
    let archive = format!("/v{VERSION}/{}.tar.gz ", archive_name(VERSION));
    assert!(
        server.requests().iter().any(|line| line.contains(&archive)),
        "the release archive was not downloaded: {:?}",
        server.requests()
    );
}

#[test]
fn without_a_release_binary_the_action_builds_its_own_source() {
    let releases = Releases::none();
    let server = Server::start(releases.root.path());
    let runner = Runner::new();

    let prepared = runner.prepare(&format!("v{VERSION}"), "");
    let output = runner.install(&prepared, &server, false, true);

    runner.assert_installed(&output);
    assert_eq!(runner.cargo_calls(), [cargo_install_path(&runner)]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!(
            "::notice title=canary-deploy install::no release binary of canary-deploy {VERSION}"
        )),
        "{}",
        printed(&output)
    );
}

#[test]
fn without_a_release_binary_the_version_input_is_built_from_crates_io() {
    let releases = Releases::none();
    let server = Server::start(releases.root.path());
    let runner = Runner::new();

    let prepared = runner.prepare("main", VERSION);
    assert_eq!(prepared["version"], VERSION);
    assert_eq!(prepared["fallback"], "crate");
    let output = runner.install(&prepared, &server, false, true);

    runner.assert_installed(&output);
    assert_eq!(
        runner.cargo_calls(),
        [format!(
            "install canary-deploy --version {VERSION} --locked --bin canary-deploy --root {} --target-dir {}",
            runner.root().display(),
            repo_root().join("target").display()
        )]
    );
}

#[test]
fn a_ref_that_names_no_release_builds_the_source_without_downloading() {
    let (_releases, server) = served();
    let runner = Runner::new();

    // A branch, a commit, a major-version tag and `uses: ./` (no ref) name no release.
    for action_ref in ["main", "0123456789abcdef0123456789abcdef01234567", "v1", ""] {
        let prepared = runner.prepare(action_ref, "");
        assert_eq!(prepared["version"], "", "ref {action_ref:?}");
        assert!(
            prepared["key"].starts_with("source-") && prepared["key"].len() == 39,
            "ref {action_ref:?}: key {}",
            prepared["key"]
        );
    }
    let prepared = runner.prepare("main", "");
    let output = runner.install(&prepared, &server, false, true);

    runner.assert_installed(&output);
    assert_eq!(runner.cargo_calls(), [cargo_install_path(&runner)]);
    assert_eq!(server.requests(), Vec::<String>::new());
}

#[test]
fn the_action_fails_on_a_wrong_checksum_instead_of_building() {
    let (releases, _) = Releases::with_binary();
    releases.write_checksum(&sha256_hex(b"not the archive"));
    let server = Server::start(releases.root.path());
    let runner = Runner::new();

    let prepared = runner.prepare(&format!("v{VERSION}"), "");
    let output = runner.install(&prepared, &server, false, true);

    assert_eq!(output.status.code(), Some(1), "{}", printed(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("checksum mismatch"),
        "{}",
        printed(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!(
            "::error title=canary-deploy install::downloading release {VERSION} failed"
        )),
        "{}",
        printed(&output)
    );
    assert_eq!(runner.cargo_calls(), Vec::<String>::new());
    assert!(!runner.root().join("bin/canary-deploy").exists());
}

#[test]
fn a_cached_binary_is_neither_downloaded_nor_built() {
    let (_releases, server) = served();
    let runner = Runner::new();
    let bin = runner.root().join("bin");
    std::fs::create_dir_all(&bin).expect("create the cached bin directory");
    std::fs::copy(
        env!("CARGO_BIN_EXE_canary-deploy"),
        bin.join("canary-deploy"),
    )
    .expect("restore the binary");

    let prepared = runner.prepare(&format!("v{VERSION}"), "");
    let output = runner.install(&prepared, &server, true, false);

    runner.assert_installed(&output);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("restored from the cache"),
        "{}",
        printed(&output)
    );
    assert_eq!(runner.cargo_calls(), Vec::<String>::new());
    assert_eq!(server.requests(), Vec::<String>::new());
}
