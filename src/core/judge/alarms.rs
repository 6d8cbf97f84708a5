//! The alarm check: CloudWatch alarms by name, judged as CodeDeploy does (only ALARM fails).

use super::super::observe::{AlarmObservation, AlarmState};
use super::CheckOutcome;

/// Any alarm in ALARM fails the check, naming each one with its reason. Otherwise an alarm the
/// source returned no state for makes the check "no data"; INSUFFICIENT_DATA passes, noted.
pub(super) fn judge_alarms(
    names: &[String],
    alarms: &[AlarmObservation],
) -> (CheckOutcome, String) {
    let in_alarm: Vec<String> = alarms
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .map(|a| {
            if a.reason.trim().is_empty() {
                format!("alarm {} is in ALARM", a.name)
            } else {
                format!("alarm {} is in ALARM: {}", a.name, a.reason.trim())
            }
        })
        .collect();
    if !in_alarm.is_empty() {
        return (CheckOutcome::Fail, in_alarm.join("; "));
    }

    let missing: Vec<&str> = names
        .iter()
        .filter(|name| !alarms.iter().any(|a| &a.name == *name))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return (
            CheckOutcome::NoData,
            format!(
                "no state returned for alarm {}: check that it exists in this account and region",
                missing.join(", ")
            ),
        );
    }

    let insufficient: Vec<&str> = alarms
        .iter()
        .filter(|a| a.state == AlarmState::InsufficientData)
        .map(|a| a.name.as_str())
        .collect();
    if !insufficient.is_empty() {
        return (
            CheckOutcome::Pass,
            format!(
                "no alarm in ALARM; insufficient data for {} (only ALARM fails the check)",
                insufficient.join(", ")
            ),
        );
    }

    let all: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
    if all.is_empty() {
        (CheckOutcome::Pass, "no alarms to watch".to_string())
    } else {
        (CheckOutcome::Pass, format!("all OK: {}", all.join(", ")))
    }
}
