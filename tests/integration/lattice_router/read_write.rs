//! Reads and writes on a listener's default action: the calls each takes, the weights written,
//! a third target group kept, refusing on conflict, and a route gone since resolution.

use super::fixtures::{
    assert_kind, default_action, forward, listener_route, router, set_default_action, setup,
    target_group, weights,
};
use canary_deploy::core::types::Share;
use canary_deploy::core::Split;
use canary_deploy::traffic::{LatticeResource, LatticeRouter, Router};

#[tokio::test]
async fn reads_the_default_action_with_one_call() {
    let (client, log, demo) = setup("lr-read", None).await;
    let router = router(&client, &listener_route(&demo)).await;
    log.take();
    assert_eq!(router.read().await.unwrap(), Split::new(100, 0));
    assert_eq!(log.take(), ["GetListener"], "a read is exactly one call");
    assert_eq!(
        router.split_for(Share::from_permille(50).unwrap()),
        Split::new(950, 50)
    );

    let (client, _log, demo) = setup("lr-read-weights", Some((60, 40))).await;
    let router = super::fixtures::router(&client, &listener_route(&demo)).await;
    assert_eq!(router.read().await.unwrap(), Split::new(60, 40));
}

#[tokio::test]
async fn write_is_get_update_get_and_reads_back() {
    let (client, log, demo) = setup("lr-write", None).await;
    let router = router(&client, &listener_route(&demo)).await;
    log.take();

    let written = router
        .write(Some(Split::new(100, 0)), Split::new(950, 50))
        .await
        .unwrap();
    assert_eq!(written, Split::new(950, 50));
    assert_eq!(log.take(), ["GetListener", "UpdateListener", "GetListener"]);
    assert_eq!(
        weights(&default_action(&client, &demo).await),
        [
            (demo.stable_id.clone(), Some(950)),
            (demo.canary_id.clone(), Some(50))
        ],
        "the canary is appended by id"
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
async fn a_third_target_group_keeps_its_weight_and_place() {
    let (client, _log, demo) = setup("lr-third", None).await;
    let third = target_group(&client, "lr-third-other").await;
    // The stable group is written by ARN: it stays an ARN.
    let before = forward(&[(&demo.stable_arn, 5), (&third, 1)]);
    set_default_action(&client, &demo, before).await;
    let router = router(&client, &listener_route(&demo)).await;
    assert_eq!(
        router.read().await.unwrap(),
        Split::new(5, 0).with_others(1)
    );

    router
        .write(Some(Split::new(5, 0).with_others(1)), Split::new(500, 500))
        .await
        .unwrap();
    assert_eq!(
        weights(&default_action(&client, &demo).await),
        [
            (demo.stable_arn.clone(), Some(500)),
            (third.clone(), Some(1)),
            (demo.canary_id.clone(), Some(500))
        ]
    );
}

#[tokio::test]
async fn a_rule_gone_since_resolution_is_not_found() {
    let (client, _log, demo) = setup("lr-gone", None).await;
    let router = router(&client, &listener_route(&demo)).await;
    let mut resolved = router.resolved().clone();
    let rule_id = "rule-0000000000000000e";
    resolved.rule = Some(LatticeResource {
        id: rule_id.to_string(),
        arn: format!("{}/rule/{rule_id}", demo.listener_arn),
        name: None,
    });
    let gone = LatticeRouter::from_resolved(client.clone(), resolved);
    let err = gone.read().await.unwrap_err();
    assert_kind(&err, "NotFound");
    assert_eq!(
        err.to_string(),
        format!(
            "{} not found: check the name or ARN in the playbook, and the account and region in \
             use",
            gone.resolved().resource()
        )
    );
    let err = gone.write(None, Split::new(999, 0)).await.unwrap_err();
    assert_kind(&err, "NotFound");
}
