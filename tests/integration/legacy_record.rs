//! A deployment record written by the release before the route hub (record format 1), still
//! on a user's resource: the on-call button acts on it by the resource's ARN alone.

use crate::emulator::{binary, demo_lambda, endpoint, sdk_config};
use aws_sdk_lambda::types::AliasRoutingConfiguration;
use canary_deploy::aws::Clients;
use canary_deploy::core::record::RECORD_VERSION;
use canary_deploy::core::Phase;
use canary_deploy::session::Session;
use std::collections::HashMap;

/// `tests/fixtures/records-v1/lambda-alias-tags.json`: the record of deployment
/// `legacy-record` at step 1 (10 %) on function `legacy-record`, alias `live`.
const TAGS: &str = include_str!("../fixtures/records-v1/lambda-alias-tags.json");

#[tokio::test]
async fn rollback_by_arn_acts_on_a_record_of_the_previous_format() {
    let demo = demo_lambda("legacy-record").await;
    let clients = Clients::new(&sdk_config().await);
    // The state the record describes: 10 % of the alias on version 2.
    let routing = AliasRoutingConfiguration::builder()
        .additional_version_weights("2", 0.1)
        .build();
    clients
        .lambda
        .update_alias()
        .function_name(&demo.function_name)
        .name("live")
        .routing_config(routing)
        .send()
        .await
        .expect("put 10 % on version 2");
    let tags: HashMap<String, String> = serde_json::from_str(TAGS).expect("a tag map");
    clients
        .lambda
        .tag_resource()
        .resource(&demo.function_arn)
        .set_tags(Some(tags))
        .send()
        .await
        .expect("tag the function as the previous release did");

    let output = binary()
        .args([
            "rollback",
            "--target",
            &demo.alias_arn,
            "--reason",
            "pager: old record",
        ])
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy");
    let shown = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("outcome: rolled back"), "{shown}");

    let alias = clients
        .lambda
        .get_alias()
        .function_name(&demo.function_name)
        .name("live")
        .send()
        .await
        .expect("read the alias");
    assert_eq!(alias.function_version(), Some("1"), "{shown}");
    let weights = alias
        .routing_config()
        .and_then(|r| r.additional_version_weights())
        .map_or(0, HashMap::len);
    assert_eq!(weights, 0, "the canary keeps no traffic: {alias:?}");

    // The record is written back in this binary's format, its route typed.
    let target = Session::new(clients, None)
        .target(&demo.alias_arn)
        .await
        .expect("the record's tags");
    let record = target.record.expect("a record");
    assert_eq!(record.version, RECORD_VERSION);
    assert_eq!(record.playbook.name, "legacy-record");
    assert!(
        matches!(record.phase, Phase::RolledBack { ref why, .. } if why.contains("pager: old record"))
    );
    let route = record.route.expect("a route");
    assert_eq!(route.resource_arn(), demo.alias_arn);
}
