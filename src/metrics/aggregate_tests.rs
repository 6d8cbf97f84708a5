//! The aggregation of each kind of check's datapoints, and of alarm states.

use super::*;
use crate::core::observe::AlarmState;
use crate::core::plan::{CheckKind, Comparison, CustomQuery};
use crate::metrics::templates::{
    check_queries, test_support, AlbDimensions, LambdaDimensions, LatticeDimensions,
    RouteDimensions,
};

fn dims() -> RouteDimensions {
    test_support::alb().into()
}

fn lattice() -> RouteDimensions {
    LatticeDimensions {
        stable_target_group: "tg-0123456789abcdef0".into(),
        canary_target_group: "tg-0fedcba9876543210".into(),
    }
    .into()
}

fn lambda() -> RouteDimensions {
    LambdaDimensions {
        function_name: "checkout".into(),
        alias: "live".into(),
        stable_version: "7".into(),
        canary_version: "8".into(),
    }
    .into()
}

fn points(check: &CheckQueries, data: &[&[f64]]) -> Datapoints {
    check
        .metric_queries()
        .into_iter()
        .zip(data)
        .map(|(q, v)| (q.clone(), v.to_vec()))
        .collect()
}

#[test]
fn reduce_sums_and_picks_the_worst() {
    assert_eq!(reduce(&[1.0, 2.0, 3.5], Reduce::Sum), Some(6.5));
    assert_eq!(reduce(&[1.0, 7.0, 3.5], Reduce::Max), Some(7.0));
    assert_eq!(reduce(&[4.0, 7.0, 3.5], Reduce::Min), Some(3.5));
    assert_eq!(reduce(&[], Reduce::Sum), None);
    assert_eq!(reduce(&[], Reduce::Max), None);
    assert_eq!(reduce(&[f64::NAN], Reduce::Max), None);
}

#[test]
fn error_rate_sums_and_missing_5xx_is_none() {
    let check = check_queries(
        &CheckKind::ErrorRateVsStable {
            max_delta_percent: 1.0,
        },
        &dims(),
    );
    // canary requests, canary 5xx, stable requests, stable 5xx (none)
    let data = points(&check, &[&[100.0, 50.0], &[3.0, 1.0], &[900.0, 800.0], &[]]);
    assert_eq!(
        observe_check(&check, &data, &Alarms::new()),
        Observed::ErrorRate {
            canary: Traffic {
                requests: Some(150.0),
                errors: Some(4.0)
            },
            stable: Traffic {
                requests: Some(1700.0),
                errors: None
            },
        }
    );
    let plain = check_queries(&CheckKind::ErrorRate { max_percent: 1.0 }, &dims());
    assert_eq!(
        observe_check(&plain, &Datapoints::new(), &Alarms::new()),
        Observed::ErrorRate {
            canary: Traffic::default(),
            stable: Traffic::default()
        }
    );
}

#[test]
fn a_lambda_target_groups_error_counts_are_summed() {
    let dims: RouteDimensions = AlbDimensions {
        canary_is_lambda: true,
        ..test_support::alb()
    }
    .into();
    let check = check_queries(&CheckKind::ErrorRate { max_percent: 1.0 }, &dims);
    // canary RequestCount, 5XX (none: a failed invocation is not a target 5XX),
    // LambdaUserError, LambdaInternalError
    let data = points(&check, &[&[300.0, 300.0], &[], &[12.0, 6.0], &[1.0]]);
    assert_eq!(
        observe_check(&check, &data, &Alarms::new()),
        Observed::ErrorRate {
            canary: Traffic {
                requests: Some(600.0),
                errors: Some(19.0)
            },
            stable: Traffic::default(),
        }
    );
    let none = points(&check, &[&[300.0], &[], &[], &[]]);
    assert_eq!(
        observe_check(&check, &none, &Alarms::new()),
        Observed::ErrorRate {
            canary: Traffic {
                requests: Some(300.0),
                errors: None
            },
            stable: Traffic::default(),
        },
        "no error count at all is None, which the judge reads as 0 with requests"
    );
}

#[test]
fn throttles_sum_the_alias_invocations_and_throttles() {
    let check = check_queries(&CheckKind::Throttles { max_percent: 1.0 }, &lambda());
    let data = points(&check, &[&[570.0, 580.0], &[30.0, 20.0]]);
    assert_eq!(
        observe_check(&check, &data, &Alarms::new()),
        Observed::Throttles {
            invocations: Some(1150.0),
            throttles: Some(50.0)
        }
    );
    let all_throttled = points(&check, &[&[], &[40.0]]);
    assert_eq!(
        observe_check(&check, &all_throttled, &Alarms::new()),
        Observed::Throttles {
            invocations: None,
            throttles: Some(40.0)
        }
    );
    let on_alb = check_queries(&CheckKind::Throttles { max_percent: 1.0 }, &dims());
    assert!(matches!(
        observe_check(&on_alb, &Datapoints::new(), &Alarms::new()),
        Observed::Unavailable { .. }
    ));
}

