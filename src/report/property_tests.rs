//! Every reporter over arbitrary text, wherever an event or a record carries some (a reason, an
//! AWS message, an alarm's details, the deployment's name): human text and JSON lines never
//! print a control character or a line that begins with `::`; the GitHub reporter prints no
//! line but its own annotations, and its job summary renders no construct it did not write.

use super::github::test_support::{at, Shared};
use super::github::GithubReporter;
use super::{EventSink, HumanReporter, JsonReporter};
use crate::core::record::{Lease, PlaybookId, VerdictSummary};
use crate::core::{Event, EventKind, OperatorAction, Phase, Plan, Record};
use crate::text::test_support::{assert_inert_markdown, assert_safe_log, hostile, own_annotation};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The text `texts[i]`, for as many pieces as an event stream needs.
fn pick(texts: &[String], i: usize) -> String {
    texts[i % texts.len()].clone()
}

/// Every kind of event that carries text, each with text from `texts`.
fn events(texts: &[String]) -> Vec<Event> {
    let t = |i| pick(texts, i);
    let kinds = vec![
        EventKind::Analysed {
            verdict: t(0),
            details: vec![t(1), t(2)],
            evidence: vec![],
        },
        EventKind::Unjudged {
            index: 1,
            why: t(5),
        },
        EventKind::Analysed {
            verdict: "fail".into(),
            details: vec![t(3)],
            evidence: vec![],
        },
        EventKind::Holding { why: t(4) },
        EventKind::MetricsUnavailable { why: t(5) },
        EventKind::Restarted {
            previous: t(6),
            reason: t(7),
            by: Some(t(8)),
        },
        EventKind::SwitchArmed {
            schedule: t(1),
            fires_at: crate::core::Timestamp(0),
        },
        EventKind::SwitchDisarmed { schedule: t(2) },
        EventKind::SwitchUnavailable { why: t(3) },
        EventKind::OperatorRollback { reason: t(6) },
        EventKind::Operator {
            action: OperatorAction::Pause,
            reason: t(7),
            by: Some(t(8)),
        },
        EventKind::Paused { why: t(9) },
        EventKind::Failed { why: t(10) },
        EventKind::RolledBack { why: t(11) },
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Event {
            at: at(i as i64),
            kind,
        })
        .collect()
}

/// A plan named by `texts`, and its record rolled back with text in every field that has some.
fn plan_and_record(texts: &[String], history: &[Event]) -> (Plan, Record) {
    let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\n";
    let mut plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
    plan.name = pick(texts, 12);
    let id = PlaybookId {
        name: plan.name.clone(),
        content_hash: "h".into(),
    };
    let mut record = Record::new(id, at(0));
    record.phase = Phase::RolledBack {
        why: pick(texts, 13),
        at: at(20),
    };
    record.last_verdict = Some(VerdictSummary {
        at: at(20),
        verdict: pick(texts, 14),
        details: vec![pick(texts, 15)],
    });
    record.lease = Some(Lease {
        owner: pick(texts, 16),
        token: pick(texts, 17),
        until: at(60),
    });
    record.history = history.iter().cloned().collect();
    (plan, record)
}

/// What `sink` printed of the events and one progress report of the record.
fn feed(sink: &mut dyn EventSink, events: &[Event], plan: &Plan, record: &Record) {
    for event in events {
        sink.emit(event);
    }
    sink.progress(record, plan, at(30));
}

/// Runs `check` over `cases` lists of hostile texts and says how many cases it ran.
fn over_hostile_texts(check: impl Fn(&[String])) -> u32 {
    let config = Config::default();
    let mut runner = TestRunner::new(config.clone());
    let ran = std::cell::Cell::new(0);
    let strategy = prop::collection::vec(hostile(), 1..20);
    runner
        .run(&strategy, |texts| {
            check(&texts);
            ran.set(ran.get() + 1);
            Ok(())
        })
        .unwrap();
    assert!(ran.get() >= config.cases, "ran {} cases", ran.get());
    config.cases
}

#[test]
fn human_text_prints_no_control_character_nor_a_workflow_command() {
    over_hostile_texts(|texts| {
        let events = events(texts);
        let (plan, record) = plan_and_record(texts, &events);
        let out = Shared::<Vec<u8>>::default();
        feed(
            &mut HumanReporter::new(out.clone()),
            &events,
            &plan,
            &record,
        );
        assert_safe_log(&out.text(), |_| false);
    });
}

#[test]
fn json_lines_are_json_with_no_raw_control_character() {
    over_hostile_texts(|texts| {
        let events = events(texts);
        let (plan, record) = plan_and_record(texts, &events);
        let out = Shared::<Vec<u8>>::default();
        feed(&mut JsonReporter::new(out.clone()), &events, &plan, &record);
        let text = out.text();
        assert_safe_log(&text, |_| false);
        for each in text.lines() {
            assert!(each.starts_with('{'), "{each}");
            serde_json::from_str::<serde_json::Value>(each).unwrap();
        }
    });
}

#[test]
fn the_github_reporter_prints_only_its_annotations_and_an_inert_summary() {
    over_hostile_texts(|texts| {
        let events = events(texts);
        let (plan, record) = plan_and_record(texts, &events);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("summary.md");
        let (inner, annotations) = (Shared::<Vec<u8>>::default(), Shared::<Vec<u8>>::default());
        let mut reporter = GithubReporter::with_annotations(
            Box::new(HumanReporter::new(inner.clone())),
            file.clone(),
            Box::new(annotations.clone()),
        );
        feed(&mut reporter, &events, &plan, &record);
        // Events after the tick are annotated when the command ends.
        reporter.emit(&events[events.len() - 1]);
        drop(reporter);
        assert_safe_log(&inner.text(), |_| false);
        let annotated = annotations.text();
        assert_safe_log(&annotated, own_annotation);
        assert_eq!(annotated.lines().count(), 4, "{annotated}");
        assert!(annotated.lines().all(own_annotation), "{annotated}");
        assert_inert_markdown(&std::fs::read_to_string(&file).unwrap());
    });
}
