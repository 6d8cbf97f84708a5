//! The common credential failures, each named with the command that fixes it, before any AWS
//! call: a profile that does not exist, no credentials at all, an SSO session to log in to, and
//! a route whose ARN is in another region than the client's. The binary runs with an empty
//! environment and its own AWS files, and no instance metadata (nothing leaves this machine).

use std::path::Path;
use std::process::{Command, Output};

const PLAYBOOK: &str = "name: p\nroute:\n  alb:\n    listener: \
    arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2\n    \
    stable: blue\n    canary: green\nsteps:\n  canary: [50]\n  bake: 1m\n";

/// `canary-deploy status <playbook>` with only `env` and the AWS files in `dir`.
fn status(dir: &Path, env: &[(&str, &str)]) -> Output {
    let playbook = dir.join("p.yaml");
    std::fs::write(&playbook, PLAYBOOK).expect("write playbook");
    Command::new(env!("CARGO_BIN_EXE_canary-deploy"))
        .arg("status")
        .arg(&playbook)
        .env_clear()
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        // Should a call be made after all, it goes nowhere.
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .expect("run canary-deploy")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

const CONFIG: &str = "[profile dev]\nregion = eu-west-1\n\n[profile sso-dev]\nregion = eu-west-1\n\
    sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Deployer\n\n\
    [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n";

#[test]
fn a_profile_that_does_not_exist_is_named_with_the_ones_that_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("config"), CONFIG).expect("write config");
    let output = status(dir.path(), &[("AWS_PROFILE", "prod")]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "the AWS profile `prod` does not exist in the AWS config or credentials files (the \
             profiles are: dev, sso-dev)"
        ),
        "{text}"
    );
    assert!(!text.contains("region"), "{text}");
}

#[test]
fn no_credentials_at_all_says_how_to_give_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = status(dir.path(), &[("AWS_REGION", "eu-west-1")]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{text}"
    );
}

#[test]
fn an_sso_profile_without_a_session_names_the_login_to_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("config"), CONFIG).expect("write config");
    let output = status(dir.path(), &[("AWS_PROFILE", "sso-dev")]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("run `aws sso login --profile sso-dev`"),
        "{text}"
    );
}

#[test]
fn a_route_in_another_region_is_refused_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let env = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let output = status(dir.path(), &env);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "the playbook's route is in eu-west-1 (arn:aws:elasticloadbalancing:eu-west-1:"
        ),
        "{text}"
    );
    assert!(
        text.contains("but the AWS region in use is us-east-1: pass --region eu-west-1"),
        "{text}"
    );
}
