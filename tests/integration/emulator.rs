//! Starts the local AWS emulator once per test binary and hands out SDK configuration and
//! fixtures. The emulator runs on a port of its own and exits by itself when this process ends
//! (`--parent-pid`), so a test run never leaves a server behind and never uses a developer's
//! emulator on 4566. If it cannot start, the tests fail with the reason: they never skip.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_elasticloadbalancingv2::config::Credentials;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The emulator's endpoint URL, starting it on first use.
pub fn endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(start_emulator)
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free local port");
    listener.local_addr().expect("local address").port()
}

fn start_emulator() -> String {
    let port = free_port();
    let script = repo_root().join("localstack/start");
    let output = Command::new(&script)
        .args(["--port", &port.to_string()])
        .args(["--parent-pid", &std::process::id().to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "the local AWS emulator did not start ({}):\n{}\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    format!("http://127.0.0.1:{port}")
}

/// `text`, which a test knows to be an ARN, as the plan carries it.
pub fn owned_arn(text: &str) -> canary_deploy::arn::OwnedArn {
    canary_deploy::arn::OwnedArn::parse(text).unwrap_or_else(|| panic!("{text} is an ARN"))
}

/// The `canary-deploy` binary with test credentials and region us-east-1.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canary-deploy"));
    command
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        // The emulator makes every save visible at once: a short lease settle is safe here.
        .env("CANARY_DEPLOY_LEASE_SETTLE", "200ms");
    command
}

/// `canary-deploy <args> --endpoint-url <endpoint>`, run from `cwd` (so no state file can be
/// found there).
pub fn canary_deploy_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    binary()
        .current_dir(cwd)
        .args(args)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy")
}

/// `canary-deploy <command> <playbook> --endpoint-url <endpoint> --state-dir <state>`.
pub fn deploy_command(command: &str, playbook: &Path, endpoint: &str, state: &Path) -> Command {
    let mut binary = binary();
    binary
        .arg(command)
        .arg(playbook)
        .args(["--endpoint-url", endpoint])
        .arg("--state-dir")
        .arg(state);
    binary
}

/// `run <playbook>` against the emulator with `--state-dir <state>`, started with its output
/// piped.
pub fn spawn_run(playbook: &Path, state: &Path) -> std::process::Child {
    deploy_command("run", playbook, endpoint(), state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start run")
}

/// SDK configuration pointing at the emulator, with test credentials and region us-east-1.
pub async fn sdk_config() -> SdkConfig {
    sdk_config_as("testing").await
}

/// [`sdk_config`] signing with the access key `key` (the emulator's faults and recordings are
/// per key).
pub async fn sdk_config_as(key: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(key, "testing", None, None, "tests"))
        .endpoint_url(endpoint())
        .load()
        .await
}

/// One load balancer with an HTTP:80 listener forwarding to `<prefix>-stable`, and the target
/// groups `<prefix>-stable` and `<prefix>-canary`.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoAlb {
    pub lb_arn: String,
    pub listener_arn: String,
    pub stable_arn: String,
    pub canary_arn: String,
    pub vpc_id: String,
}

impl DemoAlb {
    /// A playbook named `name` on this ALB's listener (stable and canary target groups by ARN),
    /// followed by `rest` (steps, analysis, checks).
    pub fn playbook(&self, name: &str, rest: &str) -> String {
        format!(
            "name: {name}\nroute:\n  alb:\n    listener: {}\n    stable: {}\n    canary: {}\n{rest}",
            self.listener_arn, self.stable_arn, self.canary_arn
        )
    }

    /// [`Self::playbook`] written to `<dir>/<name>.yaml`.
    pub fn playbook_file(&self, dir: &Path, name: &str, rest: &str) -> PathBuf {
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, self.playbook(name, rest)).expect("write the playbook");
        path
    }

    /// The canary's live weight in the listener's forward (0 when it is not in it).
    pub async fn canary_weight(&self) -> i32 {
        let client = aws_sdk_elasticloadbalancingv2::Client::new(&sdk_config().await);
        let out = client
            .describe_listeners()
            .listener_arns(&self.listener_arn)
            .send()
            .await
            .expect("describe the listener");
        out.listeners()[0]
            .default_actions()
            .iter()
            .filter_map(|a| a.forward_config())
            .flat_map(|f| f.target_groups())
            .filter(|g| g.target_group_arn() == Some(self.canary_arn.as_str()))
            .filter_map(|g| g.weight())
            .sum()
    }
}

