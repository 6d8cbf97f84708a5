//! Events shared by the GitHub reporter's unit tests: times, steps, writes, verdicts and a run
//! that rolls back.

use crate::core::{Event, EventKind, Share, Split, Timestamp};

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
