//! JSON lines: one object per event (`{"at": <ms>, "event": "step_started", ...}`) and one
//! `progress` object per tick, for pipelines and log collectors.

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
        let _ = writeln!(self.out, "{value}");
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
}
