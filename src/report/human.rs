//! Human-readable progress: one line per event, and a status line after each tick. Each line
//! is written through [`crate::text::line()`]: an event carries reasons, AWS messages and alarm
//! text that must not reach a terminal or the Actions log raw.

use super::EventSink;
use crate::core::plan::StartFrom;
use crate::core::record::VerdictSummary;
use crate::core::step::time_to_next_step;
use crate::core::{Event, EventKind, Phase, Plan, Record, Timestamp};
use crate::text::line;
use std::io::Write;

pub struct HumanReporter<W: Write + Send> {
    out: W,
    /// The last progress line printed, so an unchanged state is not repeated every tick.
    last_line: String,
}

impl<W: Write + Send> HumanReporter<W> {
    pub fn new(out: W) -> Self {
        HumanReporter {
            out,
            last_line: String::new(),
        }
    }
}

/// One line for an event, without the time.
pub fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Started { steps } => format!("deployment started ({steps} steps)"),
        EventKind::ExistingSplit { live, start_from } => match start_from {
            StartFrom::Live => {
                format!("the canary already has traffic ({live}): continuing from it")
            }
            StartFrom::FirstStep => {
                format!("the canary already has traffic ({live}): resetting to the first step")
            }
        },
        EventKind::StepStarted { index, share } => {
            format!("step {}: canary to {share}", index + 1)
        }
        EventKind::WeightsVerified { split } => format!("weights verified: {split}"),
        EventKind::Analysed {
            verdict, details, ..
        } => {
            format!("analysis: {verdict} [{}]", details.join("; "))
        }
        EventKind::Unjudged { index, why } => {
            format!(
                "UNJUDGED: step {} passed without evidence: {why}",
                index + 1
            )
        }
        EventKind::Holding { why } => format!("holding: {why}"),
        EventKind::GateHeld {
            index, gate, how, ..
        } => format!(
            "GATE: step {} has baked; its gate ({gate}) holds it until {how}",
            index + 1
        ),
        EventKind::HookPassed { point, hook, index } => {
            format!("hook passed: {point} {hook} (step {})", index + 1)
        }
        EventKind::HookFailed {
            point,
            hook,
            index,
            why,
        } => format!("HOOK FAILED: {point} {hook} (step {}): {why}", index + 1),
        EventKind::NotifyFailed { channel, why } => {
            format!("WARNING: the notification to {channel} failed: {why}")
        }
        EventKind::GateReleased { index } => {
            format!(
                "gate released: step {} moves on at the next tick",
                index + 1
            )
        }
        EventKind::LaneOpened {
            rule,
            priority,
            header,
            value,
        } => format!(
            "header lane open: requests with `{header}: {value}` go to the canary (rule {rule}, \
             priority {priority})"
        ),
        EventKind::LaneClosed { rule } => format!("header lane removed (rule {rule})"),
        EventKind::LaneLeft { rule, why } => {
            format!("WARNING: the header lane's rule {rule} was left alone: {why}")
        }
        EventKind::DriftDetected { expected, live } => {
            format!("drift: expected {expected}, found {live}")
        }
        EventKind::Paused { why } => format!("PAUSED: {why}"),
        EventKind::Promoted => "PROMOTED: the canary takes all traffic".to_string(),
        EventKind::RolledBack { why } => format!("ROLLED BACK: {why}"),
        EventKind::OperatorRollback { reason } => format!("operator rollback: {reason}"),
        EventKind::Operator { action, reason, by } => match by {
            Some(by) => format!("operator {}: {reason} (by {by})", action.as_str()),
            None => format!("operator {}: {reason}", action.as_str()),
        },
        EventKind::Failed { why } => format!("FAILED: {why}"),
        EventKind::MetricsUnavailable { why } => format!("metrics unavailable: {why}"),
        EventKind::SwitchArmed { schedule, fires_at } => format!(
            "dead-man's switch armed: schedule {schedule} {} at {} unless a tick comes first",
            match crate::core::switch::is_lane_schedule(schedule) {
                true => "deletes the header lane's rule",
                false => "restores the stable split",
            },
            fires_at.rfc3339()
        ),
        EventKind::SwitchDisarmed { schedule } => {
            format!("dead-man's switch disarmed (schedule {schedule} deleted)")
        }
        EventKind::SwitchUnavailable { why } => {
            format!("WARNING: the dead-man's switch is not armed: {why}")
        }
        EventKind::Restarted {
            previous,
            reason,
            by,
        } => match by {
            Some(by) => {
                format!("restarted after the last deployment {previous}: {reason} (by {by})")
            }
            None => format!("restarted after the last deployment {previous}: {reason}"),
        },
    }
}

