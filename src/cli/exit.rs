//! The documented exit codes.

use crate::core::Phase;
use crate::orchestrator::OrchestratorError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Promoted, or the command did what it was asked.
    Done = 0,
    /// Something went wrong (invalid playbook, AWS error, failed rollback).
    Error = 1,
    /// The command line was wrong.
    Usage = 2,
    /// The canary was rolled back by its checks.
    RolledBack = 3,
    /// The deployment is paused: an operator must act.
    Paused = 4,
    /// Another runner holds the deployment's lease: this one did nothing. Not a failure of the
    /// deployment.
    Busy = 5,
    /// Interrupted (Ctrl-C or SIGTERM): traffic stays on the last verified weights, and the
    /// same command continues where this one stopped (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

impl Exit {
    /// The exit code for the phase a `run` ended in.
    pub fn for_phase(phase: &Phase) -> Exit {
        match phase {
            Phase::Promoted { .. } => Exit::Done,
            Phase::RolledBack { .. } => Exit::RolledBack,
            Phase::Paused { .. } => Exit::Paused,
            Phase::Failed { .. } => Exit::Error,
            Phase::Pending | Phase::Stepping { .. } => Exit::Done,
        }
    }

    /// [`Exit::Busy`] for an error that means another runner has the deployment (its lease is
    /// held, or this runner's was taken over): nothing was done.
    pub fn for_lease(error: &OrchestratorError) -> Option<Exit> {
        match error {
            OrchestratorError::Busy { .. } | OrchestratorError::LeaseLost(_) => Some(Exit::Busy),
            _ => None,
        }
    }

    pub fn code(self) -> i32 {
        self as i32
    }
}
