//! The pure parts of resolution: attachment, target types, dimensions, messages.

use super::*;

const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/demo/50dc";
const OTHER_LB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other/77aa";
const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-canary/b2";

fn group(attached: &[&str]) -> TargetGroup {
    let mut builder = TargetGroup::builder().target_group_arn(TG);
    for lb in attached {
        builder = builder.load_balancer_arns(*lb);
    }
    builder.build()
}

fn resolved(rule: Option<&str>) -> ResolvedAlb {
    ResolvedAlb {
        load_balancer_arn: LB.into(),
        listener_arn: LB.replace(":loadbalancer/", ":listener/") + "/f2f7",
        rule_arn: rule.map(str::to_string),
        stable_arn: TG.replace("demo-canary/b2", "demo-stable/a1"),
        canary_arn: TG.into(),
        stable_is_lambda: false,
        canary_is_lambda: false,
    }
}

#[test]
fn target_groups_of_this_load_balancer_or_of_none_are_fine() {
    assert!(check_attached(&group(&[]), TG, LB).is_ok());
    assert!(check_attached(&group(&[LB]), TG, LB).is_ok());
    assert!(check_attached(&group(&[OTHER_LB, LB]), TG, LB).is_ok());
}

#[test]
fn a_target_group_of_another_load_balancer_is_refused_naming_all_three() {
    let err = check_attached(&group(&[OTHER_LB]), TG, LB).unwrap_err();
    assert!(
        matches!(err, TrafficError::WrongLoadBalancer { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(TG) && text.contains(OTHER_LB) && text.contains(LB),
        "{text}"
    );
}

#[test]
fn lambda_target_groups_are_told_by_their_target_type() {
    let typed = |t: TargetTypeEnum| TargetGroup::builder().target_type(t).build();
    assert!(is_lambda(&typed(TargetTypeEnum::Lambda)));
    assert!(!is_lambda(&typed(TargetTypeEnum::Instance)));
    assert!(!is_lambda(&typed(TargetTypeEnum::Ip)));
    assert!(
        !is_lambda(&TargetGroup::builder().build()),
        "no type: not lambda"
    );
}

#[test]
fn dimensions_come_from_the_arns() {
    let r = resolved(None);
    assert_eq!(r.load_balancer_dimension(), "app/demo/50dc");
    assert_eq!(
        r.target_group_dimension(&r.canary_arn),
        "targetgroup/demo-canary/b2"
    );
    assert_eq!(
        r.target_group_dimension(&r.stable_arn),
        "targetgroup/demo-stable/a1"
    );
}

#[test]
fn resource_names_the_rule_or_the_listener() {
    let listener = resolved(None);
    assert_eq!(
        listener.resource(),
        format!("listener {} (default action)", listener.listener_arn)
    );
    assert_eq!(resolved(Some("arn:rule")).resource(), "rule arn:rule");
}
