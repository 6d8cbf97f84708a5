//! The throttles check of a Lambda alias: throttled requests as a percent of all the requests
//! the alias received, with the same "no data" and `min_requests` rules as the error rate.
//!
//! Lambda counts a throttled request in `Throttles` and in neither `Invocations` nor `Errors`,
//! so the alias's requests are `Invocations + Throttles`: an alias that throttles everything has
//! no `Invocations` datapoint at all, and is judged at 100 %, never as "no data". A window with
//! invocations and no `Throttles` datapoint has none.

use super::super::observe::Traffic;
use super::{compare, finite, num, rate, CheckOutcome};

/// `throttles / (invocations + throttles)` in percent against `max_percent`; "no data" while
/// the alias received fewer than `min_requests` requests (throttled ones included).
pub(super) fn judge_throttles(
    invocations: Option<f64>,
    throttles: Option<f64>,
    max_percent: f64,
    min_requests: u64,
) -> (CheckOutcome, String) {
    let requests = match (finite(invocations), finite(throttles)) {
        (None, None) => None,
        (ran, rejected) => Some(ran.unwrap_or(0.0) + rejected.unwrap_or(0.0)),
    };
    let alias = Traffic {
        requests,
        errors: throttles,
    };
    let (percent, throttled, requests) = match rate("alias", alias, min_requests) {
        Ok(r) => r,
        Err(why) => return (CheckOutcome::NoData, why),
    };
    let (outcome, op) = compare(percent > max_percent);
    let detail = format!(
        "alias throttled {percent:.2}% {op} max {max_percent:.2}% ({} of {} requests)",
        num(throttled),
        num(requests)
    );
    (outcome, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_are_a_share_of_invocations_plus_throttles() {
        let (outcome, detail) = judge_throttles(Some(95.0), Some(5.0), 1.0, 50);
        assert_eq!(outcome, CheckOutcome::Fail);
        assert_eq!(
            detail,
            "alias throttled 5.00% > max 1.00% (5 of 100 requests)"
        );
        let (outcome, detail) = judge_throttles(Some(99.0), Some(1.0), 1.0, 50);
        assert_eq!(outcome, CheckOutcome::Pass, "exactly at the limit passes");
        assert_eq!(
            detail,
            "alias throttled 1.00% <= max 1.00% (1 of 100 requests)"
        );
    }

    #[test]
    fn no_throttles_datapoint_with_invocations_is_zero() {
        let (outcome, detail) = judge_throttles(Some(600.0), None, 0.0, 50);
        assert_eq!(outcome, CheckOutcome::Pass);
        assert_eq!(
            detail,
            "alias throttled 0.00% <= max 0.00% (0 of 600 requests)"
        );
    }

    #[test]
    fn an_alias_that_throttles_everything_fails_rather_than_having_no_data() {
        let (outcome, detail) = judge_throttles(None, Some(80.0), 1.0, 50);
        assert_eq!(outcome, CheckOutcome::Fail);
        assert_eq!(
            detail,
            "alias throttled 100.00% > max 1.00% (80 of 80 requests)"
        );
    }

    #[test]
    fn too_few_requests_or_none_is_no_data() {
        let (outcome, detail) = judge_throttles(None, None, 1.0, 50);
        assert_eq!(outcome, CheckOutcome::NoData);
        assert_eq!(
            detail,
            "alias served no requests (no datapoints), fewer than min_requests 50"
        );
        // Throttled requests count toward min_requests: 30 + 10 is still below 50.
        let (outcome, detail) = judge_throttles(Some(30.0), Some(10.0), 1.0, 50);
        assert_eq!(outcome, CheckOutcome::NoData);
        assert_eq!(
            detail,
            "alias served 40 requests, fewer than min_requests 50"
        );
        let (outcome, _) = judge_throttles(Some(f64::NAN), Some(f64::INFINITY), 1.0, 0);
        assert_eq!(
            outcome,
            CheckOutcome::NoData,
            "non-finite values are missing"
        );
    }
}
