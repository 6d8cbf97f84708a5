//! The policy of playbooks as a user writes them: which actions, on which resources, exact or
//! by pattern, and the JSON it prints.

use super::*;
use crate::traffic::{ResolvedAlb, ResolvedRoute};

const STEPS: &str = "steps:\n  canary: [10, 100]\n  bake: 1m\n";
const LB: &str = "arn:aws:elasticloadbalancing:eu-west-1:111122223333";
const LISTENER: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE: &str = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
const SVC: &str = "arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0";

fn plan(route: &str, checks: &str) -> Plan {
    let text = format!("name: p\nroute:\n{route}{STEPS}{checks}");
    match crate::playbook::parse(&text, "p.yaml") {
        Ok(validated) => validated.plan,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn alb(target: &str) -> String {
    format!("  alb:\n    {target}\n    stable: {LB}:targetgroup/blue/1a2b\n    canary: green\n")
}

fn generated(plan: &Plan, store: RecordStore) -> Generated {
    policy(plan, None, store)
}

fn statement<'a>(policy: &'a Policy, sid: &str) -> &'a Statement {
    policy
        .statements
        .iter()
        .find(|s| s.sid == sid)
        .unwrap_or_else(|| panic!("no {sid} in {policy:#?}"))
}

#[test]
fn an_alb_rule_by_arn_is_exact_and_describes_on_star() {
    let plan = plan(
        &alb(&format!("rule: {RULE}")),
        "checks:\n  - error_rate: { max_percent: 1 }\n",
    );
    let out = generated(&plan, RecordStore::Tags);
    // Only the functions behind the target groups are unknown until `--resolve`.
    assert_eq!(
        out.patterns,
        ["arn:aws:lambda:eu-west-1:111122223333:function:*"]
    );
    let p = &out.policy;
    let resolve = statement(p, "ResolveRoute");
    assert_eq!(
        resolve.actions,
        [
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups"
        ]
    );
    assert_eq!(resolve.resources, ["*"]);
    assert_eq!(
        statement(p, "WriteWeights").actions,
        ["elasticloadbalancing:ModifyRule"]
    );
    assert_eq!(statement(p, "WriteWeights").resources, [RULE]);
    let tags = statement(p, "WriteDeploymentRecord");
    assert_eq!(
        tags.actions,
        [
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags"
        ]
    );
    assert_eq!(tags.resources, [RULE]);
    assert_eq!(statement(p, "ReadDeploymentRecord").resources, ["*"]);
    assert_eq!(
        statement(p, "ReadMetrics").actions,
        ["cloudwatch:GetMetricData"]
    );
    assert_eq!(
        statement(p, "OperatorIdentity").actions,
        ["sts:GetCallerIdentity"]
    );
    assert!(!p.actions().contains("cloudwatch:DescribeAlarms"));
    assert!(!p.actions().contains("elasticloadbalancing:ModifyListener"));
}

#[test]
fn an_alb_listener_by_name_is_a_pattern_on_its_load_balancer() {
    let plan = plan(&alb("load_balancer: shop\n    port: 443"), "");
    let out = generated(&plan, RecordStore::Tags);
    let listener = "arn:aws:elasticloadbalancing:*:*:listener/app/shop/*";
    let functions = "arn:aws:lambda:*:*:function:*";
    let ticks = "arn:aws:scheduler:*:*:schedule/default/canary-deploy-p.tick";
    assert_eq!(out.patterns, [listener, functions, ticks]);
    let p = &out.policy;
    assert_eq!(
        statement(p, "ResolveRoute").actions,
        [
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeTargetGroups"
        ]
    );
    assert_eq!(
        statement(p, "WriteWeights").actions,
        ["elasticloadbalancing:ModifyListener"]
    );
    assert!(p.allows("elasticloadbalancing:ModifyListener", LISTENER));
    assert!(!p.allows("elasticloadbalancing:ModifyRule", RULE));
    // No checks: no CloudWatch at all.
    assert!(!p.actions().iter().any(|a| a.starts_with("cloudwatch:")));
}

#[test]
fn resolving_replaces_patterns_with_the_arns() {
    let plan = plan(
        &alb("load_balancer: shop\n    port: 443\n    priority: 10"),
        "",
    );
    let route = ResolvedRoute::Alb(ResolvedAlb {
        load_balancer_arn: format!("{LB}:loadbalancer/app/shop/50dc6c495c0c9188"),
        listener_arn: LISTENER.into(),
        rule_arn: Some(RULE.into()),
        stable_arn: format!("{LB}:targetgroup/blue/1a2b"),
        canary_arn: format!("{LB}:targetgroup/green/3c4d"),
        stable_is_lambda: false,
        canary_is_lambda: false,
    });
    let resolved = Resolved {
        route,
        functions: Vec::new(),
    };
    let out = policy(&plan, Some(&resolved), RecordStore::Tags);
    assert!(out.patterns.is_empty(), "{:?}", out.patterns);
    // No Lambda function behind the target groups: no Lambda call at all.
    assert!(!out
        .policy
        .actions()
        .iter()
        .any(|a| a.starts_with("lambda:")));
    assert_eq!(statement(&out.policy, "WriteWeights").resources, [RULE]);
    assert!(out
        .policy
        .actions()
        .contains("elasticloadbalancing:DescribeListeners"));
}

#[test]
fn state_dir_needs_no_tag_actions() {
    let plan = plan(&alb(&format!("listener: {LISTENER}")), "");
    let p = generated(&plan, RecordStore::Files).policy;
    assert!(p
        .statements
        .iter()
        .all(|s| !s.sid.contains("DeploymentRecord")));
    assert!(!p.actions().contains("elasticloadbalancing:DescribeTags"));
}

