//! The traffic simulator reads the live weights of a listener's default action, before and
//! after they change.

use super::fixtures::unique;
use crate::alb_actions::{forward, set_default_action};
use crate::emulator::{demo_alb, sdk_config};
use canary_deploy::simulator::{read_weights, RouteRef};

#[tokio::test]
async fn simulator_reads_the_live_weights_of_a_listener() {
    let config = sdk_config().await;
    let elbv2 = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let alb = demo_alb(&unique("sim")).await;
    let route = RouteRef::Listener(alb.listener_arn.clone());
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 1)]
    );

    let weighted = forward(
        &[(&alb.stable_arn, 900), (&alb.canary_arn, 100)],
        None,
        None,
    );
    set_default_action(&elbv2, &alb.listener_arn, weighted).await;
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 900), (alb.canary_arn.clone(), 100)]
    );
}
