//! Shared fixtures of the tag store tests: a [`Target`] is one routed resource (ALB listener or
//! rule, Lattice listener or rule, Lambda alias) with its [`TagStore`], the call log of the
//! store's client, and a raw SDK client to see and set the resource's tags around the store.

use crate::emulator::{demo_alb, demo_lambda, demo_lattice, sdk_config};
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, RuleCondition, Tag};
use canary_deploy::aws::{CallLog, Clients};
use canary_deploy::core::record::PlaybookId;
use canary_deploy::core::{Event, EventKind, Record, Timestamp};
use canary_deploy::store::tags::keys::KeySpace;
use canary_deploy::store::tags::RecordTags;
use canary_deploy::store::TagStore;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A routed resource whose tags keep the record.
pub(super) struct Target {
    pub store: TagStore,
    pub calls: CallLog,
    pub raw: Raw,
    /// The keys of its record's chunks.
    pub keys: KeySpace,
    /// How the store names the resource: "ALB rule arn:…".
    pub shown: String,
}

/// The same resource through the SDK directly, for what the store must not touch.
pub(super) enum Raw {
    Alb(aws_sdk_elasticloadbalancingv2::Client, String),
    Lattice(aws_sdk_vpclattice::Client, String),
    /// A Lambda alias's record, on its function.
    Lambda(aws_sdk_lambda::Client, String),
}

impl Raw {
    /// The store's calls on this API: read, add, remove.
    pub fn ops(&self) -> [&'static str; 3] {
        match self {
            Raw::Alb(..) => ["DescribeTags", "AddTags", "RemoveTags"],
            Raw::Lattice(..) => ["ListTagsForResource", "TagResource", "UntagResource"],
            Raw::Lambda(..) => ["ListTags", "TagResource", "UntagResource"],
        }
    }

    pub async fn tags(&self) -> BTreeMap<String, String> {
        match self {
            Raw::Alb(client, arn) => {
                let out = client.describe_tags().resource_arns(arn).send().await;
                out.expect("describe tags").tag_descriptions()[0]
                    .tags()
                    .iter()
                    .map(|t| {
                        let value = t.value().unwrap_or_default().to_string();
                        (t.key().unwrap().to_string(), value)
                    })
                    .collect()
            }
            Raw::Lattice(client, arn) => {
                let out = client
                    .list_tags_for_resource()
                    .resource_arn(arn)
                    .send()
                    .await;
                let tags = out.expect("list tags").tags().cloned().unwrap_or_default();
                tags.into_iter().collect()
            }
            Raw::Lambda(client, arn) => {
                let out = client.list_tags().resource(arn).send().await;
                let tags = out.expect("list tags").tags().cloned().unwrap_or_default();
                tags.into_iter().collect()
            }
        }
    }

    pub async fn add(&self, tags: &BTreeMap<String, String>) {
        match self {
            Raw::Alb(client, arn) => {
                let tags = tags
                    .iter()
                    .map(|(k, v)| Tag::builder().key(k).value(v).build());
                let sent = client
                    .add_tags()
                    .resource_arns(arn)
                    .set_tags(Some(tags.collect()));
                sent.send().await.expect("add tags");
            }
            Raw::Lattice(client, arn) => {
                let tags = tags.clone().into_iter().collect();
                let sent = client.tag_resource().resource_arn(arn).set_tags(Some(tags));
                sent.send().await.expect("tag resource");
            }
            Raw::Lambda(client, arn) => {
                let tags = tags.clone().into_iter().collect();
                let sent = client.tag_resource().resource(arn).set_tags(Some(tags));
                sent.send().await.expect("tag resource");
            }
        }
    }
}

/// `n` tags of a user's: `user-0` = `value-0`, …
pub(super) fn user_tags(n: usize) -> BTreeMap<String, String> {
    (0..n)
        .map(|i| {
            (
                format!("user-{i}"),
                format!("value {i} with: spaces/and=symbols+@"),
            )
        })
        .collect()
}

/// The keys of ours among `tags`.
pub(super) fn our_keys(tags: &BTreeMap<String, String>) -> Vec<String> {
    tags.keys()
        .filter(|k| k.starts_with("canary-deploy:"))
        .cloned()
        .collect()
}

