//! The deployment record of a Lambda alias in its function's tags (Lambda tags functions, not
//! aliases): keys `canary-deploy:<alias>:<n>`, so another alias's record and the user's own
//! tags stay exactly as they were; the calls of a load and a save; and the CLI's way from an
//! alias ARN to the store.

use super::fixtures::setup;
use aws_sdk_lambda::Client;
use canary_deploy::core::record::PlaybookId;
use canary_deploy::core::{Event, EventKind, Phase, Record, Timestamp};
use canary_deploy::session::Session;
use canary_deploy::store::{Store, TagStore};
use std::collections::{BTreeMap, HashMap};

fn record(name: &str, events: usize) -> Record {
    let mut record = Record::new(
        PlaybookId {
            name: name.into(),
            content_hash: "0".repeat(64),
        },
        Timestamp(1_700_000_000_000),
    );
    for i in 0..events {
        record.remember(Event {
            at: Timestamp(1_700_000_000_000 + i as i64 * 60_000),
            kind: EventKind::Holding {
                // Digits of a counter deflate cannot shrink much: several chunks.
                why: format!(
                    "event {i}: {}",
                    (0..40)
                        .map(|j| (i * 7919 + j * 104_729) % 9973)
                        .map(|n| n.to_string())
                        .collect::<String>()
                ),
            },
        });
    }
    record
}

async fn tags(client: &Client, arn: &str) -> BTreeMap<String, String> {
    let out = client
        .list_tags()
        .resource(arn)
        .send()
        .await
        .expect("list tags");
    out.tags()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect()
}

fn with_prefix(tags: &BTreeMap<String, String>, prefix: &str) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[tokio::test]
async fn a_record_round_trips_beside_another_alias_and_the_users_tags() {
    let (client, log, demo) = setup("lam-tags").await;
    let users = HashMap::from([
        ("team".to_string(), "payments".to_string()),
        ("canary-deploy".to_string(), "not ours".to_string()),
    ]);
    client
        .tag_resource()
        .resource(&demo.function_arn)
        .set_tags(Some(users.clone()))
        .send()
        .await
        .unwrap();
    let beta = TagStore::lambda(client.clone(), &demo.function_arn, "beta");
    let mut beta_record = record("beta-playbook", 3);
    beta.save(&mut beta_record).await.unwrap();
    let before = tags(&client, &demo.function_arn).await;
    let beta_tags = with_prefix(&before, "canary-deploy:beta:");
    assert!(!beta_tags.is_empty());

    let store = TagStore::lambda(client.clone(), &demo.function_arn, &demo.alias);
    assert_eq!(store.resource_arn(), demo.function_arn);
    assert_eq!(
        store.location("p"),
        format!(
            "tags canary-deploy:live:* on Lambda function {} (alias live)",
            demo.function_arn
        )
    );
    log.take();
    assert_eq!(
        store.load("p").await.unwrap(),
        None,
        "beta's record is not live's"
    );
    assert_eq!(log.take(), ["ListTags"], "a load is one call");

    let mut large = record("p", 40);
    store.save(&mut large).await.unwrap();
    assert_eq!(log.take(), ["ListTags", "TagResource"]);
    assert_eq!(store.load("p").await.unwrap(), Some(large.clone()));
    let ours = with_prefix(
        &tags(&client, &demo.function_arn).await,
        "canary-deploy:live:",
    );
    assert!(ours.len() > 2, "{} chunks", ours.len());
    assert!(ours.contains_key("canary-deploy:live:0"));

    let mut small = record("p", 0);
    small.revision = large.revision;
    small.phase = Phase::Promoted { at: Timestamp(5) };
    log.take();
    store.save(&mut small).await.unwrap();
    assert_eq!(log.take(), ["ListTags", "TagResource", "UntagResource"]);
    assert_eq!(store.load_any().await.unwrap(), Some(small.clone()));

    let after = tags(&client, &demo.function_arn).await;
    assert_eq!(
        with_prefix(&after, "canary-deploy:beta:"),
        beta_tags,
        "beta untouched"
    );
    for (key, value) in &users {
        assert_eq!(after.get(key), Some(value), "the user's {key} untouched");
    }
    assert_eq!(
        with_prefix(&after, "canary-deploy:live:").len(),
        1,
        "a small record is one chunk; the leftovers are gone"
    );
    assert_eq!(beta.load("beta-playbook").await.unwrap(), Some(beta_record));
}

#[tokio::test]
async fn the_cli_finds_the_store_from_the_alias_arn() {
    let (client, _log, demo) = setup("lam-tags-cli").await;
    let clients = canary_deploy::aws::Clients::new(&crate::emulator::sdk_config().await);
    let session = Session::new(clients, None);
    let store = session.target(&demo.alias_arn).await.unwrap().store;
    assert_eq!(store.resource_arn(), demo.function_arn);
    let mut saved = record("p", 1);
    store.save(&mut saved).await.unwrap();
    let again = session.target(&demo.alias_arn).await.unwrap();
    assert_eq!(again.record, Some(saved));
    assert!(tags(&client, &demo.function_arn)
        .await
        .contains_key("canary-deploy:live:0"));

    let err = match session.target(&demo.function_arn).await {
        Ok(_) => panic!("a function ARN was taken for an alias's"),
        Err(err) => err.to_string(),
    };
    assert!(err.contains("is not the ARN of a Lambda alias"), "{err}");
}
