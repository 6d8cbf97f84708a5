//! `validate`: parse and check a playbook, and show the plan it gives. Makes no AWS call.

use super::Exit;
use crate::core::plan::StartFrom;
use crate::core::Plan;
use std::path::Path;
use std::time::Duration;

pub fn execute(path: &Path) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    println!(
        "{}: valid playbook `{}`: {} steps, {} checks",
        path.display(),
        plan.name,
        plan.steps.len(),
        plan.checks.len()
    );
    println!("{}", timeline(&plan));
    println!("{}", start(&plan));
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

/// "steps: 10% (bake 2m) → 50% (bake 2m) → 100% (bake 0s); at least 4m to promotion"
pub fn timeline(plan: &Plan) -> String {
    let steps: Vec<String> = plan
        .steps
        .iter()
        .map(|step| {
            format!(
                "{} (bake {})",
                step.share,
                humantime::format_duration(step.bake)
            )
        })
        .collect();
    let total: Duration = plan.steps.iter().map(|step| step.bake).sum();
    format!(
        "steps: {}; at least {} to promotion",
        steps.join(" → "),
        humantime::format_duration(total)
    )
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
}
