//! `canary-healthy-targets` on targets the load balancer reports: a registered but unhealthy
//! canary fails (ALB instance, Lattice IP target), and a canary target group nothing uses yet
//! (ALB `unused`/`Target.NotInUse`, Lattice UNUSED) passes as "registered, not yet
//! health-checked", saying so. The emulator reports the health a test registers a target with
//! (patches/elbv2_target_health.py, patches/vpclattice_targets.py).

use super::{alb, clients, command, lattice, line, plan_fails, REST};
use aws_sdk_vpclattice::types::{Target, TargetGroupConfig, TargetGroupProtocol, TargetGroupType};
use canary_deploy::aws::Clients;

#[test]
fn an_unhealthy_alb_canary_fails_listing_its_targets() {
    let route = alb(
        "pf-alb-sick",
        &["--canary-health", "unhealthy;Target.Timeout"],
    );
    let failed = plan_fails(&route, "pf-alb-sick", "canary-healthy-targets");
    assert!(
        failed.contains(
            "canary target group pf-alb-sick-canary has 0 healthy target(s) but at least 1 are \
             needed (its targets: i-"
        ) && failed.contains(" unhealthy (Target.Timeout)); register healthy targets in it"),
        "{failed}"
    );
}

#[test]
fn an_alb_canary_no_listener_rule_uses_yet_passes_as_not_yet_checked() {
    let route = alb(
        "pf-alb-notinuse",
        &["--canary-health", "unused;Target.NotInUse"],
    );
    let ran = command("plan", &route.playbook("pf-alb-notinuse", REST), &[]);
    assert_eq!(ran.code(), Some(0), "{}", ran.stdout());
    let passed = line(&ran.stdout(), "PASS", "canary-healthy-targets");
    assert!(
        passed.contains("has 1 registered, not yet health-checked target(s) (at least 1 needed)")
            && passed.contains("no listener rule uses the target group yet"),
        "{passed}"
    );
}

/// An IP target group `name` (health checks on) with target 10.0.0.1 registered with the
/// Lattice status `status` (the emulator's header); its ARN.
async fn ip_group(clients: &Clients, name: &str, status: &'static str) -> String {
    let config = TargetGroupConfig::builder()
        .port(80)
        .protocol(TargetGroupProtocol::Http)
        .vpc_identifier("vpc-pf")
        .build();
    let group = clients
        .lattice
        .create_target_group()
        .name(name)
        .r#type(TargetGroupType::Ip)
        .config(config)
        .send()
        .await
        .expect("create an IP target group");
    let arn = group.arn().expect("its ARN").to_string();
    clients
        .lattice
        .register_targets()
        .target_group_identifier(&arn)
        .targets(Target::builder().id("10.0.0.1").build().expect("a target"))
        .customize()
        .mutate_request(move |request| {
            request
                .headers_mut()
                .insert("x-canary-emulator-target-status", status);
        })
        .send()
        .await
        .expect("register the target");
    arn
}

#[tokio::test]
async fn an_unhealthy_lattice_canary_fails_and_an_unused_one_passes() {
    let clients = clients().await;
    let mut route = lattice("pf-lat-sick", &[]);
    route.canary_arn = ip_group(&clients, "pf-lat-sick-ip", "UNHEALTHY;HealthCheckFailed").await;
    let failed = plan_fails(&route, "pf-lat-sick", "canary-healthy-targets");
    assert!(
        failed.contains(
            "has 0 healthy target(s) but at least 1 are needed (its targets: 10.0.0.1 unhealthy \
             (HealthCheckFailed))"
        ),
        "{failed}"
    );

    route.canary_arn = ip_group(&clients, "pf-lat-unused-ip", "UNUSED").await;
    let ran = command("plan", &route.playbook("pf-lat-unused", REST), &[]);
    let passed = line(&ran.stdout(), "PASS", "canary-healthy-targets");
    assert!(
        passed.contains("has 1 registered, not yet health-checked target(s)")
            && passed.contains("no service routes to the target group yet (UNUSED)"),
        "{passed}"
    );
}
