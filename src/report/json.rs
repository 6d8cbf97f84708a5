//! JSON lines: one object per event (`{"schema_version": 1, "at": "2026-…Z", "event":
//! "step_started", ...}`) and one `progress` object per tick, for pipelines and log collectors,
//! in the one schema of [`super::schema`] (docs/events.md). JSON escapes what it carries
//! (a reason, an AWS message) except a few characters serde leaves raw; [`crate::text::json`]
//! escapes those too, so a line is safe for a terminal and the Actions log.

use super::EventSink;
use crate::core::{Event, Plan, Record, Timestamp};
use std::io::Write;

pub struct JsonReporter<W: Write + Send> {
    out: W,
}

impl<W: Write + Send> JsonReporter<W> {
    pub fn new(out: W) -> Self {
        JsonReporter { out }
    }

    fn line(&mut self, value: &serde_json::Value) {
        let value = super::schema::versioned(value.clone());
        let _ = writeln!(self.out, "{}", crate::text::json(&value.to_string()));
        let _ = self.out.flush();
    }
}

impl<W: Write + Send> EventSink for JsonReporter<W> {
    fn emit(&mut self, event: &Event) {
        if let Ok(value) = serde_json::to_value(event) {
            self.line(&value);
        }
    }

    fn progress(&mut self, record: &Record, _plan: &Plan, now: Timestamp) {
        let value = serde_json::json!({
            "at": now,
            "event": "progress",
            "phase": record.phase,
            "written": record.written,
            "last_verdict": record.last_verdict,
        });
        self.line(&value);
    }

    fn waiting(&mut self, why: &str) {
        let value = serde_json::json!({ "event": "waiting", "paused": why });
        self.line(&value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{EventKind, Split};

    #[test]
    fn each_event_is_one_json_line_named_by_its_kind() {
        let mut out = Vec::new();
        {
            let mut reporter = JsonReporter::new(&mut out);
            reporter.emit(&Event {
                at: Timestamp(1_500),
                kind: EventKind::WeightsVerified {
                    split: Split::new(950, 50),
                },
            });
            reporter.emit(&Event {
                at: Timestamp(2_000),
                kind: EventKind::Promoted,
            });
        }
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines,
            vec![
                serde_json::json!({"schema_version": 1, "at": "1970-01-01T00:00:01Z", "event": "weights_verified", "split": {"stable": 950, "canary": 50, "canary_percent": 5.0}}),
                serde_json::json!({"schema_version": 1, "at": "1970-01-01T00:00:02Z", "event": "promoted"}),
            ]
        );
    }
}
