use super::*;
use crate::core::record::{PlaybookId, VerdictSummary};

fn plan() -> Plan {
    let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\nchecks:\n  - error_rate: { max_percent: 1 }\n";
    crate::playbook::parse(yaml, "p.yaml").unwrap().plan
}

fn record(phase: Phase) -> Record {
    let id = PlaybookId {
        name: "p".into(),
        content_hash: "h".into(),
    };
    let mut record = Record::new(id, Timestamp::from_secs(0));
    record.phase = phase;
    record
}

fn rungs(view: &View) -> Vec<Rung> {
    view.ladder.iter().map(|(_, rung)| *rung).collect()
}

#[test]
fn the_ladder_marks_done_current_and_stopped_steps() {
    let plan = plan();
    let at = Timestamp::from_secs(60);
    let stepping = record(Phase::Stepping {
        index: 1,
        since: Timestamp::from_secs(30),
    });
    let v = view(&stepping, &plan, at);
    assert_eq!(rungs(&v), [Rung::Done, Rung::Current, Rung::Ahead]);
    assert_eq!(v.ladder[1].0, "50%");
    let bake = v.bake.expect("a live step bakes");
    assert_eq!(bake.length, Duration::from_secs(120));
    assert_eq!(bake.then, "then the next step, once the checks pass");
    let paused = record(Phase::Paused {
        why: "operator".into(),
        index: Some(0),
    });
    assert_eq!(
        rungs(&view(&paused, &plan, at)),
        [Rung::Stopped, Rung::Ahead, Rung::Ahead]
    );
    let promoted = record(Phase::Promoted { at });
    assert_eq!(rungs(&view(&promoted, &plan, at)), [Rung::Done; 3]);
    let rolled_back = record(Phase::RolledBack {
        why: "errors".into(),
        at,
    });
    let v = view(&rolled_back, &plan, at);
    assert!(v.bake.is_none());
    assert_eq!(rungs(&v), [Rung::Stopped; 3]);
}

#[test]
fn the_evidence_line_is_one_line_of_inert_text() {
    let mut r = record(Phase::Stepping {
        index: 0,
        since: Timestamp::from_secs(0),
    });
    r.last_verdict = Some(VerdictSummary {
        at: Timestamp::from_secs(3_600 * 14 + 5),
        verdict: "pass".into(),
        details: vec!["errors: 0.1%\n\u{1b}[31mred::error::x".into()],
    });
    let v = view(&r, &plan(), Timestamp::from_secs(60));
    assert!(
        v.evidence
            .starts_with("last verdict 14:00:05Z: pass [errors: 0.1%"),
        "{}",
        v.evidence
    );
    assert!(
        !v.evidence.contains('\n') && !v.evidence.contains('\u{1b}'),
        "{:?}",
        v.evidence
    );
}

#[test]
fn without_colours_the_ladder_is_plain_text() {
    console::set_colors_enabled(false);
    let ladder = vec![
        ("10%".to_string(), Rung::Done),
        ("50%".to_string(), Rung::Current),
        ("100%".to_string(), Rung::Ahead),
    ];
    assert_eq!(ladder_line(&ladder), "steps  ✓ 10%  →  ▶ 50%  →  100%");
}
