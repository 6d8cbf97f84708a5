//! The Lambda grants: an alias route's own calls on the alias, its versions and its function,
//! and the preflight's calls on the functions behind target groups.

use super::*;
use crate::traffic::lambda_alias::ResolvedAlias;
use crate::traffic::{ResolvedAlb, ResolvedRoute};

const FUNCTION: &str = "arn:aws:lambda:eu-west-1:111122223333:function:checkout";
const LISTENER: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
const TG: &str = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup";

fn plan(route: &str, extra: &str) -> Plan {
    let text = format!("name: p\nroute:\n{route}steps:\n  canary: [10, 100]\n  bake: 1m\n{extra}");
    match crate::playbook::parse(&text, "p.yaml") {
        Ok(validated) => validated.plan,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn alias_route(function: &str, stable: &str) -> String {
    format!(
        "  lambda_alias:\n    function: {function}\n    alias: live\n    canary_version: '7'\n{stable}"
    )
}

fn resources<'a>(policy: &'a Policy, sid: &str) -> &'a [String] {
    match policy.statements.iter().find(|s| s.sid == sid) {
        Some(statement) => &statement.resources,
        None => panic!("no {sid} in {policy:#?}"),
    }
}

#[test]
fn an_alias_route_by_arn_is_exact_on_alias_versions_and_function() {
    let route = alias_route(FUNCTION, "    stable_version: '6'\n");
    let out = policy(&plan(&route, ""), None, RecordStore::Tags);
    assert!(out.patterns.is_empty(), "{:?}", out.patterns);
    let p = &out.policy;
    let alias = format!("{FUNCTION}:live");
    assert!(p.allows("lambda:GetAlias", &alias));
    assert!(p.allows("lambda:UpdateAlias", &alias));
    assert!(!p.allows("lambda:UpdateAlias", &format!("{FUNCTION}:other")));
    assert_eq!(
        resources(p, "ReadVersions"),
        [format!("{FUNCTION}:6"), format!("{FUNCTION}:7")]
    );
    assert_eq!(resources(p, "ReadDeploymentRecord"), [FUNCTION]);
    assert_eq!(resources(p, "WriteDeploymentRecord"), [FUNCTION]);
    assert!(p.allows("lambda:TagResource", FUNCTION));
    assert!(!p.allows(
        "lambda:TagResource",
        "arn:aws:lambda:eu-west-1:111122223333:function:other"
    ));
    // No target groups: no load balancer, Lattice or GetPolicy call (status reads the runner's
    // tick schedule).
    assert!(
        p.actions().iter().all(|a| a.starts_with("lambda:")
            || a == "sts:GetCallerIdentity"
            || a == "scheduler:GetSchedule"),
        "{:?}",
        p.actions()
    );
    assert!(!p.actions().contains("lambda:GetPolicy"));
}

#[test]
fn an_alias_route_by_name_without_stable_version_is_a_pattern() {
    let out = policy(
        &plan(&alias_route("checkout", ""), ""),
        None,
        RecordStore::Tags,
    );
    assert_eq!(
        out.patterns,
        [
            "arn:aws:lambda:*:*:function:checkout",
            "arn:aws:lambda:*:*:function:checkout:*",
            "arn:aws:lambda:*:*:function:checkout:7",
            "arn:aws:lambda:*:*:function:checkout:live",
            "arn:aws:scheduler:*:*:schedule/default/canary-deploy-p.tick",
        ]
    );
    assert!(out
        .policy
        .allows("lambda:GetFunctionConfiguration", &format!("{FUNCTION}:3")));
}

#[test]
fn a_resolved_alias_route_is_exact_and_alarms_are_in_its_account() {
    let plan = plan(
        &alias_route("checkout", ""),
        "checks:\n  - alarms: [checkout-errors]\n",
    );
    let resolved = Resolved {
        route: ResolvedRoute::LambdaAlias(ResolvedAlias {
            function_arn: FUNCTION.into(),
            function_name: "checkout".into(),
            alias: "live".into(),
            alias_arn: format!("{FUNCTION}:live"),
            stable_version: "6".into(),
            canary_version: "7".into(),
        }),
        functions: Vec::new(),
    };
    let out = policy(&plan, Some(&resolved), RecordStore::Tags);
    assert!(out.patterns.is_empty(), "{:?}", out.patterns);
    assert_eq!(
        resources(&out.policy, "ReadAlarms"),
        ["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-errors"]
    );
}

