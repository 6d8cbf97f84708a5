//! A write on a busy listener rule changes the stable and canary weights and nothing else: not
//! the priority, conditions, OIDC action (whose secret AWS never describes), orders, stickiness
//! or the third group.

use super::busy_rule::{busy_rule, oidc_as_described};
use super::fixtures::{arns, describe_rule, router, setup, target_group, weights};
use aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum;
use canary_deploy::core::plan::AlbTarget;
use canary_deploy::core::Split;
use canary_deploy::traffic::Router;

#[tokio::test]
async fn rule_write_keeps_every_other_field_exactly() {
    let (client, log, alb) = setup("ar-busy").await;
    let third = target_group(&client, "ar-busy-third", &alb.vpc_id).await;
    let rule_arn = busy_rule(&client, &alb, &third).await;
    let router = router(
        &client,
        &arns(
            AlbTarget::RuleArn(crate::emulator::owned_arn(&rule_arn)),
            &alb,
        ),
    )
    .await;
    assert_eq!(
        router.resolved().rule_arn.as_deref(),
        Some(rule_arn.as_str())
    );
    let before = describe_rule(&client, &rule_arn).await;
    // Created with a client secret, described without one (as on AWS). The write below only
    // succeeds because the router sends UseExistingClientSecret: ModifyRule with neither that
    // nor a secret is a ValidationError.
    assert_eq!(before.actions()[0], oidc_as_described());
    log.take();

    assert_eq!(
        router.read().await.unwrap(),
        Split::new(990, 0).with_others(10)
    );
    assert_eq!(log.take(), ["DescribeRules"]);
    let written = router
        .write(
            Some(Split::new(990, 0).with_others(10)),
            Split::new(900, 90),
        )
        .await
        .unwrap();
    assert_eq!(written, Split::new(900, 90).with_others(10));
    assert_eq!(log.take(), ["DescribeRules", "ModifyRule", "DescribeRules"]);

    let after = describe_rule(&client, &rule_arn).await;
    let forward_after = after
        .actions()
        .iter()
        .find(|a| a.r#type() == Some(&ActionTypeEnum::Forward))
        .unwrap();
    assert_eq!(
        weights(forward_after),
        [
            (alb.stable_arn.clone(), Some(900)),
            (third.clone(), Some(10)),
            (alb.canary_arn.clone(), Some(90))
        ]
    );

    // Put the old two weights back into the new description: it must then equal the old one in
    // every field (priority, conditions, OIDC action, orders, stickiness, the third group).
    let mut normalised = after.clone();
    for action in normalised.actions.as_mut().unwrap() {
        if let Some(groups) = action
            .forward_config
            .as_mut()
            .and_then(|c| c.target_groups.as_mut())
        {
            for group in groups {
                if group.target_group_arn() == Some(alb.stable_arn.as_str()) {
                    group.weight = Some(990);
                }
                if group.target_group_arn() == Some(alb.canary_arn.as_str()) {
                    group.weight = Some(0);
                }
            }
        }
    }
    assert_eq!(normalised, before, "only the two weights may change");
}
