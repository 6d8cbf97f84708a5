//! Reads and writes on the demo alias: the calls each takes, the weights written and read back,
//! promotion and rollback, and refusing on a changed split (a change between the read and the
//! update is `revision.rs`).

use super::fixtures::{alias_state, assert_serves_only, route, router, set_alias, setup};
use canary_deploy::core::types::Share;
use canary_deploy::core::Split;
use canary_deploy::traffic::Router;
use std::collections::HashMap;

#[tokio::test]
async fn reads_the_alias_with_one_call() {
    let (client, log, demo) = setup("lam-read").await;
    let router = router(&client, &route(&demo)).await;
    log.take();
    assert_eq!(router.read().await.unwrap(), Split::new(1000, 0));
    assert_eq!(log.take(), ["GetAlias"], "a read is exactly one call");
    assert_eq!(
        router.split_for(Share::from_permille(50).unwrap()),
        Split::new(950, 50)
    );
    assert_eq!(router.split_for(Share::CANARY_ONLY), Split::new(0, 1000));

    set_alias(&client, &demo, "1", &[("2", 0.123)]).await;
    assert_eq!(router.read().await.unwrap(), Split::new(877, 123));
}

#[tokio::test]
async fn write_is_get_update_get_and_reads_back() {
    let (client, log, demo) = setup("lam-write").await;
    let router = router(&client, &route(&demo)).await;
    log.take();
    let written = router
        .write(Some(Split::new(1000, 0)), Split::new(950, 50))
        .await
        .unwrap();
    assert_eq!(written, Split::new(950, 50));
    assert_eq!(log.take(), ["GetAlias", "UpdateAlias", "GetAlias"]);
    assert_eq!(
        alias_state(&client, &demo).await,
        ("1".to_string(), HashMap::from([("2".to_string(), 0.05)]))
    );
    let next = router
        .write(Some(Split::new(950, 50)), Split::new(500, 500))
        .await
        .unwrap();
    assert_eq!(next, Split::new(500, 500));
}

#[tokio::test]
async fn promotion_serves_the_canary_version_and_clears_the_routing() {
    let (client, _log, demo) = setup("lam-promote").await;
    let router = router(&client, &route(&demo)).await;
    router
        .write(Some(Split::new(1000, 0)), Split::new(500, 500))
        .await
        .unwrap();
    let full = router.split_for(Share::CANARY_ONLY);
    assert_eq!(
        router
            .write(Some(Split::new(500, 500)), full)
            .await
            .unwrap(),
        Split::new(0, 1000)
    );
    assert_serves_only(&client, &demo, "2").await;
    assert_eq!(router.read().await.unwrap(), Split::new(0, 1000));

    // An operator's rollback after the promotion puts the stable version back.
    let back = router.split_for(Share::STABLE_ONLY);
    assert_eq!(router.write(None, back).await.unwrap(), Split::new(1000, 0));
    assert_serves_only(&client, &demo, "1").await;
}

#[tokio::test]
async fn rollback_clears_the_routing_on_the_stable_version() {
    let (client, log, demo) = setup("lam-rollback").await;
    let router = router(&client, &route(&demo)).await;
    router
        .write(Some(Split::new(1000, 0)), Split::new(900, 100))
        .await
        .unwrap();
    log.take();
    assert_eq!(
        router.write(None, Split::new(1000, 0)).await.unwrap(),
        Split::new(1000, 0)
    );
    assert_eq!(log.take(), ["GetAlias", "UpdateAlias", "GetAlias"]);
    assert_serves_only(&client, &demo, "1").await;
}