#[test]
fn warm_starts_read_the_alias_provisioned_concurrency_unless_skipped() {
    let route = alias_route(FUNCTION, "    stable_version: '6'\n");
    let action = "lambda:GetProvisionedConcurrencyConfig";
    let warm = plan(&route, "preflight:\n  warm_starts: true\n");
    let p = policy(&warm, None, RecordStore::Tags).policy;
    assert_eq!(resources(&p, "Preflight"), [format!("{FUNCTION}:live")]);
    let skipped = plan(
        &route,
        "preflight:\n  warm_starts: true\n  skip: [provisioned-concurrency]\n",
    );
    assert!(!policy(&skipped, None, RecordStore::Tags)
        .policy
        .actions()
        .contains(action));
    assert!(!policy(&plan(&route, ""), None, RecordStore::Tags)
        .policy
        .actions()
        .contains(action));
}

fn alb_with_functions(extra: &str) -> Generated {
    let route = format!(
        "  alb:\n    listener: {LISTENER}\n    stable: {TG}/ec2/1a2b\n    canary: {TG}/lambda/3c4d\n"
    );
    let resolved = Resolved {
        route: ResolvedRoute::Alb(ResolvedAlb {
            load_balancer_arn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188".into(),
            listener_arn: LISTENER.into(),
            rule_arn: None,
            stable_arn: format!("{TG}/ec2/1a2b"),
            canary_arn: format!("{TG}/lambda/3c4d"),
            stable_is_lambda: false,
            canary_is_lambda: true,
        }),
        functions: vec![
            TargetFunction {
                arn: format!("{FUNCTION}:live"),
                canary: true,
            },
            TargetFunction {
                arn: format!("{FUNCTION}-old"),
                canary: true,
            },
        ],
    };
    policy(&plan(&route, extra), Some(&resolved), RecordStore::Tags)
}

#[test]
fn resolved_target_group_functions_get_exactly_their_policy_read() {
    let out = alb_with_functions("");
    assert!(out.patterns.is_empty(), "{:?}", out.patterns);
    let p = &out.policy;
    assert!(p.allows("lambda:GetPolicy", &format!("{FUNCTION}:live")));
    assert!(p.allows("lambda:GetPolicy", &format!("{FUNCTION}-old")));
    assert!(!p.allows("lambda:GetPolicy", FUNCTION));
    assert!(!p
        .actions()
        .contains("lambda:GetProvisionedConcurrencyConfig"));
}

#[test]
fn warm_starts_read_only_qualified_canary_functions() {
    let p = alb_with_functions("preflight:\n  warm_starts: true\n").policy;
    let action = "lambda:GetProvisionedConcurrencyConfig";
    assert!(p.allows(action, &format!("{FUNCTION}:live")));
    // Unqualified: the check reports it without a call.
    assert!(!p.allows(action, &format!("{FUNCTION}-old")));
}

#[test]
fn a_skipped_invoke_permission_check_needs_no_get_policy() {
    let p = alb_with_functions("preflight:\n  skip: [lambda-invoke-permission]\n").policy;
    assert!(!p.actions().contains("lambda:GetPolicy"));
}

#[test]
fn one_sid_on_different_resources_is_split_never_crossed() {
    let p = alb_with_functions("").policy;
    // DescribeTargetHealth has no resource-level permission (`*`); GetPolicy has the functions.
    assert!(p.allows("elasticloadbalancing:DescribeTargetHealth", "*"));
    assert!(!p.allows("lambda:GetPolicy", "*"));
    assert!(!p.allows("lambda:GetPolicy", FUNCTION));
    let sids: Vec<&str> = p.statements.iter().map(|s| s.sid.as_str()).collect();
    assert_eq!(
        &sids[..3],
        ["ResolveRoute", "Preflight", "Preflight2"],
        "{sids:?}"
    );
}
