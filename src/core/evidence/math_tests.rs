use super::*;
use crate::replay::model::Sampler;

fn counts(requests: f64, bad: f64) -> Counts {
    Counts::new(requests, bad)
}

#[test]
fn counts_are_clamped_to_something_computable() {
    assert_eq!(counts(f64::NAN, 3.0), counts(0.0, 0.0));
    assert_eq!(counts(10.0, 30.0), counts(10.0, 10.0));
    assert_eq!(counts(-5.0, -1.0), counts(0.0, 0.0));
    assert_eq!(counts(10.0, f64::INFINITY).bad, 0.0);
    assert_eq!(counts(200.0, 3.0).percent(), Some(1.5));
    assert_eq!(counts(0.0, 0.0).percent(), None);
}

#[test]
fn a_canary_with_exactly_its_share_of_errors_gains_no_evidence() {
    let mut test = ShareTest::default();
    for _ in 0..50 {
        test.fold(counts(100.0, 1.0), counts(900.0, 9.0));
    }
    assert!(test.e_value() < 1.0, "{}", test.e_value());
}

#[test]
fn a_canary_with_twice_the_errors_is_shown_worse() {
    let mut test = ShareTest::default();
    // 10 % of the requests, 2 % errors against 1 %: 2 of 11 errors per window on the canary.
    for _ in 0..30 {
        test.fold(counts(100.0, 2.0), counts(900.0, 9.0));
    }
    assert!(test.e_value() > 100.0, "{}", test.e_value());
}

#[test]
fn windows_without_errors_or_without_traffic_change_nothing() {
    let mut test = ShareTest::default();
    test.fold(counts(100.0, 0.0), counts(900.0, 0.0));
    test.fold(counts(0.0, 0.0), counts(900.0, 9.0));
    test.fold(counts(100.0, 3.0), counts(0.0, 0.0));
    assert_eq!(test, ShareTest::default());
    assert_eq!(test.e_value(), 1.0);
}

#[test]
fn a_corrupt_state_is_no_evidence() {
    let test = ShareTest {
        log_lr: vec![f64::NAN; RATIOS.len()],
    };
    assert_eq!(test.e_value(), 1.0);
    let short = ShareTest { log_lr: vec![50.0] };
    assert_eq!(short.e_value(), 1.0);
}

#[test]
fn rate_evidence_points_the_right_way() {
    // 2 % observed against a 1 % limit, 5,000 requests: far above.
    assert!(rate_above(counts(5_000.0, 100.0), 0.01) > 1e6);
    assert!(rate_below(counts(5_000.0, 100.0), 0.01) < 1e-6);
    // 0.2 % against 1 %: far below.
    assert!(rate_below(counts(5_000.0, 10.0), 0.01) > 1e6);
    assert!(rate_above(counts(5_000.0, 10.0), 0.01) < 1.0);
    // Nothing observed: no evidence either way.
    assert_eq!(rate_above(counts(0.0, 0.0), 0.01), 1.0);
    assert_eq!(rate_below(counts(0.0, 0.0), 0.01), 1.0);
}

#[test]
fn limits_at_the_ends_are_total() {
    assert_eq!(rate_above(counts(100.0, 1.0), 0.0), f64::MAX);
    assert_eq!(rate_above(counts(100.0, 0.0), 0.0), 1.0);
    assert_eq!(rate_below(counts(100.0, 0.0), 0.0), 1.0);
    assert_eq!(rate_above(counts(100.0, 100.0), 1.0), 1.0);
    assert_eq!(rate_below(counts(100.0, 99.0), 1.0), f64::MAX);
    assert!(rate_above(counts(1e9, 1e9), 0.5).is_finite());
    assert!(rate_below(counts(1e9, 0.0), 0.5).is_finite());
}

#[test]
fn the_requests_needed_shrink_as_evidence_grows() {
    let far = requests_to_show_below(0.005, 0.015, 1.0, 100.0).unwrap();
    let near = requests_to_show_below(0.005, 0.015, 50.0, 100.0).unwrap();
    assert!(near < far, "{near} {far}");
    assert_eq!(
        requests_to_show_below(0.005, 0.015, 100.0, 100.0),
        Some(0.0)
    );
    // At the limit itself the evidence never comes.
    assert_eq!(requests_to_show_below(0.015, 0.015, 1.0, 100.0), None);
}

/// Ville's inequality in practice: a healthy canary, looked at after every one of 180 windows,
/// crosses `1/α` in at most about `α` of 2,000 seeded deployments.
#[test]
fn the_share_test_keeps_its_false_alarm_budget_however_often_it_is_looked_at() {
    let mut sampler = Sampler::new(7);
    let alpha = 0.05;
    let mut alarms = 0;
    for _ in 0..2_000 {
        let mut test = ShareTest::default();
        for _ in 0..180 {
            let canary_n = sampler.poisson(60.0);
            let stable_n = sampler.poisson(540.0);
            let canary = counts(canary_n, sampler.binomial(canary_n, 0.01));
            let stable = counts(stable_n, sampler.binomial(stable_n, 0.01));
            test.fold(canary, stable);
            if test.e_value() >= 1.0 / alpha {
                alarms += 1;
                break;
            }
        }
    }
    // Expected at most 100; the bound is loose, so far fewer cross.
    assert!(
        alarms <= 100,
        "{alarms} of 2000 healthy canaries crossed 1/α"
    );
}

#[test]
fn the_rate_test_keeps_its_budget_at_the_limit() {
    let mut sampler = Sampler::new(11);
    let alpha = 0.05;
    let mut alarms = 0;
    for _ in 0..2_000 {
        let mut total = Counts::default();
        for _ in 0..120 {
            let n = sampler.poisson(100.0);
            total = total.plus(counts(n, sampler.binomial(n, 0.02)));
            if rate_above(total, 0.02) >= 1.0 / alpha {
                alarms += 1;
                break;
            }
        }
    }
    assert!(alarms <= 100, "{alarms} of 2000 at the limit crossed 1/α");
}
