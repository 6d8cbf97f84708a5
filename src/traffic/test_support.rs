//! Generators for the property tests of the pure traffic edits, and the model they are checked
//! against: forward actions of any shape an ALB or Lattice read can meet (valid or not), target
//! splits, and Lambda alias weights of any `f64`.
//!
//! A forward is generated backend-neutrally as a list of [`Entry`]s (who, weight, identifier
//! form); each backend's property module builds its SDK action from it. The model says what a
//! read must give and when a write must succeed, from the documented rules alone (each weight
//! 0–999 or missing, no group twice, at most the backend's number of groups, the stable routed).

use crate::core::types::Split;
use crate::traffic::split::WeightLimits;
use proptest::prelude::*;
use proptest::sample::Index;

/// Who a target group of a generated forward is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Stable,
    Canary,
    /// Someone else's target group, the n-th.
    Other(usize),
}

/// One target group of a generated forward, as AWS gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub member: Member,
    /// `None`: written without a weight (the backend's default applies).
    pub weight: Option<i32>,
    /// Named by its ARN rather than its id (Lattice accepts both; ALB names groups by ARN).
    pub by_arn: bool,
}

/// A weight as a read may carry it: mostly 0–999 or missing, sometimes out of range.
pub fn weight() -> impl Strategy<Value = Option<i32>> {
    prop_oneof![
        12 => (0..=999i32).prop_map(Some),
        3 => Just(None),
        1 => prop_oneof![Just(-1), Just(1000), i32::MIN..0, 1000..=i32::MAX].prop_map(Some),
    ]
}

/// The target groups of a forward in any order: the stable, the canary and others each at most
/// once, up to one more group than `limits` allows, and now and then one group listed twice
/// (possibly once by id and once by ARN).
pub fn entries(limits: WeightLimits) -> impl Strategy<Value = Vec<Entry>> {
    let mut members = vec![Member::Stable, Member::Canary];
    members.extend((0..limits.max_target_groups).map(Member::Other));
    let most = limits.max_target_groups + 1;
    prop::sample::subsequence(members, 0..=most)
        .prop_shuffle()
        .prop_flat_map(|members| {
            let n = members.len();
            (
                Just(members),
                prop::collection::vec((weight(), any::<bool>()), n),
                (
                    0..16u8,
                    any::<Index>(),
                    any::<Index>(),
                    weight(),
                    any::<bool>(),
                ),
            )
        })
        .prop_map(|(members, looks, (twice, from, to, weight, by_arn))| {
            let mut entries: Vec<Entry> = members
                .into_iter()
                .zip(looks)
                .map(|(member, (weight, by_arn))| Entry {
                    member,
                    weight,
                    by_arn,
                })
                .collect();
            if twice == 0 && !entries.is_empty() {
                let member = entries[from.index(entries.len())].member;
                let at = to.index(entries.len() + 1);
                entries.insert(
                    at,
                    Entry {
                        member,
                        weight,
                        by_arn,
                    },
                );
            }
            entries
        })
}

/// A target split: each weight mostly 0–999, sometimes beyond.
pub fn target() -> impl Strategy<Value = Split> {
    let weight = || prop_oneof![12 => 0..=999u32, 1 => 1000..=u32::MAX];
    (weight(), weight()).prop_map(|(stable, canary)| Split::new(stable, canary))
}

/// Whether `member` is in the forward.
pub fn has(entries: &[Entry], member: Member) -> bool {
    entries.iter().any(|e| e.member == member)
}

/// Whether a read of `entries` is usable: each weight 0–999 or missing, no group twice, at
/// most the backend's number of groups.
pub fn readable(entries: &[Entry], limits: WeightLimits) -> bool {
    let in_range =
        |w: &Option<i32>| w.is_none_or(|w| u32::try_from(w).is_ok_and(|w| w <= limits.max_weight));
    let distinct = entries
        .iter()
        .enumerate()
        .all(|(i, e)| !entries[..i].iter().any(|o| o.member == e.member));
    entries.len() <= limits.max_target_groups
        && distinct
        && entries.iter().all(|e| in_range(&e.weight))
}

/// The split a read of a readable forward with the stable must give, `default` being the weight
/// of a group written without one.
pub fn read_of(entries: &[Entry], default: u32) -> Split {
    let weight = |e: &Entry| e.weight.map_or(default, |w| u32::try_from(w).unwrap_or(0));
    let of = |member| entries.iter().find(|e| e.member == member).map(weight);
    Split {
        stable: of(Member::Stable).unwrap_or(0),
        canary: of(Member::Canary).unwrap_or(0),
        others: entries
            .iter()
            .filter(|e| matches!(e.member, Member::Other(_)))
            .map(weight)
            .sum(),
    }
}

/// Whether writing `target` on `entries` must succeed: a usable read that routes the stable, a
/// target in range, and room for the canary when it joins.
pub fn writable(entries: &[Entry], limits: WeightLimits, target: Split) -> bool {
    let joining = usize::from(!has(entries, Member::Canary));
    readable(entries, limits)
        && has(entries, Member::Stable)
        && target.stable <= limits.max_weight
        && target.canary <= limits.max_weight
        && entries.len() + joining <= limits.max_target_groups
}

/// What a write of `target` must make of `entries`: the two weights set in place, the canary
/// appended (by id) when it was not there, every other group exactly as it was.
pub fn written(entries: &[Entry], target: Split) -> Vec<Entry> {
    let weight = |w: u32| Some(i32::try_from(w).unwrap_or(i32::MAX));
    let mut out: Vec<Entry> = entries
        .iter()
        .map(|e| match e.member {
            Member::Stable => Entry {
                weight: weight(target.stable),
                ..e.clone()
            },
            Member::Canary => Entry {
                weight: weight(target.canary),
                ..e.clone()
            },
            Member::Other(_) => e.clone(),
        })
        .collect();
    if !has(entries, Member::Canary) {
        out.push(Entry {
            member: Member::Canary,
            weight: weight(target.canary),
            by_arn: false,
        });
    }
    out
}
/// A Lambda weight as GetAlias might return it: mostly 0.0–1.0, and every awkward `f64` (NaN,
/// ±infinity, −0, negative, just above 1, 1e308, subnormals, any bit pattern).
pub fn lambda_weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => 0.0..=1.0f64,
        1 => (0..=1000u32).prop_map(|p| f64::from(p) / 1000.0),
        1 => prop::sample::select(vec![
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            1.0,
            1.0 + f64::EPSILON,
            -f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 2.0,
            f64::from_bits(1),
            1e308,
            -1e308,
            f64::MAX,
            f64::MIN,
            0.0005,
            0.9995,
        ]),
        2 => any::<f64>(),
    ]
}
