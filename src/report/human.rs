//! Human-readable progress: one line per event, and a status line after each tick.

use super::EventSink;
use crate::core::record::VerdictSummary;
use crate::core::step::time_to_next_step;
use crate::core::{Event, EventKind, Phase, Plan, Record, Timestamp};
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

/// "14:03:07" in UTC.
pub fn clock_time(at: Timestamp) -> String {
    let secs = at.as_secs().rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// One line for an event, without the time.
pub fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Started { steps } => format!("deployment started ({steps} steps)"),
        EventKind::StepStarted { index, share } => {
            format!("step {}: canary to {share}", index + 1)
        }
        EventKind::WeightsVerified { split } => format!("weights verified: {split}"),
        EventKind::Analysed { verdict, details } => {
            format!("analysis: {verdict} [{}]", details.join("; "))
        }
        EventKind::Holding { why } => format!("holding: {why}"),
        EventKind::DriftDetected { expected, live } => {
            format!("drift: expected {expected}, found {live}")
        }
        EventKind::Paused { why } => format!("PAUSED: {why}"),
        EventKind::Promoted => "PROMOTED: the canary takes all traffic".to_string(),
        EventKind::RolledBack { why } => format!("ROLLED BACK: {why}"),
        EventKind::OperatorRollback { reason } => format!("operator rollback: {reason}"),
        EventKind::Failed { why } => format!("FAILED: {why}"),
        EventKind::MetricsUnavailable { why } => format!("metrics unavailable: {why}"),
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
            let when = if plan.checks.is_empty() { "" } else { " (when checks pass)" };
            format!(
                "step {}/{} | {weights} | last verdict: {verdict} | next step in {}s{when}",
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
        let _ = writeln!(
            self.out,
            "{}  {}",
            clock_time(event.at),
            describe(&event.kind)
        );
    }

    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        let line = status_line(record, plan, now);
        if line != self.last_line {
            let _ = writeln!(self.out, "{}  {}", clock_time(now), line);
            self.last_line = line;
        }
        let _ = self.out.flush();
    }
}