#[test]
fn alarms_are_scoped_to_their_arns_in_the_routes_region_and_account() {
    let checks = "checks:\n  - alarms: [checkout-5xx, checkout-p99]\n";
    let p = generated(
        &plan(&alb(&format!("rule: {RULE}")), checks),
        RecordStore::Tags,
    )
    .policy;
    assert_eq!(
        statement(&p, "ReadAlarms").resources,
        [
            "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-5xx",
            "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-p99"
        ]
    );
    // Only alarms: no metric query, so no GetMetricData.
    assert!(!p.actions().contains("cloudwatch:GetMetricData"));
}

#[test]
fn a_lattice_rule_by_arn_gets_the_rule_and_its_target_groups_by_id() {
    let rule = format!("{SVC}/listener/listener-0123456789abcdef1/rule/rule-0123456789abcdef2");
    let route = format!(
        "  lattice:\n    rule: {rule}\n    stable: tg-0123456789abcdef3\n    canary: tg-0123456789abcdef4\n"
    );
    let out = generated(&plan(&route, ""), RecordStore::Tags);
    assert_eq!(
        out.patterns,
        ["arn:aws:lambda:us-east-1:111122223333:function:*"]
    );
    let p = &out.policy;
    assert_eq!(statement(p, "ReadRule").resources, [rule.as_str()]);
    assert_eq!(
        statement(p, "WriteWeights").actions,
        ["vpc-lattice:UpdateRule"]
    );
    assert_eq!(statement(p, "WriteWeights").resources, [rule.as_str()]);
    assert_eq!(
        statement(p, "ReadTargetGroups").resources,
        [
            "arn:aws:vpc-lattice:us-east-1:111122223333:targetgroup/tg-0123456789abcdef3",
            "arn:aws:vpc-lattice:us-east-1:111122223333:targetgroup/tg-0123456789abcdef4"
        ]
    );
    assert_eq!(
        statement(p, "WriteDeploymentRecord").actions,
        ["vpc-lattice:TagResource", "vpc-lattice:UntagResource"]
    );
    assert_eq!(statement(p, "ReadDeploymentRecord").resources, ["*"]);
    for absent in [
        "vpc-lattice:GetListener",
        "vpc-lattice:GetService",
        "vpc-lattice:ListRules",
    ] {
        assert!(!p.actions().contains(absent), "{absent}");
    }
}

#[test]
fn a_lattice_listener_by_name_lists_and_is_a_pattern() {
    let route =
        "  lattice:\n    service: checkout\n    listener: https\n    stable: checkout-v1\n    canary: checkout-v2\n";
    let out = generated(&plan(route, ""), RecordStore::Tags);
    let listener = "arn:aws:vpc-lattice:*:*:service/*/listener/*";
    let target_groups = "arn:aws:vpc-lattice:*:*:targetgroup/*";
    let functions = "arn:aws:lambda:*:*:function:*";
    let ticks = "arn:aws:scheduler:*:*:schedule/default/canary-deploy-p.tick";
    assert_eq!(out.patterns, [functions, ticks, listener, target_groups]);
    let p = &out.policy;
    // Preflight gets the target groups and lists their targets.
    assert_eq!(
        statement(p, "ReadTargetGroups").actions,
        ["vpc-lattice:GetTargetGroup", "vpc-lattice:ListTargets"]
    );
    assert_eq!(
        statement(p, "ResolveRoute").actions,
        [
            "vpc-lattice:ListListeners",
            "vpc-lattice:ListServices",
            "vpc-lattice:ListTargetGroups"
        ]
    );
    assert_eq!(statement(p, "ReadListener").resources, [listener]);
    assert_eq!(
        statement(p, "WriteWeights").actions,
        ["vpc-lattice:UpdateListener"]
    );
}

#[test]
fn the_json_is_stable_and_in_aws_spelling() {
    let plan = plan(&alb(&format!("rule: {RULE}")), "");
    let a = serde_json::to_string_pretty(&generated(&plan, RecordStore::Tags).policy).unwrap();
    let b = serde_json::to_string_pretty(&generated(&plan, RecordStore::Tags).policy).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"ResolveRoute\""), "{a}");
    let sids: Vec<String> = generated(&plan, RecordStore::Tags)
        .policy
        .statements
        .into_iter()
        .map(|s| s.sid)
        .collect();
    assert_eq!(
        sids,
        [
            "ResolveRoute",
            "Preflight",
            "Preflight2",
            "WriteWeights",
            "ReadDeploymentRecord",
            "WriteDeploymentRecord",
            "ReadTickSchedule",
            "OperatorIdentity"
        ]
    );
}

#[path = "tests_lambda.rs"]
mod lambda;

#[test]
fn notifications_to_a_topic_may_publish_to_it_alone() {
    let yaml = "name: shop\nroute:\n  alb:\n    rule: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 100]\n  bake: 1m\nnotify:\n  - sns: arn:aws:sns:us-east-1:123456789012:deploys\n  - webhook: { url_env: HOOK }\n";
    let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
    let generated = super::policy(&plan, None, super::RecordStore::Tags);
    let topic = "arn:aws:sns:us-east-1:123456789012:deploys";
    assert!(generated.policy.allows("sns:Publish", topic));
    assert!(generated.runner.allows("sns:Publish", topic));
    assert!(!generated
        .policy
        .allows("sns:Publish", "arn:aws:sns:us-east-1:123456789012:other"));
}
