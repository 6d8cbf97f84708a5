//! The decorator: when it is used, what it forwards, annotates and appends.

use super::test_support::*;
use super::*;
use crate::core::Phase;

#[test]
fn the_summary_file_is_used_only_inside_github_actions() {
    let file = OsStr::new("/runner/summary.md");
    assert_eq!(
        summary_file(Some("true"), Some(file)),
        Some(PathBuf::from("/runner/summary.md"))
    );
    assert_eq!(summary_file(None, Some(file)), None);
    assert_eq!(summary_file(Some("false"), Some(file)), None);
    assert_eq!(summary_file(Some("true"), None), None);
    assert_eq!(summary_file(Some("true"), Some(OsStr::new(""))), None);
}

#[test]
fn annotations_wait_for_the_tick_that_names_the_deployment() {
    let yaml = "name: checkout\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 100]\n  bake: 2m\n";
    let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
    let id = crate::core::record::PlaybookId {
        name: "checkout".into(),
        content_hash: "h".into(),
    };
    let mut record = Record::new(id, at(0));
    record.phase = Phase::Paused {
        why: "drift".into(),
        index: Some(0),
    };
    let dir = tempfile::tempdir().unwrap();
    let annotations = Shared::<Vec<u8>>::default();
    let mut reporter = GithubReporter::with_annotations(
        Box::new(crate::report::Discard),
        dir.path().join("summary.md"),
        Box::new(annotations.clone()),
    );
    reporter.emit(&event(
        0,
        EventKind::Paused {
            why: "drift".into(),
        },
    ));
    assert!(annotations.0.lock().unwrap().is_empty());
    reporter.progress(&record, &plan, at(0));
    let printed = String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap();
    assert!(printed.starts_with("::warning title=canary checkout paused::drift; "));
    drop(reporter);
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("## ⏸️ canary-deploy `checkout`: paused\n"));
    assert_eq!(
        String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap(),
        printed,
        "nothing is annotated twice"
    );
}

#[test]
fn the_decorator_forwards_annotates_and_appends_its_summary_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.md");
    std::fs::write(&file, "earlier step\n").unwrap();
    let inner = Shared::<Vec<Event>>::default();
    let annotations = Shared::<Vec<u8>>::default();
    let mut reporter = GithubReporter::with_annotations(
        Box::new(inner.clone()),
        file.clone(),
        Box::new(annotations.clone()),
    );
    for event in rolled_back_run() {
        reporter.emit(&event);
    }
    reporter.finish();
    drop(reporter);

    assert_eq!(*inner.0.lock().unwrap(), rolled_back_run());
    let printed = String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        printed,
        "::error title=canary rolled back::errors: canary 5XX rate 4.80%25 > max 1.00%25\n"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("earlier step\n## ⏪ canary-deploy: rolled back\n"));
    assert_eq!(written.matches("### Weights").count(), 1);
}
