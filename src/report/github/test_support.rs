//! Events shared by the reporters' unit tests: times, steps, writes, verdicts and a run that
//! rolls back; and [`Shared`], a sink or buffer the test keeps a handle on.

use crate::core::{Event, EventKind, Share, Split, Timestamp};
use crate::report::EventSink;
use std::io::Write;
use std::sync::{Arc, Mutex};

pub fn at(secs: i64) -> Timestamp {
    // 2025-11-21 14:00:00 UTC
    Timestamp::from_secs(1_763_733_600 + secs)
}

pub fn event(secs: i64, kind: EventKind) -> Event {
    Event { at: at(secs), kind }
}

pub fn step(index: usize, permille: u16) -> EventKind {
    EventKind::StepStarted {
        index,
        share: Share::from_permille(permille).unwrap(),
    }
}

pub fn verified(stable: u32, canary: u32) -> EventKind {
    EventKind::WeightsVerified {
        split: Split::new(stable, canary),
    }
}

pub fn analysed(verdict: &str, details: &[&str]) -> EventKind {
    EventKind::Analysed {
        verdict: verdict.to_string(),
        details: details.iter().map(|d| d.to_string()).collect(),
        evidence: vec![],
    }
}

pub fn rolled_back_run() -> Vec<Event> {
    let why = "errors: canary 5XX rate 4.80% > max 1.00%".to_string();
    vec![
        event(0, EventKind::Started { steps: 4 }),
        event(0, step(0, 50)),
        event(0, verified(950, 50)),
        event(
            330,
            analysed("pass", &["errors: canary 5XX rate 0.10% <= max 1.00%"]),
        ),
        event(330, step(1, 100)),
        event(330, verified(900, 100)),
        event(
            420,
            analysed(
                "fail",
                &[
                    "errors: canary 5XX rate 4.80% > max 1.00%",
                    "latency: canary p99 310ms <= max 800ms",
                ],
            ),
        ),
        event(420, verified(999, 0)),
        event(420, EventKind::RolledBack { why }),
    ]
}

/// Keeps what it is given, shared with the test.
#[derive(Clone, Default)]
pub struct Shared<T>(pub Arc<Mutex<T>>);

impl EventSink for Shared<Vec<Event>> {
    fn emit(&mut self, event: &Event) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Write for Shared<Vec<u8>> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared<Vec<u8>> {
    /// What was written, as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}
