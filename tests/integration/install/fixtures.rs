//! A release of the binary under test, as the release workflow publishes it, and a local HTTP
//! server (python3's http.server, on 127.0.0.1) that serves it at the paths GitHub uses. The
//! server is a child process, killed when the test drops it; without python3 the tests fail and
//! say so.

use flate2::{write::GzEncoder, Compression};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The version under test: the release the fixtures publish.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The repository the server serves releases of (as `github.action_repository` names it).
pub const REPOSITORY: &str = "canary-deploy/canary-deploy";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target triple install.sh picks on this machine (Linux releases are musl ones).
pub fn target() -> String {
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        other => panic!("install.sh has no release binary for the CPU {other}"),
    };
    match std::env::consts::OS {
        "linux" => format!("{cpu}-unknown-linux-musl"),
        "macos" => format!("{cpu}-apple-darwin"),
        other => panic!("install.sh has no release binary for {other}"),
    }
}

/// The release archive's name, without `.tar.gz`.
pub fn archive_name(version: &str) -> String {
    format!("canary-deploy-{version}-{}", target())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A directory laid out as `<REPOSITORY>/releases/`: `download/v<version>/<archive>.tar.gz`
/// and its `.sha256`, and `latest`, which names the newest version (GitHub redirects there).
pub struct Releases {
    pub root: TempDir,
}

impl Releases {
    /// No release at all.
    pub fn none() -> Self {
        let root = tempfile::tempdir().expect("temp dir for the releases");
        std::fs::create_dir_all(root.path().join(REPOSITORY).join("releases/download"))
            .expect("create the releases directory");
        Releases { root }
    }

    /// Release [`VERSION`] for this machine: the binary under test, LICENSE and README.md in
    /// `<archive>/`, as the release workflow packs them. Returns the releases and the archive's
    /// SHA-256.
    pub fn with_binary() -> (Self, String) {
        let releases = Self::none();
        let name = archive_name(VERSION);
        let staging = releases.root.path().join("staging").join(&name);
        std::fs::create_dir_all(&staging).expect("create the staging directory");
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_canary-deploy"),
            staging.join("canary-deploy"),
        )
        .expect("link the binary into the staging directory");
        for file in ["LICENSE", "README.md"] {
            std::fs::copy(repo_root().join(file), staging.join(file))
                .unwrap_or_else(|e| panic!("copy {file}: {e}"));
        }
        // tar follows the link (-h); the fastest gzip level keeps the debug binary's archive quick.
        let tar = Command::new("tar")
            .arg("-chf")
            .arg("-")
            .arg("-C")
            .arg(staging.parent().expect("staging has a parent"))
            .arg(&name)
            .output()
            .expect("run tar");
        assert!(
            tar.status.success(),
            "tar: {}",
            String::from_utf8_lossy(&tar.stderr)
        );
        let mut gzip = GzEncoder::new(Vec::new(), Compression::fast());
        gzip.write_all(&tar.stdout).expect("gzip the archive");
        let archive = gzip.finish().expect("gzip the archive");
        let digest = sha256_hex(&archive);

        let dir = releases.version_dir(VERSION);
        std::fs::create_dir_all(&dir).expect("create the release directory");
        std::fs::write(dir.join(format!("{name}.tar.gz")), &archive).expect("write the archive");
        releases.write_checksum(&digest);
        std::fs::write(
            releases.releases_dir().join("latest"),
            format!("v{VERSION}\n"),
        )
        .expect("write latest");
        std::fs::remove_dir_all(releases.root.path().join("staging")).expect("remove the staging");
        (releases, digest)
    }

    fn releases_dir(&self) -> PathBuf {
        self.root.path().join(REPOSITORY).join("releases")
    }

    fn version_dir(&self, version: &str) -> PathBuf {
        self.releases_dir()
            .join("download")
            .join(format!("v{version}"))
    }

    /// Writes `digest` as the checksum of [`VERSION`]'s archive, as `shasum -a 256` prints it.
    pub fn write_checksum(&self, digest: &str) {
        let name = archive_name(VERSION);
        std::fs::write(
            self.version_dir(VERSION)
                .join(format!("{name}.tar.gz.sha256")),
            format!("{digest}  {name}.tar.gz\n"),
        )
        .expect("write the checksum");
    }
}

/// `python3 -m http.server` serving a directory on a free port of 127.0.0.1. Its request log is
/// kept, so a test can tell whether something was downloaded.
/// A release of the locally built binary, served: kept alive while both are held.
pub fn served() -> (Releases, Server) {
    let (releases, _) = Releases::with_binary();
    let server = Server::start(releases.root.path());
    (releases, server)
}

pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
    _log_dir: TempDir,
}

impl Server {
    pub fn start(root: &Path) -> Self {
        let log_dir = tempfile::tempdir().expect("temp dir for the server log");
        let log = log_dir.path().join("requests.log");
        // A free port can be taken between the probe and python's bind: try a few.
        let mut last_failure = String::new();
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new("python3")
                .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1"])
                .arg("--directory")
                .arg(root)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(File::create(&log).expect("create the server log"))
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("the install tests serve a release with `python3 -m http.server`: cannot run python3: {e}")
                });
            match wait_until_listening(&mut child, port) {
                Ok(()) => {
                    return Server {
                        child,
                        port,
                        log,
                        _log_dir: log_dir,
                    }
                }
                Err(reason) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let output = std::fs::read_to_string(&log).unwrap_or_default();
                    last_failure = format!("{reason}:\n{output}");
                }
            }
        }
        panic!("the local HTTP server did not start: {last_failure}");
    }

    /// Where the repository's release files are, as install.sh's CANARY_DEPLOY_RELEASES_URL.
    pub fn releases_url(&self) -> String {
        format!("{}/{REPOSITORY}/releases/download", self.url())
    }

    /// As GITHUB_SERVER_URL: the repository's releases are under `<url>/<owner>/<repo>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The request lines the server logged so far.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .expect("read the server log")
            .lines()
            .filter(|line| line.contains("\"GET "))
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free local port");
    listener.local_addr().expect("local address").port()
}

fn wait_until_listening(child: &mut Child, port: u16) -> Result<(), String> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("python3 -m http.server exited ({status})"));
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nothing answered on port {port} within 20 s"))
}

/// The files in `dir` (none when it does not exist).
pub fn entries(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .map(|entry| {
            entry
                .expect("read a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// What a run printed, for assertion messages.
pub fn printed(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `canary-deploy --version` of the binary at `path`.
pub fn version_of(path: &Path) -> String {
    let output = Command::new(path)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", path.display()));
    assert!(output.status.success(), "{}", printed(&output));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}
