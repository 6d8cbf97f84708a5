//! CloudWatch alarms for the tests that judge an `alarms` check: the checks read an alarm's
//! state, never its metric, so one alarm definition serves every test, and each test sets the
//! state it needs.

use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
use aws_sdk_cloudwatch::Client;

/// Creates (or redefines) the alarm `name` on a test metric; AWS starts it in
/// INSUFFICIENT_DATA.
pub async fn create_alarm(client: &Client, name: &str) {
    client
        .put_metric_alarm()
        .alarm_name(name)
        .namespace("CanaryTest/Alarms")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(10.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("put metric alarm");
}

/// Sets the alarm's state, with `reason` as its state reason.
pub async fn set_alarm_state(client: &Client, name: &str, state: StateValue, reason: &str) {
    client
        .set_alarm_state()
        .alarm_name(name)
        .state_value(state)
        .state_reason(reason)
        .send()
        .await
        .expect("set alarm state");
}
