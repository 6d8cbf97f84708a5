//! The rows of the summary's tables: weights (a step paired with its verified write, or a
//! rollback's or promotion's write) and verdicts; with their cells from outside (a verdict's
//! details) as Markdown that renders as the text itself, and their times as UTC dates.

use crate::core::{Event, EventKind, Share, Split, Timestamp};
use crate::text::markdown::inline;
use std::collections::HashSet;

/// The weight rows and the verdict rows of a timeline.
pub(super) fn tables(events: &[Event], steps: Option<usize>) -> (Vec<String>, Vec<String>) {
    // An operator's rollback or promotion writes without a step of its own.
    let ended = |wanted: fn(&EventKind) -> bool| -> HashSet<Timestamp> {
        events
            .iter()
            .filter(|event| wanted(&event.kind))
            .map(|event| event.at)
            .collect()
    };
    let rollbacks = ended(|kind| matches!(kind, EventKind::RolledBack { .. }));
    let promotions = ended(|kind| matches!(kind, EventKind::Promoted));
    let mut weights: Vec<WeightRow> = Vec::new();
    let mut verdicts = Vec::new();
    let mut step = "–".to_string();
    for event in events {
        match &event.kind {
            EventKind::StepStarted { index, share } => {
                step = step_label(*index, steps);
                match weights.last_mut() {
                    // Written and verified before the step's own event (the order of a tick).
                    Some(last) if last.pairs_with(event.at, *share, false) => {
                        last.step = step.clone();
                        last.started = true;
                    }
                    _ => weights.push(WeightRow {
                        at: event.at,
                        step: step.clone(),
                        started: true,
                        share: *share,
                        split: None,
                    }),
                }
            }
            EventKind::WeightsVerified { split } => {
                let share = split.canary_share();
                match weights.last_mut() {
                    Some(last) if last.pairs_with(event.at, share, true) => {
                        last.split = Some(*split)
                    }
                    _ => {
                        let label = if share == Share::STABLE_ONLY && rollbacks.contains(&event.at)
                        {
                            "rollback".to_string()
                        } else if share == Share::CANARY_ONLY && promotions.contains(&event.at) {
                            "promote".to_string()
                        } else {
                            step.clone()
                        };
                        weights.push(WeightRow {
                            at: event.at,
                            step: label,
                            started: false,
                            share,
                            split: Some(*split),
                        });
                    }
                }
            }
            EventKind::Analysed {
                verdict, details, ..
            } => {
                let details: Vec<String> = details.iter().map(|d| inline(d)).collect();
                verdicts.push(format!(
                    "| {} | {step} | {} | {} |\n",
                    event.at.utc(),
                    verdict_cell(verdict),
                    details.join("<br>")
                ));
            }
            _ => {}
        }
    }
    (weights.iter().map(WeightRow::render).collect(), verdicts)
}

/// One row of the weight table: a step's start and its verified weights, or either alone.
struct WeightRow {
    at: Timestamp,
    step: String,
    /// A `StepStarted` made or named this row.
    started: bool,
    share: Share,
    split: Option<Split>,
}

impl WeightRow {
    /// Whether the other half of this row's step is the event at `at` with `share`: its
    /// verified weights (`verified`) or its `StepStarted`.
    fn pairs_with(&self, at: Timestamp, share: Share, verified: bool) -> bool {
        let missing = if verified {
            self.started && self.split.is_none()
        } else {
            !self.started && self.split.is_some() && self.at == at
        };
        missing && self.share == share
    }

    fn render(&self) -> String {
        match self.split {
            Some(split) => format!(
                "| {} | {} | {} | {} | {} |\n",
                self.at.utc(),
                self.step,
                split.stable,
                split.canary,
                self.share
            ),
            None => format!(
                "| {} | {} | not verified | not verified | {} (intended) |\n",
                self.at.utc(),
                self.step,
                self.share
            ),
        }
    }
}

pub(super) fn step_label(index: usize, steps: Option<usize>) -> String {
    match steps {
        Some(steps) => format!("{}/{steps}", index + 1),
        None => (index + 1).to_string(),
    }
}

fn verdict_cell(verdict: &str) -> String {
    match verdict {
        "pass" => "✅ pass".to_string(),
        "fail" => "❌ fail".to_string(),
        "no_data" => "⚪ no data".to_string(),
        other => inline(other),
    }
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
