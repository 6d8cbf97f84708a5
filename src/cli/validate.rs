//! `validate`: parse and check a playbook, and show the plan it gives. Makes no AWS call.

use super::Exit;
use crate::core::plan::StartFrom;
use crate::core::{Plan, Share, Timestamp};
use std::path::Path;
use std::time::Duration;

pub fn execute(path: &Path, output: super::Output) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    if output == super::Output::Json {
        let (stages, total) = stages(&plan, 0);
        let steps: Vec<serde_json::Value> = stages
            .iter()
            .map(|s| serde_json::json!({ "step": s.index + 1, "percent": s.share.percent(), "bake_seconds": s.bake.as_secs() }))
            .collect();
        let checks: Vec<&str> = plan.checks.iter().map(|c| c.name.as_str()).collect();
        let doc = crate::report::schema::versioned(serde_json::json!({
            "kind": "validate",
            "valid": true,
            "playbook": plan.name,
            "file": path.display().to_string(),
            "steps": steps,
            "checks": checks,
            "shortest_seconds": total.as_secs(),
        }));
        println!("{}", crate::text::json(&doc.to_string()));
        return Ok(Exit::Done);
    }
    let lines = [
        format!(
            "{}: valid playbook `{}`: {} steps{}, {} checks",
            path.display(),
            plan.name,
            plan.steps.len() - usize::from(plan.lane.is_some()),
            match plan.lane {
                Some(_) => " after a header lane",
                None => "",
            },
            plan.checks.len()
        ),
        timeline(&plan),
        start(&plan),
    ];
    crate::report::github::report_to_summary("validate", &lines);
    super::print::out_lines(&lines);
    Ok(Exit::Done)
}

/// What `run` does when the canary already has traffic at the start.
pub fn start(plan: &Plan) -> String {
    let how = match plan.start_from {
        None => "refuse to start and show the live split (set `start_from` or pass `--start-from`)",
        Some(StartFrom::Live) => {
            "continue at the first step at or above its live weight (`start_from: live`)"
        }
        Some(StartFrom::FirstStep) => "reset to the first step (`start_from: first_step`)",
    };
    format!("if the canary already has traffic: {how}")
}

/// One step of the timeline: when it starts after the deployment's start, at the earliest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    /// 0-based index in the plan's steps.
    pub index: usize,
    pub share: Share,
    pub bake: Duration,
    /// From the first step written to this one's weights, at the earliest.
    pub after: Duration,
}

/// The plan's steps from `first` on (a start from a live split skips the ones below), each with
/// its earliest start; and the earliest time to promotion.
pub fn stages(plan: &Plan, first: usize) -> (Vec<Stage>, Duration) {
    let mut after = Duration::ZERO;
    let mut out = Vec::new();
    for (index, step) in plan.steps.iter().enumerate().skip(first) {
        out.push(Stage {
            index,
            share: step.share,
            bake: step.bake,
            after,
        });
        after += step.bake;
        if let Some(crate::core::plan::Gate::Wait(wait)) = step.gate {
            after += wait;
        }
    }
    (out, after)
}

/// "steps: 10% (bake 2m) → 50% (bake 2m) → 100% (bake 0s); at least 4m to promotion", a gate
/// said after its step ("10% (bake 2m, then gate: approval)") and its approvals after the time.
pub fn timeline(plan: &Plan) -> String {
    let (stages, total) = stages(plan, 0);
    let gate = |index: usize| match plan.steps.get(index).and_then(|s| s.gate) {
        Some(gate) => format!(", then gate: {}", gate.describe()),
        None => String::new(),
    };
    let steps: Vec<String> = stages
        .iter()
        .map(|stage| {
            let what = match (&plan.lane, stage.index) {
                (Some(lane), 0) => format!("header lane `{}` to the canary", lane.describe()),
                _ => stage.share.to_string(),
            };
            format!(
                "{what} (bake {}{})",
                humantime::format_duration(stage.bake),
                gate(stage.index)
            )
        })
        .collect();
    let approvals = plan
        .steps
        .iter()
        .filter(|s| s.gate == Some(crate::core::plan::Gate::Approval))
        .count();
    let waiting = match approvals {
        0 => String::new(),
        1 => ", and an operator's approval".to_string(),
        n => format!(", and {n} operators' approvals"),
    };
    format!(
        "steps: {}; at least {} to promotion{waiting}",
        steps.join(" → "),
        humantime::format_duration(total)
    )
}

/// The timeline on the clock from `now` (UTC), one line per step then the expected end:
/// "step 1  10%  14:00:00  bake 2m  until 14:02:00".
pub fn timeline_at(plan: &Plan, first: usize, now: Timestamp) -> Vec<String> {
    let (stages, total) = stages(plan, first);
    let mut lines: Vec<String> = stages
        .iter()
        .map(|stage| {
            let starts = now.plus(stage.after);
            format!(
                "step {}  {:>6}  {}  bake {}  until {}",
                stage.index + 1,
                stage.share.to_string(),
                starts.clock(),
                humantime::format_duration(stage.bake),
                starts.plus(stage.bake).clock()
            )
        })
        .collect();
    lines.push(format!(
        "expected end: promoted at {} UTC at the earliest ({} from now, if every analysis passes)",
        now.plus(total).clock(),
        humantime::format_duration(total)
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_lists_every_step_and_the_shortest_duration() {
        let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\n";
        let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
        assert_eq!(
            timeline(&plan),
            "steps: 10% (bake 2m) → 50% (bake 2m) → 100% (bake 0s); at least 4m to promotion"
        );
    }

    #[test]
    fn the_timeline_says_each_gate_after_its_step() {
        let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, {gate: 5m}, 50, {gate: approval}]\n  bake: 2m\n";
        let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
        assert_eq!(
            timeline(&plan),
            "steps: 10% (bake 2m, then gate: a 5m wait) → 50% (bake 2m, then gate: approval) → \
             100% (bake 0s); at least 9m to promotion, and an operator's approval"
        );
    }

    #[test]
    fn the_clock_timeline_starts_at_the_first_step_taken() {
        let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\n";
        let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
        let now = Timestamp::from_secs(14 * 3600);
        assert_eq!(
            timeline_at(&plan, 1, now),
            vec![
                "step 2     50%  14:00:00  bake 2m  until 14:02:00".to_string(),
                "step 3    100%  14:02:00  bake 0s  until 14:02:00".to_string(),
                "expected end: promoted at 14:02:00 UTC at the earliest (2m from now, if every \
                 analysis passes)"
                    .to_string(),
            ]
        );
    }
}
