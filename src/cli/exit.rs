//! The documented exit codes.

use crate::core::Phase;

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

    pub fn code(self) -> i32 {
        self as i32
    }
}
