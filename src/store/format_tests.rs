//! Records saved by the release that wrote format version 1 (`tests/fixtures/records-v1/`), read
//! into this binary's format.

use super::*;
use crate::core::{Phase, Split};
use crate::store::tags::encode::{decode_in, Tags};
use crate::store::tags::keys::KeySpace;

const ALB: &str = include_str!("../../tests/fixtures/records-v1/alb-file.json");
const LATTICE: &str = include_str!("../../tests/fixtures/records-v1/lattice-file.json");
const LAMBDA: &str = include_str!("../../tests/fixtures/records-v1/lambda-file.json");
const LAMBDA_TAGS: &str = include_str!("../../tests/fixtures/records-v1/lambda-alias-tags.json");

fn read(json: &str) -> Record {
    read_record(json.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn an_alb_record_of_format_1_keeps_its_route_and_progress() {
    let record = read(ALB);
    assert_eq!(record.version, RECORD_VERSION);
    assert!(matches!(record.phase, Phase::Stepping { index: 0, .. }));
    assert_eq!(record.written, Some(Split::new(900, 100)));
    let Some(ResolvedRoute::Alb(route)) = &record.route else {
        panic!("{:?}", record.route);
    };
    let prefix = "arn:aws:elasticloadbalancing:us-east-1:123456789012:";
    assert_eq!(
        route.load_balancer_arn,
        format!("{prefix}loadbalancer/app/legacy-alb/bb0e6ae8a418ead6")
    );
    assert!(route
        .listener_arn
        .ends_with("listener/app/legacy-alb/bb0e6ae8a418ead6/7c10ce9f95d6a14e"));
    assert_eq!(route.rule_arn, None);
    assert!(route
        .stable_arn
        .starts_with(&format!("{prefix}targetgroup/legacy-alb-stable/")));
    assert!(route
        .canary_arn
        .starts_with(&format!("{prefix}targetgroup/legacy-alb-canary/")));
}

#[test]
fn a_lattice_record_of_format_1_gets_the_ids_of_its_arns() {
    let record = read(LATTICE);
    let Some(ResolvedRoute::Lattice(route)) = &record.route else {
        panic!("{:?}", record.route);
    };
    assert_eq!(route.service.id, "svc-296a2d4efa864539c");
    assert_eq!(route.listener.id, "listener-61f21905924b8ad26");
    assert_eq!(
        route.rule.as_ref().map(|r| r.id.as_str()),
        Some("rule-f8a683108e7013b9e")
    );
    assert_eq!(route.stable.id, "tg-2ef8806a519769438");
    assert_eq!(route.canary.id, "tg-7587bafbd539ecf2a");
    assert!(route.stable.name.is_none());
}

#[test]
fn a_lambda_alias_record_of_format_1_is_read_from_its_tags() {
    let tags: Tags = serde_json::from_str(LAMBDA_TAGS).expect("the fixture is a tag map");
    let record = decode_in(&KeySpace::alias("live"), &tags, "tags")
        .expect("decodes")
        .expect("a record");
    assert_eq!(record.playbook.name, "legacy-record");
    let function = "arn:aws:lambda:us-east-1:123456789012:function:legacy-record";
    assert_eq!(
        record.route,
        Some(ResolvedRoute::LambdaAlias(ResolvedAlias {
            function_arn: function.to_string(),
            function_name: "legacy-record".to_string(),
            alias: "live".to_string(),
            alias_arn: format!("{function}:live"),
            stable_version: "1".to_string(),
            canary_version: "2".to_string(),
        }))
    );
    assert_eq!(read(LAMBDA).route, record.route);
}

#[test]
fn a_record_of_this_format_reads_back_as_written() {
    let record = read(LATTICE);
    let json = serde_json::to_vec(&record).expect("serialises");
    assert_eq!(read_record(&json), Ok(record));
}

#[test]
fn a_format_1_route_of_the_wrong_shape_is_corrupt_not_guessed() {
    let broken = LAMBDA.replace(":function:legacy-record:live", ":function:other:live");
    let Err(ReadError::Corrupt(why)) = read_record(broken.as_bytes()) else {
        panic!("a route naming two functions was read");
    };
    assert!(
        why.contains("names resources that do not fit together"),
        "{why}"
    );
}

#[test]
fn newer_formats_are_refused() {
    assert_eq!(
        read_record(br#"{"version": 99}"#),
        Err(ReadError::TooNew(99))
    );
}
