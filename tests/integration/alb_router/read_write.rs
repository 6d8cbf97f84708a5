//! Reads and writes on a listener's default action: the calls each takes, turning a plain
//! forward into weights, keeping stickiness and other groups, refusing on conflict, and refusing
//! a listener that does not forward to stable.

use super::fixtures::{
    assert_kind, listener_actions, router, setup, setup_listener, target_group, weights,
};
use crate::alb_actions::{forward, set_default_action};
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};
use canary_deploy::core::plan::{AlbRoute, AlbTarget, TargetGroupRef};
use canary_deploy::core::types::Share;
use canary_deploy::core::Split;
use canary_deploy::traffic::Router;

#[tokio::test]
async fn reads_a_plain_forward_default_action() {
    let (_client, log, alb, router) = setup_listener("ar-read").await;
    log.take();

    assert_eq!(router.read().await.unwrap(), Split::new(1, 0));
    assert_eq!(
        log.take(),
        ["DescribeListeners"],
        "a read is exactly one call"
    );
    assert_eq!(
        router.describe(),
        format!(
            "ALB listener {} default action (stable ar-read-stable, canary ar-read-canary)",
            alb.listener_arn
        )
    );
    assert_eq!(
        router.split_for(Share::from_permille(50).unwrap()),
        Split::new(950, 50)
    );
}

#[tokio::test]
async fn write_turns_a_plain_forward_into_a_weighted_forward_config() {
    let (client, log, alb, router) = setup_listener("ar-convert").await;
    log.take();

    let written = router
        .write(Some(Split::new(1, 0)), Split::new(950, 50))
        .await
        .unwrap();
    assert_eq!(written, Split::new(950, 50));
    assert_eq!(
        log.take(),
        ["DescribeListeners", "ModifyListener", "DescribeListeners"],
        "a write is describe + modify + describe"
    );

    let actions = listener_actions(&client, &alb.listener_arn).await;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(
        actions[0].target_group_arn(),
        None,
        "TargetGroupArn is dropped"
    );
    assert_eq!(
        weights(&actions[0]),
        [
            (alb.stable_arn.clone(), Some(950)),
            (alb.canary_arn.clone(), Some(50))
        ]
    );
    assert_eq!(router.read().await.unwrap(), Split::new(950, 50));

    // Full canary, then roll back to stable.
    let full = router.split_for(Share::CANARY_ONLY);
    assert_eq!(
        router.write(Some(Split::new(950, 50)), full).await.unwrap(),
        Split::new(0, 999)
    );
    let back = router.split_for(Share::STABLE_ONLY);
    assert_eq!(router.write(None, back).await.unwrap(), Split::new(999, 0));
    assert_eq!(router.read().await.unwrap(), Split::new(999, 0));
}

#[tokio::test]
async fn listener_default_action_with_sticky_weighted_forward_keeps_its_stickiness() {
    let (client, _log, alb) = setup("ar-listener").await;
    let third = target_group(&client, "ar-listener-third", &alb.vpc_id).await;
    // The third group joins the default action, sticky for 10 minutes.
    let sticky_forward = forward(&[(&alb.stable_arn, 5), (&third, 1)], None, Some(600));
    set_default_action(&client, &alb.listener_arn, sticky_forward).await;
    let before = listener_actions(&client, &alb.listener_arn).await;
    let route = AlbRoute {
        target: AlbTarget::Listener {
            load_balancer: "ar-listener".into(),
            port: 80,
        },
        stable: TargetGroupRef::Name("ar-listener-stable".into()),
        canary: TargetGroupRef::Name("ar-listener-canary".into()),
    };
    let router = router(&client, &route).await;
    assert_eq!(router.resolved().rule_arn, None);
    assert_eq!(
        router.read().await.unwrap(),
        Split::new(5, 0).with_others(1)
    );

    router
        .write(Some(Split::new(5, 0).with_others(1)), Split::new(500, 500))
        .await
        .unwrap();
    let after = listener_actions(&client, &alb.listener_arn).await;
    assert_eq!(after.len(), 1);
    assert_eq!(
        weights(&after[0]),
        [
            (alb.stable_arn.clone(), Some(500)),
            (third.clone(), Some(1)),
            (alb.canary_arn.clone(), Some(500))
        ]
    );
    let sticky = |actions: &[Action]| {
        actions[0]
            .forward_config()
            .and_then(|c| c.target_group_stickiness_config())
            .cloned()
    };
    assert_eq!(sticky(&after), sticky(&before));
    assert_eq!(after[0].order(), before[0].order());
}

#[tokio::test]
async fn read_refuses_a_listener_that_does_not_forward_to_stable() {
    let (client, _log, alb) = setup("ar-notrouted").await;
    let third = target_group(&client, "ar-notrouted-third", &alb.vpc_id).await;
    let route = AlbRoute {
        target: AlbTarget::ListenerArn(crate::emulator::owned_arn(&alb.listener_arn)),
        stable: TargetGroupRef::Arn(crate::emulator::owned_arn(&third)),
        canary: TargetGroupRef::Arn(crate::emulator::owned_arn(&alb.canary_arn)),
    };
    let router = router(&client, &route).await;
    let err = router.read().await.unwrap_err();
    assert_kind!(err, StableNotRouted);
    let text = err.to_string();
    assert!(text.contains(&alb.listener_arn), "{text}");
    assert!(text.contains(&third), "{text}");
    assert!(
        text.contains(&format!("{} (weight 1)", alb.stable_arn)),
        "{text}"
    );
    let err = router.write(None, Split::new(999, 0)).await.unwrap_err();
    assert_kind!(err, StableNotRouted);
}
