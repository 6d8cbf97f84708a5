//! Lambda target groups (the Lattice fixture's): the qualified-ARN, invoke-permission and
//! provisioned-concurrency checks. The ALB versions are in `alb_lambda.rs`.

use super::{command, lattice, line, plan_fails, REST};

#[test]
fn an_unqualified_canary_function_fails() {
    let route = lattice("pf-lam-unq", &["--broken-canary", "unqualified"]);
    let failed = plan_fails(&route, "pf-lam-unq", "lambda-qualified-arn");
    assert!(
        failed.contains(
            "registers arn:aws:lambda:us-east-1:123456789012:function:pf-lam-unq-canary-fn, \
             which runs $LATEST (a moving target); register an alias or version ARN instead"
        ),
        "{failed}"
    );
}

#[test]
fn a_canary_function_lattice_may_not_invoke_fails() {
    let route = lattice("pf-lam-noperm", &["--broken-canary", "no-permission"]);
    let failed = plan_fails(&route, "pf-lam-noperm", "lambda-invoke-permission");
    assert!(
        failed.contains("pf-lam-noperm-canary-fn:live (the canary target group")
            && failed.contains("--principal vpc-lattice.amazonaws.com --source-arn"),
        "{failed}"
    );
}

#[test]
fn a_permission_without_source_arn_fails_as_a_confused_deputy() {
    let route = lattice("pf-lam-unscoped", &["--broken-canary", "unscoped"]);
    let failed = plan_fails(&route, "pf-lam-unscoped", "lambda-invoke-permission");
    assert!(
        failed.contains(
            "lets vpc-lattice.amazonaws.com invoke it without an `AWS:SourceArn` condition"
        ),
        "{failed}"
    );
}

const WARM: &str = "preflight:\n  warm_starts: true\n";

#[test]
fn warm_starts_need_provisioned_concurrency_ready() {
    let none = lattice("pf-pc-none", &[]);
    let ran = command(
        "plan",
        &none.playbook("pf-pc-none", &format!("{REST}{WARM}")),
        &[],
    );
    assert_eq!(ran.code(), Some(1));
    let failed = line(&ran.stdout(), "FAIL", "provisioned-concurrency");
    assert!(
        failed.contains("pf-pc-none-canary-fn:live has no provisioned concurrency; run `aws lambda put-provisioned-concurrency-config"),
        "{failed}"
    );

    let pending = lattice(
        "pf-pc-pending",
        &["--broken-canary", "provisioned=IN_PROGRESS"],
    );
    let ran = command(
        "plan",
        &pending.playbook("pf-pc-pending", &format!("{REST}{WARM}")),
        &[],
    );
    assert_eq!(ran.code(), Some(1));
    let failed = line(&ran.stdout(), "FAIL", "provisioned-concurrency");
    assert!(
        failed.contains("provisioned concurrency is IN_PROGRESS, not READY"),
        "{failed}"
    );

    let ready = lattice("pf-pc-ready", &["--broken-canary", "provisioned=READY"]);
    let ran = command(
        "plan",
        &ready.playbook("pf-pc-ready", &format!("{REST}{WARM}")),
        &[],
    );
    assert_eq!(ran.code(), Some(0), "{}", ran.stdout());
    let passed = line(&ran.stdout(), "PASS", "provisioned-concurrency");
    assert!(
        passed.contains("provisioned concurrency READY (2 allocated)"),
        "{passed}"
    );
}
