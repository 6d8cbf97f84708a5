//! Custom metrics, alarms, unavailable and mismatched observations, and the overall verdict.

use super::*;

#[test]
fn custom_metric_holds_its_comparison() {
    let r = one(
        queue_depth(Comparison::LessThanOrEqual),
        Observed::Value(Some(130.0)),
    );
    assert_eq!(r.outcome, CheckOutcome::Fail);
    assert_eq!(r.detail, "MyApp QueueDepth Maximum = 130 (must be <= 100)");
    let at = Observed::Value(Some(100.0));
    assert_eq!(
        outcome(queue_depth(Comparison::LessThanOrEqual), at.clone()),
        CheckOutcome::Pass
    );
    assert_eq!(
        outcome(queue_depth(Comparison::LessThan), at.clone()),
        CheckOutcome::Fail
    );
    assert_eq!(
        outcome(queue_depth(Comparison::GreaterThanOrEqual), at.clone()),
        CheckOutcome::Pass
    );
    assert_eq!(
        outcome(queue_depth(Comparison::GreaterThan), at),
        CheckOutcome::Fail
    );
}

#[test]
fn custom_metric_ignores_min_requests_and_needs_a_value() {
    // A value with no request count at all is still judged.
    let r = one(
        queue_depth(Comparison::LessThan),
        Observed::Value(Some(0.5)),
    );
    assert_eq!(r.outcome, CheckOutcome::Pass);
    let r = one(queue_depth(Comparison::LessThan), Observed::Value(None));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert_eq!(
        r.detail,
        "no datapoint for MyApp QueueDepth Maximum in the window"
    );
}

#[test]
fn alarms_fail_on_any_alarm_naming_each_with_its_reason() {
    let kind = CheckKind::Alarms {
        names: vec!["a".into(), "b".into(), "c".into()],
    };
    let r = one(
        kind,
        Observed::Alarms(vec![
            alarm(
                "a",
                AlarmState::Alarm,
                "Threshold Crossed: 3 datapoints > 5",
            ),
            alarm("b", AlarmState::Ok, ""),
            alarm("c", AlarmState::Alarm, ""),
        ]),
    );
    assert_eq!(r.outcome, CheckOutcome::Fail);
    assert_eq!(
        r.detail,
        "alarm a is in ALARM: Threshold Crossed: 3 datapoints > 5; alarm c is in ALARM"
    );
}

#[test]
fn alarms_pass_when_ok_or_insufficient_data() {
    let kind = CheckKind::Alarms {
        names: vec!["a".into(), "b".into()],
    };
    let ok = Observed::Alarms(vec![
        alarm("a", AlarmState::Ok, ""),
        alarm("b", AlarmState::Ok, ""),
    ]);
    let r = one(kind.clone(), ok);
    assert_eq!(
        (r.outcome, r.detail.as_str()),
        (CheckOutcome::Pass, "all OK: a, b")
    );
    let thin = Observed::Alarms(vec![
        alarm("a", AlarmState::Ok, ""),
        alarm("b", AlarmState::InsufficientData, ""),
    ]);
    let r = one(kind, thin);
    assert_eq!(r.outcome, CheckOutcome::Pass);
    assert_eq!(
        r.detail,
        "no alarm in ALARM; insufficient data for b (only ALARM fails the check)"
    );
}

#[test]
fn an_alarm_without_a_state_is_no_data() {
    let kind = CheckKind::Alarms {
        names: vec!["a".into(), "gone".into()],
    };
    let r = one(kind, Observed::Alarms(vec![alarm("a", AlarmState::Ok, "")]));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert!(r.detail.contains("gone"), "{}", r.detail);
}

#[test]
fn unavailable_is_no_data_with_its_reason() {
    let why = "alarm HighErrors does not exist".to_string();
    for kind in [ER, ER_VS, LAT, LAT_VS, queue_depth(Comparison::LessThan)] {
        let r = one(kind, Observed::Unavailable { why: why.clone() });
        assert_eq!((r.outcome, r.detail), (CheckOutcome::NoData, why.clone()));
    }
}

#[test]
fn a_kind_mismatch_is_no_data() {
    let r = one(ER, latency(Some(1000.0), Some(1.0), Some(1.0)));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert!(
        r.detail
            .contains("expected an error-rate observation, got a latency one"),
        "{}",
        r.detail
    );
    let alarms = CheckKind::Alarms { names: vec![] };
    assert_eq!(
        outcome(alarms, Observed::Value(Some(1.0))),
        CheckOutcome::NoData
    );
    assert_eq!(outcome(LAT, Observed::Alarms(vec![])), CheckOutcome::NoData);
    let r = one(
        queue_depth(Comparison::LessThan),
        errors(Traffic::default(), Traffic::default()),
    );
    assert_eq!(r.outcome, CheckOutcome::NoData);
}

#[test]
fn a_length_mismatch_makes_every_check_no_data() {
    let checks = [check("errors", ER), check("latency", LAT)];
    let observed = [errors(
        traffic(Some(1000.0), Some(90.0)),
        Traffic::default(),
    )];
    let j = judge(&checks, &observed, &analysis());
    assert_eq!(j.verdict, Verdict::NoData);
    assert_eq!(j.results.len(), 2);
    for r in &j.results {
        assert_eq!(r.outcome, CheckOutcome::NoData);
        assert!(
            r.detail.contains("1 observations for 2 checks"),
            "{}",
            r.detail
        );
    }
    let j = judge(&checks[..1], &[], &analysis());
    assert_eq!(j.verdict, Verdict::NoData);
}

#[test]
fn the_verdict_is_the_worst_outcome() {
    let checks = [check("errors", ER), check("latency", LAT)];
    let pass = errors(traffic(Some(1000.0), Some(0.0)), Traffic::default());
    let fail = errors(traffic(Some(1000.0), Some(500.0)), Traffic::default());
    let no_data = latency(Some(1000.0), None, None);
    let ok_latency = latency(Some(1000.0), Some(100.0), None);
    let verdict = |obs: [Observed; 2]| judge(&checks, &obs, &analysis()).verdict;
    assert_eq!(verdict([pass.clone(), ok_latency.clone()]), Verdict::Pass);
    assert_eq!(verdict([pass.clone(), no_data.clone()]), Verdict::NoData);
    assert_eq!(verdict([fail.clone(), no_data]), Verdict::Fail);
    assert_eq!(verdict([fail, ok_latency]), Verdict::Fail);
    let j = judge(&[], &[], &analysis());
    assert_eq!((j.verdict, j.results.len()), (Verdict::Pass, 0));
}

#[test]
fn details_name_each_check() {
    let checks = [check("errors", ER), check("latency", LAT)];
    let observed = [
        errors(traffic(Some(1000.0), Some(52.0)), Traffic::default()),
        latency(Some(1000.0), Some(100.0), None),
    ];
    let j = judge(&checks, &observed, &analysis());
    assert_eq!(
        j.details(),
        vec![
            "errors: canary 5XX rate 5.20% > max 1.00% (52 of 1000 requests)".to_string(),
            "latency: canary p99 100 ms <= max 500 ms".to_string(),
        ]
    );
    assert_eq!(j.details_of(CheckOutcome::Fail).len(), 1);
    assert_eq!(Verdict::NoData.as_str(), "no_data");
}

#[test]
fn numbers_are_short() {
    assert_eq!(num(812.0), "812");
    assert_eq!(num(812.5), "812.5");
    assert_eq!(num(0.354), "0.35");
    assert_eq!(num(-0.001), "0");
    assert_eq!(percentile_name(99.99), "p99.99");
}
