//! What one runner tick returns, as JSON (the Lambda function's response): the deployment, what
//! the tick came to, its exit code as `advance` would exit, and what became of the schedule.

use crate::cli::Exit;
use crate::core::{Phase, Record};
use serde::Serialize;
use std::collections::BTreeMap;

/// The outcome format this release writes.
pub const OUTCOME_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub canary_deploy: u32,
    pub deployment: String,
    /// The deployment's phase after the tick (`pending`, `stepping`, `paused`, `promoted`,
    /// `rolled_back`, `failed`), or `busy` (another runner holds the lease: nothing done) or
    /// `refused` (the preflight refused the first step: nothing written).
    pub outcome: String,
    /// `advance`'s exit code for the same tick: 0 done, 1 error, 3 rolled back, 4 paused, 5
    /// busy.
    pub exit_code: i32,
    /// The step live after the tick (0-based), while stepping or paused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The canary's share last written and verified, per mille.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_permille: Option<u16>,
    /// Why it rolled back, paused, failed or was refused, or who holds the lease.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub schedule: ScheduleFate,
    /// The AWS calls the tick made, by operation (the lease, the switch and the schedule's
    /// included).
    pub aws_calls: BTreeMap<String, usize>,
}

/// What the tick did with the schedule that invoked it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleFate {
    /// The deployment goes on: the schedule keeps ticking.
    Kept,
    /// The deployment has ended (or will never start): the schedule is deleted.
    Deleted,
    /// The event named no schedule (invoked by hand).
    None,
    /// The deployment has ended but the schedule could not be deleted: it ticks on, each tick
    /// a no-op, until deleted (`canary-deploy schedule --delete`).
    DeleteFailed(String),
}

impl Outcome {
    /// The outcome of a tick that left `record`.
    pub fn of(record: &Record, schedule: ScheduleFate) -> Outcome {
        let (step, why) = match &record.phase {
            Phase::Stepping { index, .. } => (Some(*index), None),
            Phase::Paused { why, index } => (*index, Some(why.clone())),
            Phase::RolledBack { why, .. } | Phase::Failed { why } => (None, Some(why.clone())),
            Phase::Pending | Phase::Promoted { .. } => (None, None),
        };
        Outcome {
            canary_deploy: OUTCOME_FORMAT,
            deployment: record.playbook.name.clone(),
            outcome: record.phase.name().to_string(),
            exit_code: Exit::for_phase(&record.phase).code(),
            step,
            canary_permille: record.written.map(|s| s.canary_share().permille()),
            why,
            schedule,
            aws_calls: BTreeMap::new(),
        }
    }

    /// The outcome of a tick that did nothing: `busy` (exit 5) or `refused` (exit 1).
    pub fn idle(deployment: &str, outcome: &str, why: String, schedule: ScheduleFate) -> Outcome {
        let exit = match outcome {
            "busy" => Exit::Busy,
            _ => Exit::Error,
        };
        Outcome {
            canary_deploy: OUTCOME_FORMAT,
            deployment: deployment.to_string(),
            outcome: outcome.to_string(),
            exit_code: exit.code(),
            step: None,
            canary_permille: None,
            why: Some(why),
            schedule,
            aws_calls: BTreeMap::new(),
        }
    }
}
