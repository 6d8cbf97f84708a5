//! CloudWatch alarms as a check: each alarm's state and reason, a missing alarm as unavailable,
//! all names in one DescribeAlarms call.

use super::fixtures::{
    check, dims, logged_cloudwatch, observe, source, two_hours_ago, unique, window,
};
use crate::alarm_fixture::{create_alarm, set_alarm_state};
use aws_sdk_cloudwatch::types::StateValue;
use canary_deploy::core::observe::{AlarmState, Observed};
use canary_deploy::core::plan::CheckKind;

#[tokio::test]
async fn alarms_report_their_state_and_a_missing_alarm_is_unavailable() {
    let (client, calls) = logged_cloudwatch().await;
    let firing = unique("firing");
    let calm = unique("calm");
    for name in [&firing, &calm] {
        create_alarm(&client, name).await;
    }
    for (name, state, reason) in [
        (&firing, StateValue::Alarm, "errors above threshold"),
        (&calm, StateValue::Ok, "all quiet"),
    ] {
        set_alarm_state(&client, name, state, reason).await;
    }

    let source = source(client, dims("alarms"));
    calls.take();
    let missing = unique("missing");
    let checks = [
        check(
            "alarms",
            CheckKind::Alarms {
                names: vec![firing.clone(), calm.clone()],
            },
        ),
        check(
            "with-missing",
            CheckKind::Alarms {
                names: vec![calm.clone(), missing.clone()],
            },
        ),
    ];
    let observed = observe(&source, &checks, window(two_hours_ago(), 60)).await;
    let [Observed::Alarms(alarms), unavailable] = observed.as_slice() else {
        panic!("unexpected observations: {observed:?}");
    };
    let states: Vec<(&str, AlarmState, &str)> = alarms
        .iter()
        .map(|a| (a.name.as_str(), a.state, a.reason.as_str()))
        .collect();
    assert_eq!(
        states,
        vec![
            (firing.as_str(), AlarmState::Alarm, "errors above threshold"),
            (calm.as_str(), AlarmState::Ok, "all quiet"),
        ]
    );
    assert_eq!(
        unavailable,
        &Observed::Unavailable {
            why: format!("alarm {missing} does not exist"),
        }
    );
    // Three distinct names, one DescribeAlarms call; no metric queries, no GetMetricData.
    assert_eq!(calls.take(), ["DescribeAlarms"]);
}