pub(super) async fn alb_listener(prefix: &str) -> Target {
    let clients = Clients::new(&sdk_config().await);
    let alb = demo_alb(prefix).await;
    target_on_alb(clients, alb.listener_arn)
}

/// A rule (priority 10, path `/<prefix>/*`) on a fresh demo ALB's listener.
pub(super) async fn alb_rule(prefix: &str) -> Target {
    let clients = Clients::new(&sdk_config().await);
    let alb = demo_alb(prefix).await;
    let condition = RuleCondition::builder()
        .field("path-pattern")
        .values(format!("/{prefix}/*"))
        .build();
    let forward = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(&alb.stable_arn)
        .build();
    let out = clients
        .elbv2
        .create_rule()
        .listener_arn(&alb.listener_arn)
        .priority(10)
        .conditions(condition)
        .actions(forward)
        .send()
        .await
        .expect("create rule");
    let rule_arn = out.rules()[0].rule_arn().unwrap().to_string();
    target_on_alb(clients, rule_arn)
}

fn target_on_alb(clients: Clients, arn: String) -> Target {
    let kind = if arn.contains(":listener-rule/") {
        "rule"
    } else {
        "listener"
    };
    Target {
        store: RecordTags::Alb { arn: arn.clone() }.store(&clients),
        calls: clients.calls,
        shown: format!("ALB {kind} {arn}"),
        raw: Raw::Alb(clients.elbv2, arn),
        keys: KeySpace::default(),
    }
}

pub(super) async fn lattice_listener(prefix: &str) -> Target {
    let demo = demo_lattice(prefix, None).await;
    target_on_lattice(demo.listener_arn).await
}

pub(super) async fn lattice_rule(prefix: &str) -> Target {
    let demo = demo_lattice(prefix, None).await;
    target_on_lattice(demo.rule_arn).await
}

async fn target_on_lattice(arn: String) -> Target {
    let clients = Clients::new(&sdk_config().await);
    let kind = if arn.contains("/rule/") {
        "rule"
    } else {
        "listener"
    };
    Target {
        store: RecordTags::Lattice { arn: arn.clone() }.store(&clients),
        calls: clients.calls,
        shown: format!("VPC Lattice {kind} {arn}"),
        raw: Raw::Lattice(clients.lattice, arn),
        keys: KeySpace::default(),
    }
}

/// The record of a fresh demo function's alias `live`, in the function's tags.
pub(super) async fn lambda_alias(prefix: &str) -> Target {
    let clients = Clients::new(&sdk_config().await);
    let demo = demo_lambda(prefix).await;
    let tags = RecordTags::LambdaAlias {
        function_arn: demo.function_arn.clone(),
        alias: demo.alias.clone(),
    };
    Target {
        store: tags.store(&clients),
        calls: clients.calls,
        shown: format!(
            "Lambda function {} (alias {})",
            demo.function_arn, demo.alias
        ),
        raw: Raw::Lambda(clients.lambda, demo.function_arn),
        keys: KeySpace::alias(&demo.alias),
    }
}

pub(super) fn record(name: &str) -> Record {
    Record::new(
        PlaybookId {
            name: name.into(),
            content_hash: hex(name.as_bytes(), 64),
        },
        Timestamp(1_700_000_000_000),
    )
}

/// `record(name)` with `events` history events of `len` characters deflate cannot shrink.
pub(super) fn with_history(name: &str, events: usize, len: usize) -> Record {
    let mut rec = record(name);
    for i in 0..events {
        rec.remember(Event {
            at: Timestamp(1_700_000_000_000 + i as i64 * 60_000),
            kind: EventKind::Holding {
                why: format!("event {i}: {}", hex(&i.to_le_bytes(), len)),
            },
        });
    }
    rec
}

/// `len` hex digits of chained SHA-256 digests of `seed`.
fn hex(seed: &[u8], len: usize) -> String {
    let mut out = String::new();
    let mut digest = Sha256::digest(seed);
    while out.len() < len {
        out.extend(digest.iter().map(|b| format!("{b:02x}")));
        digest = Sha256::digest(digest);
    }
    out.truncate(len);
    out
}
