//! `target-groups` on an ALB route whose canary is not the route's load balancer's: one attached
//! to another ALB (resolution refuses it, naming the target group and both load balancers, so
//! `plan` and `run` exit 1 before any preflight and `run` writes nothing), and one in another
//! VPC (reported in `plan`'s preflight list).

use super::{alb, alb_weights, clients, command, line, records_saved, REST};

#[tokio::test]
async fn a_canary_attached_to_another_load_balancer_is_refused_naming_both() {
    let route = alb("pf-alb-frn-a", &[]);
    let other = alb("pf-alb-frn-b", &[]);
    let mut foreign = route.clone();
    foreign.canary_arn = other.stable_arn.clone();
    let playbook = foreign.playbook("pf-alb-frn", REST);

    let ran = command("plan", &playbook, &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stdout());
    let expected = format!(
        "error: target group {} is attached to {}, not to load balancer {} that the routed \
         listener belongs to: use a target group of that load balancer (or an unattached one)",
        other.stable_arn, other.lb_arn, route.lb_arn
    );
    assert_eq!(ran.stderr().trim_end(), expected);
    assert_eq!(
        ran.stdout(),
        "",
        "nothing planned on a route that cannot work"
    );

    let clients = clients().await;
    let before = alb_weights(&clients, &route.listener_arn).await;
    let run = command("run", &playbook, &[]);
    assert_eq!(run.code(), Some(1), "{}", run.stdout());
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
    assert_eq!(alb_weights(&clients, &route.listener_arn).await, before);
    assert_eq!(before, vec![(route.stable_arn.clone(), 1)]);
    assert_eq!(records_saved(&run), 0, "nothing saved");
}

#[test]
fn a_canary_in_another_vpc_fails_target_groups() {
    let route = alb("pf-alb-vpc-a", &[]);
    let other = alb("pf-alb-vpc-b", &[]);
    let mut foreign = route.clone();
    foreign.canary_arn = other.canary_arn.clone();
    let ran = command("plan", &foreign.playbook("pf-alb-vpc", REST), &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stderr());
    assert_eq!(
        line(&ran.stdout(), "FAIL", "target-groups"),
        format!(
            "  FAIL target-groups: canary target group pf-alb-vpc-b-canary is in {} but the \
             load balancer is in {}; an ALB forwards only to target groups of its own VPC: \
             give the route a target group created in {}",
            other.vpc_id, route.vpc_id, route.vpc_id
        )
    );
    line(&ran.stdout(), "PASS", "start-split");
}
