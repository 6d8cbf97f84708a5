//! Property tests of the Lattice forward edit, over rule actions of any shape: none, a fixed
//! response, or a forward of 0–11 target groups in any order, each named by id or by ARN, with
//! any weight (or none, or out of range), the stable and canary present or not, and a group
//! listed twice (possibly once by id and once by ARN).
//!
//! What is promised, whatever the input (and never a panic):
//! - `live_split` answers exactly when the action is a forward whose read is usable (each
//!   weight 0–999 or missing, no group twice, at most 10 groups) and routes the stable, and then
//!   gives the stable's weight, the canary's (0 when absent) and the sum of the others' (a
//!   missing weight is AWS's default, 100);
//! - `with_weights` succeeds exactly when that read would, the target is within 0–999 and the
//!   canary, when it joins, still fits in 10 groups (so a write never adds the stable);
//! - what it returns differs from the forward read only in the two weights (the canary appended
//!   by id when it was not there): every group keeps its place, identifier and other weight;
//! - reading it back gives the target's two weights and the others' sum as before.

use super::tests::{canary, fixed, stable, weighted, RULE, TG_PREFIX};
use super::*;
use crate::traffic::test_support::{
    entries, has, read_of, readable, target, writable, written, Entry, Member,
};
use proptest::prelude::*;

/// A rule action with its forward's groups as the model sees them (none: not a forward).
#[derive(Clone, Debug)]
struct Case {
    action: Option<RuleAction>,
    groups: Option<Vec<Entry>>,
}

fn identifier(entry: &Entry) -> String {
    let id = match entry.member {
        Member::Stable => stable().id,
        Member::Canary => canary().id,
        Member::Other(n) => format!("tg-o{n}"),
    };
    if entry.by_arn {
        format!("{TG_PREFIX}{id}")
    } else {
        id
    }
}

fn forward_to(groups: &[Entry]) -> RuleAction {
    let groups = groups
        .iter()
        .map(|e| weighted(&identifier(e), e.weight))
        .collect();
    RuleAction::Forward(
        ForwardAction::builder()
            .set_target_groups(Some(groups))
            .build()
            .unwrap(),
    )
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        18 => entries(LATTICE_WEIGHTS).prop_map(|groups| Case {
            action: Some(forward_to(&groups)),
            groups: Some(groups),
        }),
        1 => Just(Case { action: None, groups: None }),
        1 => (200..600i32).prop_map(|status| Case {
            action: Some(fixed(status)),
            groups: None,
        }),
    ]
}

proptest! {
    #[test]
    fn a_read_is_the_stable_the_canary_and_the_others_sum(case in case()) {
        let read = live_split(case.action.as_ref(), &stable(), &canary(), RULE);
        let usable = case.groups.as_ref().is_some_and(|groups| {
            readable(groups, LATTICE_WEIGHTS) && has(groups, Member::Stable)
        });
        prop_assert_eq!(read.is_ok(), usable, "{:?}", read);
        if let (Ok(split), Some(groups)) = (read, &case.groups) {
            prop_assert_eq!(split, read_of(groups, DEFAULT_WEIGHT));
        }
    }

    #[test]
    fn a_write_changes_only_the_two_weights(case in case(), target in target()) {
        let action = case.action.as_ref();
        let result = with_weights(action, &stable(), &canary(), target, RULE);
        let must = case
            .groups
            .as_ref()
            .is_some_and(|groups| writable(groups, LATTICE_WEIGHTS, target));
        prop_assert_eq!(result.is_ok(), must, "{:?}", result);
        let (Ok(out), Some(groups)) = (result, &case.groups) else { return Ok(()) };
        prop_assert!(has(groups, Member::Stable), "a write added the stable");
        prop_assert_eq!(&out, &forward_to(&written(groups, target)));
        let others = live_split(action, &stable(), &canary(), RULE).unwrap().others;
        prop_assert_eq!(
            live_split(Some(&out), &stable(), &canary(), RULE).unwrap(),
            Split { others, ..target }
        );
    }
}
