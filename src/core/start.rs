//! Where a deployment starts when the canary already receives traffic.
//!
//! A route often carries a split before canary-deploy first touches it: AWS's VPC Lattice sample
//! deploys its two target groups at 60/40, an earlier rollout may have stopped half way. Starting
//! at the first step would silently move traffic *back* (40 % → 10 %), and starting "somewhere"
//! would silently skip steps, so neither is ever implied: without a `start_from` the deployment
//! refuses to start and names the live split and what each way on would do. The same rule holds
//! for every backend, and `plan`'s preflight asks the same question.

use super::plan::{Plan, StartFrom};
use super::types::{Share, Split};

/// How the first tick of a pending deployment begins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Write step `index`'s share and bake it.
    EnterStep { index: usize },
    /// The live split already is step `index`'s share: adopt it as written, no write, and bake.
    Adopt { index: usize },
    /// The live split is below step `index`'s share: judge it as it is over one complete
    /// analysis window first (an already failing canary is rolled back from where it is, not
    /// raised), then write the step.
    JudgeThenStep { index: usize },
    /// Do not start: the canary has traffic and the plan does not say how to go on.
    Refuse { why: String },
}

impl Start {
    /// What the first tick does, for `plan`, `status` and the preflight: "writes step 1 (5%)",
    /// "adopts the live split as step 2 (25%) without a write", "judges the live split over one
    /// analysis window, then writes step 3 (50%)", or the refusal.
    pub fn describe(&self, plan: &Plan) -> String {
        let step = |index: usize| {
            let share = plan
                .steps
                .get(index)
                .map_or(Share::CANARY_ONLY, |s| s.share);
            format!("step {} ({share})", index + 1)
        };
        match self {
            Start::EnterStep { index } => format!("writes {}", step(*index)),
            Start::Adopt { index } => {
                format!("adopts the live split as {} without a write", step(*index))
            }
            Start::JudgeThenStep { index } => format!(
                "judges the live split as it is over one analysis window, then writes {}",
                step(*index)
            ),
            Start::Refuse { why } => format!("refuses to start: {why}"),
        }
    }

    /// The step the deployment starts at (0 for a refusal).
    pub fn index(&self) -> usize {
        match self {
            Start::EnterStep { index }
            | Start::Adopt { index }
            | Start::JudgeThenStep { index } => *index,
            Start::Refuse { .. } => 0,
        }
    }
}

/// The start of `plan` from the `live` split, under the plan's `start_from`.
pub fn start(plan: &Plan, live: Split) -> Start {
    let live_share = live.canary_share();
    if live_share == Share::STABLE_ONLY {
        return Start::EnterStep { index: 0 };
    }
    match plan.start_from {
        Some(StartFrom::FirstStep) => Start::EnterStep { index: 0 },
        Some(StartFrom::Live) => match continue_at(plan, live_share) {
            Some(index) if plan.steps[index].share == live_share => Start::Adopt { index },
            Some(index) => Start::JudgeThenStep { index },
            None => Start::Refuse {
                why: "the plan has no steps".to_string(),
            },
        },
        None => Start::Refuse {
            why: refusal(plan, live),
        },
    }
}

/// The first step at or above the live share (the last step is always 100 %).
fn continue_at(plan: &Plan, live: Share) -> Option<usize> {
    plan.steps
        .iter()
        .position(|step| step.share >= live)
        .or_else(|| plan.steps.len().checked_sub(1))
}

/// The refusal: the live split, and what each way on would do with it.
fn refusal(plan: &Plan, live: Split) -> String {
    let live_share = live.canary_share();
    let Some(first) = plan.steps.first() else {
        return "the plan has no steps".to_string();
    };
    let continued = match continue_at(plan, live_share) {
        Some(index) => {
            let step = plan.steps[index].share;
            let skipped = plan.steps[..index]
                .iter()
                .map(|s| s.share.to_string())
                .collect::<Vec<_>>();
            let skipping = match skipped.is_empty() {
                true => String::new(),
                false => format!(", skipping {}", skipped.join(", ")),
            };
            if step == live_share {
                format!(
                    "stays at {step} as step {} and bakes it{skipping}",
                    index + 1
                )
            } else {
                format!(
                    "moves the canary up to step {} ({step}){skipping}",
                    index + 1
                )
            }
        }
        None => "has no step to continue at".to_string(),
    };
    let direction = match first.share < live_share {
        true => "down",
        false => "up",
    };
    format!(
        "the canary already receives {live_share} of traffic ({live}) but the plan starts from \
         0%; not starting. Choose how to go on: `start_from: live` in the playbook or \
         `--start-from live` {continued}; `start_from: first_step` or `--start-from first-step` \
         moves the canary {direction} to step 1 ({}); or put all traffic on stable first",
        first.share
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::step::test_support::PlanBuilder;

    fn plan(start_from: Option<StartFrom>) -> Plan {
        let mut plan = PlanBuilder::new(&[(100, 10), (250, 10), (500, 10), (1000, 0)]).build();
        plan.start_from = start_from;
        plan
    }

    #[test]
    fn no_canary_traffic_starts_at_the_first_step_whatever_the_policy() {
        for policy in [None, Some(StartFrom::Live), Some(StartFrom::FirstStep)] {
            assert_eq!(
                start(&plan(policy), Split::new(1000, 0)),
                Start::EnterStep { index: 0 }
            );
        }
        assert_eq!(
            start(&plan(None), Split::new(0, 0)),
            Start::EnterStep { index: 0 }
        );
    }

    #[test]
    fn without_a_policy_a_live_split_is_refused_with_both_ways_on() {
        let Start::Refuse { why } = start(&plan(None), Split::new(60, 40)) else {
            panic!("not refused");
        };
        assert_eq!(
            why,
            "the canary already receives 40% of traffic (stable 60 / canary 40 (40% canary)) but \
             the plan starts from 0%; not starting. Choose how to go on: `start_from: live` in \
             the playbook or `--start-from live` moves the canary up to step 3 (50%), skipping \
             10%, 25%; `start_from: first_step` or `--start-from first-step` moves the canary \
             down to step 1 (10%); or put all traffic on stable first"
        );
    }

    #[test]
    fn live_continues_at_the_first_step_at_or_above_the_live_share() {
        let live = Some(StartFrom::Live);
        assert_eq!(
            start(&plan(live), Split::new(60, 40)),
            Start::JudgeThenStep { index: 2 }
        );
        assert_eq!(
            start(&plan(live), Split::new(75, 25)),
            Start::Adopt { index: 1 }
        );
        assert_eq!(
            start(&plan(live), Split::new(95, 5)),
            Start::JudgeThenStep { index: 0 }
        );
        assert_eq!(
            start(&plan(live), Split::new(0, 999)),
            Start::Adopt { index: 3 }
        );
    }

    #[test]
    fn first_step_resets_whatever_is_live() {
        assert_eq!(
            start(&plan(Some(StartFrom::FirstStep)), Split::new(60, 40)),
            Start::EnterStep { index: 0 }
        );
    }

    #[test]
    fn a_refusal_at_an_exact_step_says_it_stays() {
        let Start::Refuse { why } = start(&plan(None), Split::new(75, 25)) else {
            panic!("not refused");
        };
        assert!(
            why.contains("`--start-from live` stays at 25% as step 2 and bakes it, skipping 10%"),
            "{why}"
        );
        assert!(
            why.contains("moves the canary down to step 1 (10%)"),
            "{why}"
        );
    }
}
