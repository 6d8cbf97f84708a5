//! The job summary as Markdown: a heading with the outcome, the final phase, then the weight and
//! verdict tables (their rows come from `tables`). Pure: the caller appends it to the file. Text
//! from outside (the deployment's name, a reason) is Markdown that renders as the text itself
//! ([`crate::text::markdown`]).

use super::tables::{step_label, tables};
use crate::core::{Event, EventKind, Phase};
use crate::text::markdown::{code, inline};

/// Rows kept per table; a long `run` shows its most recent ones (a step summary holds 1 MiB).
const MAX_ROWS: usize = 200;

/// What the reporter has seen: the events of this command and, when a tick reported progress,
/// the deployment's name, plan length, phase and recorded history.
#[derive(Debug, Default)]
pub struct Summary {
    pub name: Option<String>,
    pub steps: Option<usize>,
    pub phase: Option<Phase>,
    pub history: Vec<Event>,
    pub events: Vec<Event>,
}

impl Summary {
    /// The Markdown step summary; `None` when nothing happened to summarise.
    pub fn render(&self) -> Option<String> {
        if self.events.is_empty() && self.phase.is_none() {
            return None;
        }
        let events = self.timeline();
        let (weights, verdicts) = tables(&events, self.steps);
        let end = self.final_phase(&events);
        let name = self
            .name
            .as_deref()
            .map_or(String::new(), |name| format!(" {}", code(name)));
        let mut out = format!(
            "## {} canary-deploy{name}: {}\n\n",
            end.icon(),
            end.outcome()
        );
        out.push_str(&format!(
            "**Final phase:** {}\n\n",
            end.describe(self.steps)
        ));
        out.push_str(&super::chart::charts(&events));
        out.push_str("### Weights\n\n");
        push_table(
            &mut out,
            "| Time (UTC) | Step | Stable | Canary | Canary share |\n| --- | --- | ---: | ---: | ---: |\n",
            &weights,
            "No weights were written.",
        );
        out.push_str("### Verdicts\n\n");
        push_table(
            &mut out,
            "| Time (UTC) | Step | Verdict | Details |\n| --- | --- | --- | --- |\n",
            &verdicts,
            "No analysis was made.",
        );
        Some(out)
    }

    /// The recorded history from before this command's first event, then every event of this
    /// command as it was emitted (the history leaves out repeated verdicts, and keeps a tick's
    /// events in another order than they happened).
    fn timeline(&self) -> Vec<Event> {
        let first = self.events.first().map(|event| event.at);
        let mut all: Vec<Event> = self
            .history
            .iter()
            .filter(|event| first.is_none_or(|first| event.at < first))
            .cloned()
            .collect();
        all.extend(self.events.iter().cloned());
        all
    }

    /// The phase a progress report gave, or else the one the events imply.
    fn final_phase(&self, events: &[Event]) -> End {
        if let Some(phase) = &self.phase {
            return End::from_phase(phase);
        }
        events
            .iter()
            .rev()
            .find_map(|event| match &event.kind {
                EventKind::Promoted => Some(End::new("promoted", None, None)),
                EventKind::RolledBack { why } => Some(End::new("rolled_back", Some(why), None)),
                EventKind::Paused { why } => Some(End::new("paused", Some(why), None)),
                EventKind::Failed { why } => Some(End::new("failed", Some(why), None)),
                EventKind::StepStarted { index, .. } => {
                    Some(End::new("stepping", None, Some(*index)))
                }
                _ => None,
            })
            .unwrap_or_else(|| End::new("stepping", None, None))
    }
}

/// Where the deployment ended up, for the heading and the final-phase line.
struct End {
    phase: &'static str,
    why: Option<String>,
    step: Option<usize>,
}

impl End {
    fn new(phase: &'static str, why: Option<&String>, step: Option<usize>) -> End {
        End {
            phase,
            why: why.cloned(),
            step,
        }
    }

    fn from_phase(phase: &Phase) -> End {
        match phase {
            Phase::Paused { why, .. } | Phase::RolledBack { why, .. } | Phase::Failed { why } => {
                End::new(phase.name(), Some(why), None)
            }
            Phase::Stepping { index, .. } => End::new(phase.name(), None, Some(*index)),
            Phase::Pending | Phase::Promoted { .. } => End::new(phase.name(), None, None),
        }
    }

    fn outcome(&self) -> &'static str {
        match self.phase {
            "promoted" => "promoted",
            "rolled_back" => "rolled back",
            "paused" => "paused",
            "failed" => "failed",
            "pending" => "pending",
            _ => "in progress",
        }
    }

    fn icon(&self) -> &'static str {
        match self.phase {
            "promoted" => "✅",
            "rolled_back" => "⏪",
            "paused" => "⏸️",
            "failed" => "❌",
            _ => "🔄",
        }
    }

    fn describe(&self, steps: Option<usize>) -> String {
        let mut text = format!("`{}`", self.phase);
        if let Some(index) = self.step {
            text.push_str(&format!(" at step {}", step_label(index, steps)));
        }
        if let Some(why) = &self.why {
            text.push_str(&format!(": {}", inline(why)));
        }
        text
    }
}

/// A table with its most recent [`MAX_ROWS`] rows, or a sentence when it has none.
fn push_table(out: &mut String, header: &str, rows: &[String], empty: &str) {
    if rows.is_empty() {
        out.push_str(empty);
        out.push_str("\n\n");
        return;
    }
    let left_out = rows.len().saturating_sub(MAX_ROWS);
    if left_out > 0 {
        out.push_str(&format!("({left_out} earlier rows left out)\n\n"));
    }
    out.push_str(header);
    for row in &rows[left_out..] {
        out.push_str(row);
    }
    out.push('\n');
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