/// The status line: phase, step, weights, last verdict and time to the next step.
pub fn status_line(record: &Record, plan: &Plan, now: Timestamp) -> String {
    let weights = record
        .written
        .map(|split| split.to_string())
        .unwrap_or_else(|| "not written yet".to_string());
    let verdict = record
        .last_verdict
        .as_ref()
        .map(|v: &VerdictSummary| v.verdict.as_str())
        .unwrap_or("none yet");
    match &record.phase {
        Phase::Stepping { index, .. } => {
            let left = time_to_next_step(record, plan, now).unwrap_or_default();
            let when = if plan.checks.is_empty() {
                ""
            } else {
                " (when checks pass)"
            };
            let lane = match plan.is_lane_step(*index) {
                true => "header lane, ",
                false => "",
            };
            format!(
                "{lane}step {}/{} | {weights} | last verdict: {verdict} | next step in {}s{when}",
                index + 1,
                plan.steps.len(),
                left.as_secs()
            )
        }
        phase => format!("{} | {weights} | last verdict: {verdict}", phase.name()),
    }
}

impl<W: Write + Send> EventSink for HumanReporter<W> {
    fn emit(&mut self, event: &Event) {
        let text = line(&describe(&event.kind));
        let _ = writeln!(self.out, "{}  {text}", event.at.clock_zoned());
    }

    fn waiting(&mut self, why: &str) {
        let text = line(&format!(
            "paused ({why}): waiting for `canary-deploy resume` (or `rollback` / `promote`); \
             Ctrl-C stops waiting and leaves the deployment paused"
        ));
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        let shown = line(&status_line(record, plan, now));
        if shown != self.last_line {
            let _ = writeln!(self.out, "{}  {shown}", now.clock_zoned());
            self.last_line = shown;
        }
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::{Share, Split};

    fn plan() -> Plan {
        let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\nchecks:\n  - error_rate: { max_percent: 1 }\n";
        crate::playbook::parse(yaml, "p.yaml").unwrap().plan
    }

    fn stepping() -> Record {
        let id = PlaybookId {
            name: "p".into(),
            content_hash: "h".into(),
        };
        let mut record = Record::new(id, Timestamp::from_secs(0));
        record.phase = Phase::Stepping {
            index: 0,
            since: Timestamp::from_secs(30),
        };
        record.written = Some(Split::new(900, 100));
        record
    }

    #[test]
    fn the_status_line_shows_step_weights_verdict_and_time_left() {
        let line = status_line(&stepping(), &plan(), Timestamp::from_secs(60));
        assert_eq!(
            line,
            "step 1/3 | stable 900 / canary 100 (10% canary) | last verdict: none yet | next step in 90s (when checks pass)"
        );
    }

    #[test]
    fn events_read_as_sentences_with_the_clock_time() {
        let mut out = Vec::new();
        let mut reporter = HumanReporter::new(&mut out);
        reporter.emit(&Event {
            at: Timestamp::from_secs(3_600 * 14 + 63),
            kind: EventKind::StepStarted {
                index: 1,
                share: Share::from_permille(500).unwrap(),
            },
        });
        drop(reporter);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "14:01:03Z  step 2: canary to 50%\n"
        );
    }

    #[test]
    fn an_unchanged_progress_line_is_not_repeated() {
        let mut out = Vec::new();
        let mut reporter = HumanReporter::new(&mut out);
        let (record, plan) = (stepping(), plan());
        reporter.progress(&record, &plan, Timestamp::from_secs(60));
        reporter.progress(&record, &plan, Timestamp::from_secs(60));
        reporter.progress(&record, &plan, Timestamp::from_secs(70));
        drop(reporter);
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    }
}
