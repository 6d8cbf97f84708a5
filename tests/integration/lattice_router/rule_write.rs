//! A write on a rule changes the stable and canary weights and nothing else: the whole GetRule
//! output (match, priority, name, the third target group) is the same apart from the weights.

use super::fixtures::{
    forward, get_rule, router, rule_route, set_rule_action, setup, target_group, weights,
};
use aws_sdk_vpclattice::operation::get_rule::GetRuleOutput;
use aws_sdk_vpclattice::types::RuleAction;
use canary_deploy::core::Split;
use canary_deploy::traffic::Router;

/// Every member of a GetRule output as the service sent it (each call has its own request id,
/// which is not part of the rule).
fn described(out: &GetRuleOutput) -> GetRuleOutput {
    GetRuleOutput::builder()
        .set_arn(out.arn.clone())
        .set_id(out.id.clone())
        .set_name(out.name.clone())
        .set_is_default(out.is_default)
        .set_match(out.r#match.clone())
        .set_priority(out.priority)
        .set_action(out.action.clone())
        .set_created_at(out.created_at)
        .set_last_updated_at(out.last_updated_at)
        .build()
}

/// [`described`] with the weights of `groups` set back to the given ones, and its update time
/// cleared (UpdateRule moves lastUpdatedAt, as it should).
fn normalised(out: &GetRuleOutput, groups: &[(&str, i32)]) -> GetRuleOutput {
    let mut out = described(out);
    out.last_updated_at = None;
    if let Some(RuleAction::Forward(forward)) = out.action.as_mut() {
        for group in &mut forward.target_groups {
            if let Some((_, weight)) = groups
                .iter()
                .find(|(id, _)| *id == group.target_group_identifier())
            {
                group.weight = Some(*weight);
            }
        }
    }
    out
}

#[tokio::test]
async fn rule_write_keeps_match_priority_and_everything_else_exactly() {
    let (client, log, demo) = setup("lr-rule", None).await;
    let third = target_group(&client, "lr-rule-third").await;
    let action = forward(&[(&demo.stable_id, 990), (&third, 10), (&demo.canary_id, 0)]);
    set_rule_action(&client, &demo, action).await;
    let router = router(&client, &rule_route(&demo)).await;
    let before = get_rule(&client, &demo).await;
    assert!(before.r#match.is_some(), "the fixture's rule has a match");
    assert_eq!(before.priority, Some(10));
    log.take();

    assert_eq!(
        router.read().await.unwrap(),
        Split::new(990, 0).with_others(10)
    );
    assert_eq!(log.take(), ["GetRule"], "a read is exactly one call");
    let written = router
        .write(
            Some(Split::new(990, 0).with_others(10)),
            Split::new(900, 90),
        )
        .await
        .unwrap();
    assert_eq!(written, Split::new(900, 90).with_others(10));
    assert_eq!(log.take(), ["GetRule", "UpdateRule", "GetRule"]);

    let after = get_rule(&client, &demo).await;
    assert_eq!(
        weights(after.action.as_ref().unwrap()),
        [
            (demo.stable_id.clone(), Some(900)),
            (third.clone(), Some(10)),
            (demo.canary_id.clone(), Some(90))
        ]
    );
    let old = [(demo.stable_id.as_str(), 990), (demo.canary_id.as_str(), 0)];
    assert_eq!(
        normalised(&after, &old),
        normalised(&before, &old),
        "only the two weights may change"
    );
}

#[tokio::test]
async fn the_canary_joins_a_rule_that_forwards_to_stable_only() {
    let (client, _log, demo) = setup("lr-rule-join", None).await;
    let router = router(&client, &rule_route(&demo)).await;
    let before = get_rule(&client, &demo).await;
    router
        .write(Some(Split::new(100, 0)), Split::new(950, 50))
        .await
        .unwrap();
    let after = get_rule(&client, &demo).await;
    assert_eq!(
        weights(after.action.as_ref().unwrap()),
        [
            (demo.stable_id.clone(), Some(950)),
            (demo.canary_id.clone(), Some(50))
        ]
    );
    let mut expected = described(&before);
    expected.action = after.action.clone();
    expected.last_updated_at = after.last_updated_at;
    assert_eq!(
        described(&after),
        expected,
        "match, priority and name are kept"
    );
}
