//! What the next `run` or `advance` would do with a playbook, given the stored record and the
//! live split: the one answer `plan` and `status` give, so neither claims "the first tick writes
//! step 1" of a deployment that has ended, is paused, or belongs to another revision.

use super::plan::Plan;
use super::record::{Phase, Record};
use super::start::{start, Start};
use super::types::Split;

/// "continues step 2 (25%)", "nothing: … rolled back …; `canary-deploy restart` …", …
pub fn would_do(plan: &Plan, record: Option<&Record>, live: Split) -> String {
    let first_tick = || match start(plan, live) {
        Start::Refuse { why } => format!("refuses to start: {why}"),
        begins => format!(
            "starts a deployment: the first tick {}",
            begins.describe(plan)
        ),
    };
    let Some(record) = record else {
        return first_tick();
    };
    if record.playbook.content_hash != plan.content_hash {
        return match record.phase.is_terminal() {
            true => first_tick(),
            false => format!(
                "refuses: the deployment of an earlier revision of this playbook is {}; end it \
                 first (`canary-deploy rollback` or `promote`), then this revision starts",
                record.phase.name()
            ),
        };
    }
    match &record.phase {
        Phase::Pending => first_tick(),
        Phase::Stepping { index, .. } => {
            let share = plan
                .steps
                .get(*index)
                .map_or("?".to_string(), |s| s.share.to_string());
            match (record.gate_held == Some(*index), plan.steps.get(*index)) {
                (true, Some(step)) => format!(
                    "holds step {} ({share}) at its gate ({}): `canary-deploy resume` releases \
                     it, `promote` finishes now",
                    index + 1,
                    step.gate.map_or("?".to_string(), |g| g.describe())
                ),
                _ => format!("continues step {} ({share})", index + 1),
            }
        }
        Phase::Paused { why, .. } => format!(
            "nothing until `canary-deploy resume` (or `rollback` / `promote`): paused: {why}"
        ),
        Phase::Promoted { at } => format!(
            "nothing: this revision was promoted at {} UTC; `canary-deploy restart` deploys it \
             again",
            at.utc()
        ),
        Phase::RolledBack { at, why } => format!(
            "nothing: this revision was rolled back at {} UTC ({why}); `canary-deploy restart` \
             deploys it again, or change the playbook",
            at.utc()
        ),
        Phase::Failed { why } => format!(
            "nothing: this revision's deployment failed ({why}); `canary-deploy restart` deploys \
             it again once fixed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::step::test_support::PlanBuilder;
    use crate::core::Timestamp;

    fn record(plan: &Plan, hash: Option<&str>, phase: Phase) -> Record {
        let id = PlaybookId {
            name: plan.name.clone(),
            content_hash: hash.map_or(plan.content_hash.clone(), str::to_string),
        };
        let mut r = Record::new(id, Timestamp::from_secs(0));
        r.phase = phase;
        r
    }

    #[test]
    fn each_phase_says_what_the_next_tick_does() {
        let plan = PlanBuilder::standard().build();
        let live = Split::new(1000, 0);
        assert!(would_do(&plan, None, live)
            .starts_with("starts a deployment: the first tick writes step 1"));
        let at = Timestamp::from_secs(3600);
        let rolled = record(
            &plan,
            None,
            Phase::RolledBack {
                at,
                why: "5xx".into(),
            },
        );
        let said = would_do(&plan, Some(&rolled), live);
        assert!(
            said.starts_with("nothing: this revision was rolled back at"),
            "{said}"
        );
        assert!(said.contains("canary-deploy restart"), "{said}");
        let stepping = record(
            &plan,
            None,
            Phase::Stepping {
                index: 1,
                since: at,
            },
        );
        assert!(would_do(&plan, Some(&stepping), live).starts_with("continues step 2"));
        let paused = record(
            &plan,
            None,
            Phase::Paused {
                why: "pager".into(),
                index: Some(0),
            },
        );
        assert!(would_do(&plan, Some(&paused), live).contains("canary-deploy resume"));
        let older = record(
            &plan,
            Some("other"),
            Phase::Stepping {
                index: 0,
                since: at,
            },
        );
        assert!(would_do(&plan, Some(&older), live).starts_with("refuses"));
        let older_ended = record(&plan, Some("other"), Phase::Promoted { at });
        assert!(would_do(&plan, Some(&older_ended), live).starts_with("starts a deployment"));
    }
}
