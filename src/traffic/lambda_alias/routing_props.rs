//! Property tests of the Lambda alias routing, over aliases of any shape: serving the stable,
//! the canary or another version, routing 0–3 extra versions with any `f64` weight (NaN,
//! ±infinity, −0, negative, above 1, 1e308, subnormals).
//!
//! What is promised, whatever the input (and never a panic):
//! - `live_split` answers only for a routing a deployment of these two versions can be in (the
//!   stable served, with or without the canary weighted 0.0–1.0; or the canary served with no
//!   extra version), and then stable + canary = 1000, canary = round(weight × 1000), others 0;
//! - a weight that is not a finite number within 0.0–1.0 is `UnusableAnswer`, whatever else the
//!   routing says;
//! - `edit` accepts exactly the splits that add up to 1000, keeps the revision read, and what it
//!   sends for any share reads back through `live_split` as that share's split;
//! - `permille` is within 0–1000 for any `f64`, and never decreases as the weight grows.

use super::*;
use crate::traffic::test_support::lambda_weight;
use proptest::prelude::*;

const RESOURCE: &str = "Lambda alias arn:aws:lambda:us-east-1:123456789012:function:f:live";

/// Two distinct versions, and an alias naming them, another version or any text.
fn case() -> impl Strategy<Value = (String, String, AliasRouting)> {
    ("[1-9][0-9]{0,2}", "[1-9][0-9]{0,2}|\\$LATEST")
        .prop_filter("two versions", |(stable, canary)| stable != canary)
        .prop_flat_map(|(stable, canary)| {
            let version = prop_oneof![
                3 => Just(stable.clone()),
                3 => Just(canary.clone()),
                1 => Just("1000".to_string()),
                1 => any::<String>(),
            ];
            let routing = (
                prop::option::of("[a-f0-9-]{1,36}"),
                version.clone(),
                prop::collection::btree_map(version, lambda_weight(), 0..=3),
            )
                .prop_map(|(revision_id, function_version, weights)| AliasRouting {
                    revision_id,
                    function_version,
                    weights,
                });
            (Just(stable), Just(canary), routing)
        })
}

fn versions<'a>(stable: &'a str, canary: &'a str) -> Versions<'a> {
    Versions {
        stable,
        canary,
        resource: RESOURCE,
    }
}

fn usable(weight: f64) -> bool {
    weight.is_finite() && (0.0..=1.0).contains(&weight)
}

/// The split a deployment of `v` can be in with `alias`, by the documented rule; None for any
/// other routing.
fn model(alias: &AliasRouting, v: Versions<'_>) -> Option<Split> {
    if alias.weights.keys().any(|version| version != v.canary) {
        return None;
    }
    let extra = alias.weights.get(v.canary);
    let canary = match (alias.function_version.as_str(), extra) {
        (served, Some(w)) if served == v.stable => (w * 1000.0).round() as u32,
        (served, None) if served == v.stable => 0,
        (served, None) if served == v.canary => 1000,
        _ => return None,
    };
    Some(Split::new(1000 - canary, canary))
}

proptest! {
    #[test]
    fn a_read_is_a_split_of_the_two_versions_or_refused((stable, canary, alias) in case()) {
        let v = versions(&stable, &canary);
        let read = live_split(&alias, v);
        if alias.weights.values().any(|w| !usable(*w)) {
            let unusable = matches!(read, Err(TrafficError::UnusableAnswer { .. }));
            prop_assert!(unusable, "{:?}", read);
            return Ok(());
        }
        prop_assert_eq!(read.as_ref().ok().copied(), model(&alias, v), "{:?}", read);
        if let Ok(split) = read {
            prop_assert_eq!((split.stable + split.canary, split.others), (1000, 0));
        }
    }

    #[test]
    fn an_edit_of_any_share_reads_back_as_it(
        (stable, canary, alias) in case(),
        permille in 0..=1000u16,
    ) {
        let v = versions(&stable, &canary);
        let split = split_for(Share::from_permille(permille).unwrap());
        let sent = edit(&alias, split, v).unwrap();
        prop_assert_eq!(&sent.revision_id, &alias.revision_id);
        prop_assert_eq!(live_split(&sent, v).unwrap(), split);
    }

    #[test]
    fn an_edit_takes_exactly_the_splits_adding_up_to_1000(
        (stable, canary, alias) in case(),
        stable_weight in prop_oneof![0..=1000u32, any::<u32>()],
        canary_weight in prop_oneof![0..=1000u32, any::<u32>()],
    ) {
        let target = Split::new(stable_weight, canary_weight);
        let sent = edit(&alias, target, versions(&stable, &canary));
        let adds_up = u64::from(stable_weight) + u64::from(canary_weight) == 1000;
        prop_assert_eq!(sent.is_ok(), adds_up, "{:?}", sent);
    }

    #[test]
    fn permille_is_in_range_and_monotonic(a in lambda_weight(), b in lambda_weight()) {
        prop_assert!(permille(a) <= 1000 && permille(b) <= 1000);
        if a.is_finite() && b.is_finite() && a <= b {
            prop_assert!(permille(a) <= permille(b), "{} {}", a, b);
        }
    }
}
