//! Property tests of the ALB forward edit, over action lists of any shape: 0–6 target groups in
//! any order with any weight (or none, or out of range), the stable and canary present or not,
//! a group listed twice, plain and described-plain forwards, stickiness and `Order`, and
//! fixed-response, Cognito and OIDC actions (with or without a client secret) around it.
//!
//! What is promised, whatever the input (and never a panic):
//! - `live_split` answers exactly when there is one forward, its read is usable (each weight
//!   0–999 or missing, no group twice, at most 5 groups) and it routes the stable, and then
//!   gives the stable's weight, the canary's (0 when absent) and the sum of the others';
//! - `with_weights` succeeds exactly when that read would, the target is within 0–999 and the
//!   canary, when it joins, still fits in 5 groups (so a write never adds the stable);
//! - what it returns differs from what was read only in the two weights (the canary appended
//!   when it was not there, a plain forward made a `ForwardConfig` without `TargetGroupArn`),
//!   and in the OIDC `UseExistingClientSecret` flag when the secret is absent;
//! - reading it back gives the target's two weights and the others' sum as before.

use super::fixtures::{cognito, fixed_response, oidc, plain_forward, tg, CANARY, RULE, STABLE};
use super::*;
use crate::traffic::test_support::{
    entries, has, read_of, readable, target, writable, written, Entry, Member,
};
use aws_sdk_elasticloadbalancingv2::types::TargetGroupStickinessConfig;
use proptest::prelude::*;
use proptest::sample::Index;

/// An action list with its forward's groups as the model sees them, and how many forwards it has.
#[derive(Clone, Debug)]
struct Case {
    actions: Vec<Action>,
    groups: Vec<Entry>,
    forwards: usize,
}

impl Case {
    fn forward_index(&self) -> usize {
        self.actions.iter().position(is_forward).unwrap()
    }
}

fn arn(member: Member) -> String {
    match member {
        Member::Stable => STABLE.to_string(),
        Member::Canary => CANARY.to_string(),
        Member::Other(n) => tg(&format!("other-{n}")),
    }
}

fn tuple_of(entry: &Entry) -> TargetGroupTuple {
    TargetGroupTuple::builder()
        .target_group_arn(arn(entry.member))
        .set_weight(entry.weight)
        .build()
}

/// A forward to `groups`: `form` 0 plain (a lone group as `TargetGroupArn`, implied weight 1),
/// 1 as Describe* returns a plain one (the ARN and a one-group config of weight 1), else a
/// `ForwardConfig`; with the stickiness and `Order` given.
fn forward_of(
    groups: &mut [Entry],
    form: u8,
    sticky: Option<(bool, i32)>,
    order: Option<i32>,
) -> Action {
    let stickiness = sticky.map(|(enabled, seconds)| {
        TargetGroupStickinessConfig::builder()
            .enabled(enabled)
            .duration_seconds(seconds)
            .build()
    });
    let mut config = ForwardActionConfig::builder()
        .set_target_group_stickiness_config(stickiness)
        .build();
    let mut action = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .set_order(order)
        .build();
    match (form, &mut *groups) {
        (0, [lone]) => {
            lone.weight = None;
            action.target_group_arn = Some(arn(lone.member));
            // An empty config (stickiness only) is no config: the plain ARN is what routes.
            action.forward_config = sticky.map(|_| {
                config.target_groups = Some(Vec::new());
                config
            });
        }
        (1, [lone]) => {
            lone.weight = Some(1);
            action.target_group_arn = Some(arn(lone.member));
            config.target_groups = Some(vec![tuple_of(lone)]);
            action.forward_config = Some(config);
        }
        _ => {
            config.target_groups = Some(groups.iter().map(tuple_of).collect());
            action.forward_config = Some(config);
        }
    }
    action
}