#[test]
fn latency_is_the_worst_period_in_ms() {
    let check = check_queries(
        &CheckKind::LatencyVsStable {
            percentile: 99.0,
            max_ratio: 2.0,
            threshold_ms: None,
        },
        &dims(),
    );
    let data = points(&check, &[&[60.0, 60.0], &[0.120, 0.250, 0.2], &[0.1, 0.08]]);
    assert_eq!(
        observe_check(&check, &data, &Alarms::new()),
        Observed::Latency {
            canary_requests: Some(120.0),
            canary_ms: Some(250.0),
            stable_ms: Some(100.0),
            slow: None,
        }
    );
    let none = observe_check(&check, &Datapoints::new(), &Alarms::new());
    assert_eq!(
        none,
        Observed::Latency {
            canary_requests: None,
            canary_ms: None,
            stable_ms: None,
            slow: None,
        }
    );
}

#[test]
fn lattice_latency_is_already_ms_and_not_scaled() {
    let check = check_queries(
        &CheckKind::LatencyVsStable {
            percentile: 99.0,
            max_ratio: 2.0,
            threshold_ms: None,
        },
        &lattice(),
    );
    // canary TotalRequestCount, canary RequestTime p99 (ms), stable RequestTime p99 (ms)
    let data = points(
        &check,
        &[&[60.0, 60.0], &[120.0, 250.0, 200.0], &[100.0, 80.0]],
    );
    assert_eq!(
        observe_check(&check, &data, &Alarms::new()),
        Observed::Latency {
            canary_requests: Some(120.0),
            canary_ms: Some(250.0),
            stable_ms: Some(100.0),
            slow: None,
        }
    );
}

#[test]
fn the_same_latency_value_is_seconds_on_alb_and_ms_on_lattice() {
    let kind = CheckKind::Latency {
        percentile: 99.0,
        max_ms: 500.0,
    };
    let canary_ms = |dims: RouteDimensions| {
        let check = check_queries(&kind, &dims);
        match observe_check(&check, &points(&check, &[&[10.0], &[0.5]]), &Alarms::new()) {
            Observed::Latency { canary_ms, .. } => canary_ms,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(canary_ms(dims()), Some(500.0), "ALB seconds × 1000");
    assert_eq!(canary_ms(lattice()), Some(0.5), "Lattice ms as is");
    assert_eq!(canary_ms(lambda()), Some(0.5), "Lambda Duration ms as is");
}

#[test]
fn lattice_and_lambda_error_rates_sum_like_the_alb() {
    for dims in [lattice(), lambda()] {
        let check = check_queries(
            &CheckKind::ErrorRateVsStable {
                max_delta_percent: 1.0,
            },
            &dims,
        );
        // canary requests (Invocations), canary errors, stable requests, stable errors (none)
        let data = points(&check, &[&[100.0, 50.0], &[3.0, 1.0], &[900.0], &[]]);
        assert_eq!(
            observe_check(&check, &data, &Alarms::new()),
            Observed::ErrorRate {
                canary: Traffic {
                    requests: Some(150.0),
                    errors: Some(4.0)
                },
                stable: Traffic {
                    requests: Some(900.0),
                    errors: None
                },
            },
            "{dims:?}"
        );
    }
}

#[test]
fn custom_values_follow_the_comparison() {
    let custom = |statistic: &str, comparison| {
        check_queries(
            &CheckKind::Custom(CustomQuery {
                namespace: "App".into(),
                metric: "M".into(),
                dimensions: vec![],
                statistic: statistic.into(),
                comparison,
                threshold: 0.0,
            }),
            &dims(),
        )
    };
    let series: &[&[f64]] = &[&[5.0, 9.0, 2.0]];
    let value =
        |check: CheckQueries| observe_check(&check, &points(&check, series), &Alarms::new());
    assert_eq!(
        value(custom("Sum", Comparison::LessThan)),
        Observed::Value(Some(16.0))
    );
    assert_eq!(
        value(custom("Maximum", Comparison::LessThanOrEqual)),
        Observed::Value(Some(9.0))
    );
    assert_eq!(
        value(custom("Average", Comparison::GreaterThan)),
        Observed::Value(Some(2.0))
    );
    let check = custom("Sum", Comparison::LessThan);
    assert_eq!(
        observe_check(&check, &Datapoints::new(), &Alarms::new()),
        Observed::Value(None)
    );
}

#[test]
fn alarms_found_and_missing() {
    let found = AlarmObservation {
        name: "high-5xx".into(),
        state: AlarmState::Alarm,
        reason: "threshold crossed".into(),
    };
    let alarms: Alarms = [("high-5xx".to_string(), found.clone())].into();
    let check = |names: &[&str]| CheckQueries::Alarms {
        names: names.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(
        observe_check(&check(&["high-5xx"]), &Datapoints::new(), &alarms),
        Observed::Alarms(vec![found])
    );
    assert_eq!(
        observe_check(&check(&["high-5xx", "nope"]), &Datapoints::new(), &alarms),
        Observed::Unavailable {
            why: "alarm nope does not exist".into()
        }
    );
    assert_eq!(
        observe_check(&check(&["x", "y"]), &Datapoints::new(), &alarms),
        Observed::Unavailable {
            why: "alarms x, y do not exist".into()
        }
    );
}