/// Polls `done` every 250 ms until it holds, and returns how long that took; after `limit`,
/// fails naming `what` and what `explain` says of the state.
pub async fn wait_until(
    what: &str,
    limit: std::time::Duration,
    mut done: impl AsyncFnMut() -> bool,
    explain: impl AsyncFnOnce() -> String,
) -> std::time::Duration {
    let start = std::time::Instant::now();
    while !done().await {
        if start.elapsed() > limit {
            panic!("{what}: not within {limit:?}; {}", explain().await);
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    start.elapsed()
}

/// Creates a fresh [`DemoAlb`]; `prefix` must be unique per test (it names the load balancer).
pub async fn demo_alb(prefix: &str) -> DemoAlb {
    let endpoint = endpoint().to_string();
    let prefix = prefix.to_string();
    tokio::task::spawn_blocking(move || {
        let python = repo_root().join("localstack/.venv/bin/python");
        let output = Command::new(&python)
            .arg(repo_root().join("localstack/make_alb.py"))
            .args(["--endpoint-url", &endpoint, "--prefix", &prefix])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        assert!(
            output.status.success(),
            "make_alb.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("make_alb.py prints the fixture as JSON")
    })
    .await
    .expect("fixture task")
}

/// A fresh [`DemoAlb`] whose two target groups are of target type `lambda`, each with one
/// function alias registered (make_alb.py's `--lambda`); `prefix` as for [`demo_alb`].
pub async fn demo_alb_lambda(prefix: &str) -> DemoAlb {
    let args = vec![
        "--prefix".to_string(),
        prefix.to_string(),
        "--lambda".into(),
    ];
    python_fixture("make_alb.py", args).await
}

/// Runs a fixture script of `localstack/` with the emulator's virtualenv python against the
/// emulator, and deserialises the JSON it prints.
async fn python_fixture<T>(script: &'static str, args: Vec<String>) -> T
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let endpoint = endpoint().to_string();
    tokio::task::spawn_blocking(move || {
        let python = repo_root().join("localstack/.venv/bin/python");
        let output = Command::new(&python)
            .arg(repo_root().join("localstack").join(script))
            .args(["--endpoint-url", &endpoint])
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        assert!(
            output.status.success(),
            "{script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{script} prints the fixture as JSON: {e}"))
    })
    .await
    .expect("fixture task")
}

/// One VPC Lattice service `<prefix>` with listener `<prefix>-http` (HTTP:80), whose default
/// action forwards to target group `<prefix>-stable` (at weight 100, or at the weights asked
/// for with `<prefix>-canary`), and rule `<prefix>-rule` (priority 10, a path and a header
/// match) forwarding to `<prefix>-stable` at weight 100.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoLattice {
    pub service_arn: String,
    pub service_id: String,
    pub listener_arn: String,
    pub listener_id: String,
    pub rule_arn: String,
    pub rule_id: String,
    pub stable_arn: String,
    pub stable_id: String,
    pub canary_arn: String,
    pub canary_id: String,
}

impl DemoLattice {
    /// A playbook named `name` on this listener's default action (listener and target groups by
    /// ARN), followed by `rest` (steps, analysis, checks).
    pub fn playbook(&self, name: &str, rest: &str) -> String {
        self.route_playbook("listener", &self.listener_arn, name, rest)
    }

    /// A playbook named `name` on this rule (rule and target groups by ARN), then `rest`.
    pub fn playbook_on_rule(&self, name: &str, rest: &str) -> String {
        self.route_playbook("rule", &self.rule_arn, name, rest)
    }

    /// [`Self::playbook`] written to `<dir>/<name>.yaml`.
    pub fn playbook_file(&self, dir: &Path, name: &str, rest: &str) -> PathBuf {
        write_playbook(dir, name, &self.playbook(name, rest))
    }

    /// [`Self::playbook_on_rule`] written to `<dir>/<name>.yaml`.
    pub fn playbook_on_rule_file(&self, dir: &Path, name: &str, rest: &str) -> PathBuf {
        write_playbook(dir, name, &self.playbook_on_rule(name, rest))
    }

    fn route_playbook(&self, key: &str, arn: &str, name: &str, rest: &str) -> String {
        format!(
            "name: {name}\nroute:\n  lattice:\n    {key}: {arn}\n    stable: {}\n    canary: \
             {}\n{rest}",
            self.stable_arn, self.canary_arn
        )
    }
}

fn write_playbook(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text).expect("write the playbook");
    path
}

/// Creates a fresh [`DemoLattice`]; `prefix` must be unique per test and suit Lattice names
/// (3–40 characters of a-z, 0-9 and single hyphens). `weights` (stable, canary) puts both
/// target groups in the listener's default action at those weights.
pub async fn demo_lattice(prefix: &str, weights: Option<(u32, u32)>) -> DemoLattice {
    let mut args = vec!["--prefix".to_string(), prefix.to_string()];
    if let Some((stable, canary)) = weights {
        args.extend(["--weights".to_string(), format!("{stable},{canary}")]);
    }
    python_fixture("make_lattice.py", args).await
}

/// One Lambda function `<prefix>` (python, a zip) with published versions `1` and `2` (different
/// code) and alias `live` on version 1 without routing, and its IAM role `<prefix>-role`.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoLambda {
    pub function_arn: String,
    pub function_name: String,
    pub alias_arn: String,
    pub alias: String,
    pub stable_version: String,
    pub canary_version: String,
}

/// Creates a fresh [`DemoLambda`]; `prefix` must be unique per test and suit Lambda function
/// names (1–64 characters of letters, digits, `-` and `_`).
pub async fn demo_lambda(prefix: &str) -> DemoLambda {
    python_fixture(
        "make_lambda.py",
        vec!["--prefix".to_string(), prefix.to_string()],
    )
    .await
}