/// Any action but a forward, at any `Order`; OIDC with or without its secret and flag.
fn other_action() -> impl Strategy<Value = Action> {
    (
        0..4u8,
        prop::option::of(any::<i32>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(kind, order, use_existing)| {
            let mut action = match kind {
                0 => fixed_response(1),
                1 => cognito(1),
                2 => oidc(1, Some("s3cret")),
                _ => oidc(1, None),
            };
            action.order = order;
            if let Some(config) = action.authenticate_oidc_config.as_mut() {
                config.use_existing_client_secret = use_existing;
            }
            action
        })
}

/// Action lists of one forward among other actions, now and then none or two.
fn case() -> impl Strategy<Value = Case> {
    (
        entries(ALB_WEIGHTS),
        0..4u8,
        prop::option::of((any::<bool>(), 1..=604_800i32)),
        prop::option::of(1..=50_000i32),
        prop::collection::vec(other_action(), 0..4),
        any::<Index>(),
        prop_oneof![18 => Just(1usize), 1 => Just(0usize), 1 => Just(2usize)],
    )
        .prop_map(
            |(mut groups, form, sticky, order, mut actions, at, forwards)| {
                let forward = forward_of(&mut groups, form, sticky, order);
                if forwards >= 1 {
                    actions.insert(at.index(actions.len() + 1), forward);
                }
                if forwards == 2 {
                    actions.push(plain_forward(&arn(Member::Other(9))));
                }
                Case {
                    actions,
                    groups,
                    forwards,
                }
            },
        )
}

/// `action` as a modify must send it: OIDC without its secret says to keep the existing one.
fn as_sent(action: &Action) -> Action {
    let mut sent = action.clone();
    if let Some(config) = sent.authenticate_oidc_config.as_mut() {
        if config.client_secret.is_none() {
            config.use_existing_client_secret = Some(true);
        }
    }
    sent
}

/// The forward `before` with exactly `groups`, as a `ForwardConfig` without `TargetGroupArn`.
fn forward_with(before: &Action, groups: &[Entry]) -> Action {
    let mut after = before.clone();
    after.target_group_arn = None;
    let mut config = after
        .forward_config
        .take()
        .unwrap_or_else(|| ForwardActionConfig::builder().build());
    config.target_groups = Some(groups.iter().map(tuple_of).collect());
    after.forward_config = Some(config);
    after
}

proptest! {
    #[test]
    fn a_read_is_the_stable_the_canary_and_the_others_sum(case in case()) {
        let read = live_split(&case.actions, STABLE, CANARY, RULE);
        let usable = case.forwards == 1
            && readable(&case.groups, ALB_WEIGHTS)
            && has(&case.groups, Member::Stable);
        prop_assert_eq!(read.is_ok(), usable, "{:?}", read);
        if let Ok(split) = read {
            prop_assert_eq!(split, read_of(&case.groups, 1));
        }
    }

    #[test]
    fn a_write_changes_only_the_two_weights(case in case(), target in target()) {
        let result = with_weights(&case.actions, STABLE, CANARY, target, RULE);
        let must = case.forwards == 1 && writable(&case.groups, ALB_WEIGHTS, target);
        prop_assert_eq!(result.is_ok(), must, "{:?}", result);
        let Ok(out) = result else { return Ok(()) };
        prop_assert!(has(&case.groups, Member::Stable), "a write added the stable");
        let at = case.forward_index();
        prop_assert_eq!(out.len(), case.actions.len());
        for (i, (before, after)) in case.actions.iter().zip(&out).enumerate() {
            if i == at {
                prop_assert_eq!(after, &forward_with(before, &written(&case.groups, target)));
            } else {
                prop_assert_eq!(after, &as_sent(before));
            }
        }
        let others = live_split(&case.actions, STABLE, CANARY, RULE).unwrap().others;
        prop_assert_eq!(
            live_split(&out, STABLE, CANARY, RULE).unwrap(),
            Split { others, ..target }
        );
    }

    #[test]
    fn a_non_forward_action_is_sent_back_as_read_but_for_the_oidc_flag(
        action in other_action(),
    ) {
        prop_assert_eq!(copy_for_modify(&action), as_sent(&action));
    }
}
