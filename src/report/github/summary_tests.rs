//! The rendered Markdown: heading, final phase, tables, and the timeline they come from (the
//! whole summary of a rolled-back run is a snapshot: `report/snapshot_tests.rs`).

use super::super::test_support::*;
use super::*;

#[test]
fn without_a_progress_report_the_events_give_the_phase() {
    let summary = Summary {
        events: vec![
            event(0, analysed("no_data", &["errors: 12 requests < min 50"])),
            event(60, step(2, 250)),
        ],
        ..Summary::default()
    };
    let markdown = summary.render().unwrap();
    assert!(markdown.starts_with("## 🔄 canary-deploy: in progress\n"));
    assert!(markdown.contains("**Final phase:** `stepping` at step 3\n"));
    assert!(markdown
        .contains("| 2025-11-21 14:01:00 | 3 | not verified | not verified | 25% (intended) |"));
    assert!(markdown
        .contains("| 2025-11-21 14:00:00 | – | ⚪ no data | errors\\: 12 requests &lt; min 50 |"));

    let paused = Summary {
        events: vec![event(
            0,
            EventKind::Paused {
                why: "drift".into(),
            },
        )],
        ..Summary::default()
    };
    let markdown = paused.render().unwrap();
    assert!(markdown.starts_with("## ⏸️ canary-deploy: paused\n"));
    assert!(markdown.contains("No weights were written.\n"));
    assert!(markdown.contains("No analysis was made.\n"));
}

#[test]
fn nothing_seen_is_no_summary() {
    assert_eq!(Summary::default().render(), None);
}

#[test]
fn the_recorded_history_comes_before_this_commands_events() {
    let run = rolled_back_run();
    let mut history = run[..6].to_vec();
    // Recorded in another order than emitted: the step before its verified weights.
    history.swap(4, 5);
    let summary = Summary {
        history,
        // This command started at the second tick (330 s).
        events: run[3..].to_vec(),
        ..Summary::default()
    };
    assert_eq!(summary.timeline(), run);
    let only_history = Summary {
        history: run.clone(),
        ..Summary::default()
    };
    assert_eq!(only_history.timeline(), run);
}

#[test]
fn long_tables_keep_their_most_recent_rows() {
    let rows: Vec<String> = (0..MAX_ROWS + 3).map(|i| format!("| {i} |\n")).collect();
    let mut out = String::new();
    push_table(&mut out, "| n |\n| --- |\n", &rows, "none");
    assert!(out.starts_with("(3 earlier rows left out)\n\n| n |\n| --- |\n| 3 |\n"));
    assert!(out.ends_with(&format!("| {} |\n\n", MAX_ROWS + 2)));
}
