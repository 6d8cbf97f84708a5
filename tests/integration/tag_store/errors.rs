//! What the tag store says when AWS refuses a call or the tags are not a record of ours.

use super::fixtures::{alb_rule, lattice_rule, record, Target};
use canary_deploy::aws::Clients;
use canary_deploy::store::{Store, StoreError, TagStore};
use std::collections::BTreeMap;

/// The resource's ARN with its last four characters replaced: a rule that does not exist.
fn gone(t: &Target) -> String {
    let arn = t.store.resource_arn();
    format!("{}0000", &arn[..arn.len() - 4])
}

#[tokio::test]
async fn a_missing_alb_rule_is_an_aws_error_naming_the_call_and_code() {
    let t = alb_rule("ts-alb-gone").await;
    let clients = Clients::new(&crate::emulator::sdk_config().await);
    let arn = gone(&t);
    let store = TagStore::alb(clients.elbv2, &arn);
    let err = store.load("checkout").await.unwrap_err();
    assert!(matches!(err, StoreError::Aws { .. }), "{err:?}");
    assert!(err.aws().is_some_and(|e| !e.is_retryable()), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "aws DescribeTags failed on the deployment record: ALB rule {arn}: RuleNotFound"
        )),
        "{err}"
    );
    let err = store.save(&mut record("checkout")).await.unwrap_err();
    assert!(err.to_string().contains("RuleNotFound"), "{err}");
}

#[tokio::test]
async fn a_missing_lattice_rule_is_an_aws_error_naming_the_call_and_code() {
    let t = lattice_rule("ts-lat-gone").await;
    let clients = Clients::new(&crate::emulator::sdk_config().await);
    let arn = gone(&t);
    let store = TagStore::lattice(clients.lattice, &arn);
    let err = store.load_any().await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "aws ListTagsForResource failed on the deployment record: VPC Lattice rule {arn}: \
             ResourceNotFoundException"
        )),
        "{err}"
    );
}

#[tokio::test]
async fn tags_that_are_not_a_record_are_corrupt_naming_the_resource() {
    let t = alb_rule("ts-alb-junk").await;
    let junk: BTreeMap<String, String> = [
        (
            "canary-deploy:0".to_string(),
            "1.2.0123456789ab.AAAA".to_string(),
        ),
        ("team".to_string(), "payments".to_string()),
    ]
    .into();
    t.raw.add(&junk).await;
    let err = t.store.load("checkout").await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains(t.store.resource_arn()), "{shown}");
    assert!(
        shown.contains("canary-deploy:1 of 2 chunks is missing"),
        "{shown}"
    );
    let err = t.store.save(&mut record("checkout")).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt { .. }),
        "a save never overwrites it: {err:?}"
    );
    assert_eq!(t.raw.tags().await, junk);
}
