//! `start-split`: the live weights are ones the plan starts from. `core::start` decides, as it
//! does for the first tick, so `plan` says beforehand what `run` would do.

use super::{PreflightCheck, START_SPLIT};
use crate::core::start::{start, Start};
use crate::core::{Plan, Split};

pub fn check(plan: &Plan, live: &Result<Split, String>) -> PreflightCheck {
    let live = match live {
        Ok(live) => *live,
        Err(why) => {
            return PreflightCheck::fail(
                START_SPLIT,
                format!("cannot read the live weights: {why}"),
            )
        }
    };
    match start(plan, live) {
        Start::Refuse { why } => PreflightCheck::fail(START_SPLIT, why),
        start => PreflightCheck::pass(
            START_SPLIT,
            format!(
                "live weights {live}: the first tick {}",
                start.describe(plan)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::StartFrom;
    use crate::core::step::test_support::PlanBuilder;
    use crate::preflight::Outcome;

    #[test]
    fn a_canary_without_traffic_starts_at_the_first_step() {
        let plan = PlanBuilder::standard().build();
        let check = check(&plan, &Ok(Split::new(1000, 0)));
        assert_eq!(check.outcome, Outcome::Pass);
        assert!(
            check.message.contains("writes step 1 (5%)"),
            "{}",
            check.message
        );
    }

    #[test]
    fn a_live_split_without_start_from_fails_with_both_ways_on() {
        let mut plan = PlanBuilder::standard().build();
        let live = Ok(Split::new(60, 40));
        let refused = check(&plan, &live);
        assert_eq!(refused.outcome, Outcome::Fail);
        assert!(
            refused.message.contains("`start_from: live`"),
            "{}",
            refused.message
        );
        plan.start_from = Some(StartFrom::Live);
        assert_eq!(check(&plan, &live).outcome, Outcome::Pass);
    }

    #[test]
    fn unreadable_weights_fail() {
        let plan = PlanBuilder::standard().build();
        let check = check(&plan, &Err("throttled".to_string()));
        assert_eq!(check.outcome, Outcome::Fail);
        assert_eq!(check.message, "cannot read the live weights: throttled");
    }
}
