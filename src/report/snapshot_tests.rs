//! What a person and a program read of one run, pinned as snapshots under `snapshots/`: the
//! human progress, the JSON lines and the GitHub job summary of a run that steps twice and is
//! rolled back. After an intended change of wording, review and accept the new snapshots with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test`); CI fails on any difference.

use super::github::test_support::rolled_back_run;
use super::github::Summary;
use super::{EventSink, HumanReporter, JsonReporter};
use crate::core::Phase;

fn reported(sink: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::new();
    sink(&mut out);
    String::from_utf8(out).expect("reports are UTF-8")
}

#[test]
fn the_human_report_of_a_rolled_back_run() {
    let text = reported(|out| {
        let mut reporter = HumanReporter::new(out);
        for event in rolled_back_run() {
            reporter.emit(&event);
        }
    });
    insta::assert_snapshot!(text);
}

#[test]
fn the_json_events_of_a_rolled_back_run() {
    let text = reported(|out| {
        let mut reporter = JsonReporter::new(out);
        for event in rolled_back_run() {
            reporter.emit(&event);
        }
    });
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is one JSON object");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn the_job_summary_of_a_rolled_back_run() {
    let events = rolled_back_run();
    let summary = Summary {
        name: Some("checkout-canary".to_string()),
        steps: Some(4),
        phase: Some(Phase::RolledBack {
            why: "errors: canary 5XX rate 4.80% > max 1.00%".to_string(),
            at: events.last().expect("events").at,
        }),
        history: Vec::new(),
        events,
    };
    insta::assert_snapshot!(summary.render().expect("a summary"));
}
