//! ALB Lambda target groups (target type `lambda`, make_alb.py's `--lambda`): the
//! qualified-ARN and invoke-permission checks for `elasticloadbalancing.amazonaws.com`, on the
//! canary and on the stable side. The Lattice versions are in `lambda.rs`.

use super::{alb, command, line, plan_fails, REST};

const ELB: &str = "elasticloadbalancing.amazonaws.com";

#[test]
fn healthy_lambda_target_groups_pass_every_lambda_check() {
    let route = alb("pf-alb-fn-ok", &["--lambda"]);
    let ran = command("plan", &route.playbook("pf-alb-fn-ok", REST), &[]);
    assert_eq!(ran.code(), Some(0), "{}\n{}", ran.stdout(), ran.stderr());
    let out = ran.stdout();
    assert!(
        line(&out, "PASS", "lambda-qualified-arn").contains("pf-alb-fn-ok-canary-fn:live"),
        "{out}"
    );
    assert!(
        line(&out, "PASS", "lambda-invoke-permission")
            .contains(&format!("pf-alb-fn-ok-canary-fn:live lets {ELB} invoke it")),
        "{out}"
    );
    assert!(
        line(&out, "PASS", "canary-healthy-targets")
            .contains("has 1 registered (Lambda, no health checks) target(s)"),
        "{out}"
    );
}

#[test]
fn an_unqualified_canary_function_fails() {
    let route = alb(
        "pf-alb-fn-unq",
        &["--lambda", "--broken-canary", "unqualified"],
    );
    let failed = plan_fails(&route, "pf-alb-fn-unq", "lambda-qualified-arn");
    assert!(
        failed.contains(
            "canary target group pf-alb-fn-unq-canary registers \
             arn:aws:lambda:us-east-1:123456789012:function:pf-alb-fn-unq-canary-fn, which runs \
             $LATEST (a moving target); register an alias or version ARN instead"
        ),
        "{failed}"
    );
}

#[test]
fn a_canary_function_the_load_balancer_may_not_invoke_fails() {
    let route = alb(
        "pf-alb-fn-noperm",
        &["--lambda", "--broken-canary", "no-permission"],
    );
    let failed = plan_fails(&route, "pf-alb-fn-noperm", "lambda-invoke-permission");
    assert!(
        failed.contains(
            "pf-alb-fn-noperm-canary-fn:live (the canary target group pf-alb-fn-noperm-canary): \
             the function has no resource policy; run `aws lambda add-permission"
        ) && failed.contains(&format!(
            "--statement-id elb --action lambda:InvokeFunction --principal {ELB} --source-arn {}`",
            route.canary_arn
        )),
        "{failed}"
    );
}

#[test]
fn an_unscoped_permission_fails_as_a_confused_deputy() {
    let route = alb(
        "pf-alb-fn-unsc",
        &["--lambda", "--broken-canary", "unscoped"],
    );
    let failed = plan_fails(&route, "pf-alb-fn-unsc", "lambda-invoke-permission");
    assert!(
        failed.contains(&format!(
            "lets {ELB} invoke it without an `AWS:SourceArn` condition naming this target group"
        )),
        "{failed}"
    );
}

#[test]
fn the_stable_function_without_the_permission_fails_naming_the_stable_group() {
    let route = alb(
        "pf-alb-fn-stable",
        &["--lambda", "--broken-stable", "no-permission"],
    );
    let failed = plan_fails(&route, "pf-alb-fn-stable", "lambda-invoke-permission");
    assert!(
        failed.contains(
            "pf-alb-fn-stable-stable-fn:live (the stable target group pf-alb-fn-stable-stable): \
             the function has no resource policy"
        ) && failed.contains(&format!("--source-arn {}`", route.stable_arn)),
        "{failed}"
    );
    assert!(!failed.contains("canary target group"), "{failed}");
}
