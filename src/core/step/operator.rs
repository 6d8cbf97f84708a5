//! The operator's commands: rollback, promote, pause and resume, for the on-call engineer.
//!
//! They need no playbook: an engineer at 3 a.m. may have only the resource's ARN, so everything
//! here works from the record alone (and the live split). They override the runner: a rollback or
//! a promotion writes whatever is live without a conflict check, and a pause stops a run at its
//! next tick. What cannot be done is refused with the reason rather than half done.

use super::super::record::{EventKind, Phase};
use super::super::types::Share;
use super::{Tick, WriteGuard};
use serde::{Deserialize, Serialize};

/// What the operator asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorAction {
    /// All traffic back on stable, verified, at any phase.
    Rollback,
    /// All traffic on the canary now, verified, skipping the remaining steps.
    Promote,
    /// Hold the current weights; a runner does nothing until `resume` or `rollback`.
    Pause,
    /// Continue a paused deployment at the step it was paused at, with a fresh bake.
    Resume,
}

impl OperatorAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorAction::Rollback => "rollback",
            OperatorAction::Promote => "promote",
            OperatorAction::Pause => "pause",
            OperatorAction::Resume => "resume",
        }
    }
}

/// An operator's command, with who gave it and why (both go into the record's history).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorCommand {
    pub action: OperatorAction,
    pub reason: String,
    /// The caller's identity (e.g. the ARN from STS GetCallerIdentity), when known.
    pub by: Option<String>,
}

/// The most characters of an operator's reason (or identity) the record keeps: a reason is a
/// note for the next person, and the record lives in 256-character tag values.
pub const MAX_REASON_CHARS: usize = 256;

impl OperatorCommand {
    /// The command, its reason and identity kept to [`MAX_REASON_CHARS`] each (the rest is
    /// dropped, and the kept text says how much).
    pub fn new(action: OperatorAction, reason: impl Into<String>, by: Option<String>) -> Self {
        OperatorCommand {
            action,
            reason: bounded(reason.into()),
            by: by.map(bounded),
        }
    }

    /// A rollback with `reason` and no known identity.
    ///
    /// (See [`OperatorCommand::new`] for how long a reason may be.)
    pub fn rollback(reason: impl Into<String>) -> Self {
        OperatorCommand::new(OperatorAction::Rollback, reason, None)
    }

    /// "operator: REASON" or "operator: REASON (by WHO)", the `why` of the phase it sets.
    pub fn why(&self) -> String {
        match &self.by {
            Some(by) => format!("operator: {} (by {by})", self.reason),
            None => format!("operator: {}", self.reason),
        }
    }
}

/// `text`, or its first [`MAX_REASON_CHARS`] characters and how many were dropped.
fn bounded(text: String) -> String {
    let total = text.chars().count();
    if total <= MAX_REASON_CHARS {
        return text;
    }
    let kept: String = text.chars().take(MAX_REASON_CHARS).collect();
    format!(
        "{kept}… ({} more characters dropped)",
        total - MAX_REASON_CHARS
    )
}

impl Tick {
    /// Applies `command`; `Err` says why it cannot be applied in this phase (nothing changed).
    pub(super) fn operator(&mut self, command: &OperatorCommand) -> Result<(), String> {
        let live = self.live;
        let phase = self.record.phase.clone();
        let refuse = |what: &str| {
            Err(format!(
                "nothing to {what}: the deployment is {}",
                phase.name()
            ))
        };
        match command.action {
            OperatorAction::Rollback => {}
            OperatorAction::Promote if matches!(phase, Phase::Promoted { .. }) => {
                return refuse("promote")
            }
            OperatorAction::Promote => {}
            OperatorAction::Pause => match phase {
                Phase::Pending | Phase::Stepping { .. } => {}
                _ => return refuse("pause"),
            },
            OperatorAction::Resume
                if self.record.gate_held.is_some() && matches!(phase, Phase::Stepping { .. }) => {}
            OperatorAction::Resume => {
                let Phase::Paused { .. } = phase else {
                    return refuse("resume");
                };
                if let Some(written) = self.record.written {
                    if written != live {
                        return Err(format!(
                            "cannot resume: the live weights are {live}, but canary-deploy last \
                             wrote {written}; put them back to {written}, or roll back"
                        ));
                    }
                }
            }
        }
        self.emit(EventKind::Operator {
            action: command.action,
            reason: command.reason.clone(),
            by: command.by.clone(),
        });
        let why = command.why();
        match (command.action, phase) {
            // A held gate is released: the next tick moves on (resume writes nothing).
            (OperatorAction::Resume, Phase::Stepping { .. }) => {
                if let Some(index) = self.record.gate_held.take() {
                    self.record.released_gates.push(index);
                    self.changed = true;
                    self.emit(EventKind::GateReleased { index });
                }
            }
            (OperatorAction::Rollback, _) => self.rollback(why, WriteGuard::Override),
            (OperatorAction::Promote, _) => self.promote_now(),
            (OperatorAction::Pause, Phase::Stepping { index, .. }) => self.pause(why, Some(index)),
            (OperatorAction::Pause, _) => self.pause(why, None),
            (
                OperatorAction::Resume,
                Phase::Paused {
                    index: Some(index), ..
                },
            ) => {
                self.record.consecutive_failures = 0;
                self.set_phase(Phase::Stepping {
                    index,
                    since: self.now,
                });
            }
            (OperatorAction::Resume, _) => self.set_phase(Phase::Pending),
        }
        Ok(())
    }

    /// All traffic on the canary, at once.
    fn promote_now(&mut self) {
        self.set_weights(Share::CANARY_ONLY);
        self.promote();
    }
}
