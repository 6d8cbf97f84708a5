//! The preflight over real HTTP: for each check, the broken condition built in the emulator and
//! the message `plan` prints for it (exit 1), a passing `plan` on a healthy ALB and Lattice
//! route, and `run` and `advance` refusing before their first step with nothing written or saved.
//! The helpers every file shares are here: fixtures, running the binary, reading its output and
//! reading the weights back.

mod advance;
mod alb_foreign;
mod alb_lambda;
mod alias;
mod alias_versions;
mod forecast;
mod health;
mod lambda;
mod lattice_foreign;
mod routes;

use crate::emulator::{deploy_command, endpoint, repo_root, sdk_config, DemoAlb, DemoLattice};
use crate::route_fixture::RouteFixture;
use canary_deploy::aws::Clients;
use std::path::PathBuf;
use std::process::{Command, Output};

pub const REST: &str =
    "steps:\n  canary: [10, 50]\n  bake: 1m\nchecks:\n  - error_rate: { max_percent: 1 }\n";

/// Runs a fixture script of `localstack/` with extra arguments, and parses its JSON.
pub fn fixture<T: serde::de::DeserializeOwned>(script: &str, args: &[&str]) -> T {
    let python = repo_root().join("localstack/.venv/bin/python");
    let output = Command::new(&python)
        .arg(repo_root().join("localstack").join(script))
        .args(["--endpoint-url", endpoint()])
        .args(args)
        .output()
        .expect("run the fixture script");
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the fixture prints JSON")
}

pub fn alb(prefix: &str, args: &[&str]) -> DemoAlb {
    let mut all = vec!["--prefix", prefix];
    all.extend(args);
    fixture("make_alb.py", &all)
}

pub fn lattice(prefix: &str, args: &[&str]) -> DemoLattice {
    let mut all = vec!["--prefix", prefix];
    all.extend(args);
    fixture("make_lattice.py", &all)
}

/// `canary-deploy <command> <playbook text> [args]` in a fresh state directory.
pub struct Ran {
    pub output: Output,
    pub state: tempfile::TempDir,
}

impl Ran {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).to_string()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).to_string()
    }
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
}

pub fn command(command: &str, playbook: &str, args: &[&str]) -> Ran {
    let state = tempfile::tempdir().expect("state dir");
    let path: PathBuf = state.path().join("playbook.yaml");
    std::fs::write(&path, playbook).expect("write the playbook");
    let records = state.path().join("records");
    let output = deploy_command(command, &path, endpoint(), &records)
        .args(args)
        .output()
        .expect("run canary-deploy");
    Ran { output, state }
}

/// The line of `plan`'s output for one check: "  FAIL name: …".
pub fn line(stdout: &str, outcome: &str, name: &str) -> String {
    let prefix = format!("  {outcome} {name}: ");
    stdout
        .lines()
        .find(|l| l.starts_with(&prefix))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{stdout}"))
}

/// `plan` on `route` with [`REST`]: asserts it exits 1 and returns the FAIL line of `name`.
pub fn plan_fails(route: &dyn RouteFixture, playbook: &str, name: &str) -> String {
    let ran = command("plan", &route.playbook(playbook, REST), &[]);
    assert_eq!(ran.code(), Some(1), "{}\n{}", ran.stdout(), ran.stderr());
    line(&ran.stdout(), "FAIL", name)
}

/// Clients on the emulator (to build a broken condition, or read the weights back).
pub async fn clients() -> Clients {
    Clients::new(&sdk_config().await)
}

/// The (target group ARN, weight) pairs of the ALB listener's default forward action.
pub async fn alb_weights(clients: &Clients, listener_arn: &str) -> Vec<(String, i32)> {
    let out = clients
        .elbv2
        .describe_listeners()
        .listener_arns(listener_arn)
        .send()
        .await
        .expect("describe the listener");
    let listener = out.listeners().first().expect("the listener").clone();
    let action = listener
        .default_actions()
        .first()
        .expect("a default action");
    let forward = action.forward_config().expect("a forward config");
    forward
        .target_groups()
        .iter()
        .map(|t| {
            let arn = t
                .target_group_arn()
                .expect("a target group ARN")
                .to_string();
            (arn, t.weight().unwrap_or(1))
        })
        .collect()
}

/// How many records `ran` saved in its state directory.
pub fn records_saved(ran: &Ran) -> usize {
    let records = ran.state.path().join("records");
    std::fs::read_dir(&records).map(|d| d.count()).unwrap_or(0)
}
