//! The state machine: `step(record, inputs, plan, now) -> (record, actions)`.
//!
//! One call is one tick. The rules, in order: an operator's rollback wins over everything;
//! promoted, rolled back, failed and paused deployments do nothing on their own; live weights that
//! differ from the ones last written pause the deployment (someone else is driving them); a
//! pending deployment starts at its first step; a stepping one is judged, and advances once the
//! step has baked with a passing analysis, or is rolled back (or paused) after
//! `failure_threshold` failed analyses in a row.

use super::judge::Judgement;
use super::plan::Plan;
use super::record::{Event, EventKind, Phase, Record};
use super::start::Start;
use super::types::{Share, Split, Timestamp};
use std::time::Duration;

mod operator;
mod stepping;

pub use operator::{OperatorAction, OperatorCommand};

/// What the shell observed for this tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// The live raw weights of the two targets, read this tick.
    pub live: Split,
    /// The judgement of this tick's observations; `None` when no analysis ran this tick
    /// (no window yet, or the phase does not need one).
    pub judgement: Option<Judgement>,
    /// An operator's command, if this tick carries one.
    pub operator: Option<OperatorCommand>,
}

/// What the shell must do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Write these weights (the shell converts the share to the backend's raw split) as `guard`
    /// allows, verify by reading back, and record the verified split in `record.written`.
    SetWeights { share: Share, guard: WriteGuard },
    /// Persist the record.
    Save,
    /// Tell the reporters.
    Emit(Event),
}

/// What a weight write must find live before it writes. Core decides it, so the rule for each
/// command is here and nowhere else: a runner's writes and an operator's `promote` expect the
/// split canary-deploy last wrote (or, before its first write, the split the tick read) and are
/// refused as a conflict when someone else changed it; only an operator's `rollback` overrides
/// whatever is live, since putting everything back on stable is always what the button means.
/// (`pause` and `resume` write nothing: `resume` refuses unless the live split is the one last
/// written.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteGuard {
    /// The live split must still be this.
    Expect(Split),
    /// Write whatever is live.
    Override,
}

/// One tick: the next record and the actions the shell must perform, in order. A tick that
/// changes nothing returns the record as it was and no actions; any other ends with
/// [`Action::Save`]. Every event is appended to the record's history and emitted, in order.
pub fn step(record: Record, inputs: &Inputs, plan: &Plan, now: Timestamp) -> (Record, Vec<Action>) {
    if let Some(command) = &inputs.operator {
        // A refused command changes nothing; `operate` tells the caller why.
        return operate(record.clone(), command, inputs.live, now).unwrap_or((record, Vec::new()));
    }
    let mut tick = Tick::new(record, inputs.live, now);
    match tick.record.phase.clone() {
        Phase::Promoted { .. } | Phase::RolledBack { .. } | Phase::Failed { .. } => {}
        Phase::Paused { .. } => {}
        Phase::Pending | Phase::Stepping { .. } if tick.drifted(inputs.live) => {}
        Phase::Pending => tick.start(inputs.live, plan),
        Phase::Stepping { index, since } => tick.stepping(index, since, inputs, plan),
    }
    tick.finish()
}

/// An operator's command on `record` (no playbook needed: see [`operator`]), or why it cannot
/// be applied in the record's phase.
pub fn operate(
    record: Record,
    command: &OperatorCommand,
    live: Split,
    now: Timestamp,
) -> Result<(Record, Vec<Action>), String> {
    let mut tick = Tick::new(record, live, now);
    tick.operator(command)?;
    Ok(tick.finish())
}

/// How long until the current step has baked (zero once it has), when a step is live.
pub fn time_to_next_step(record: &Record, plan: &Plan, now: Timestamp) -> Option<Duration> {
    match record.phase {
        Phase::Stepping { index, since } => plan
            .steps
            .get(index)
            .map(|step| step.bake.saturating_sub(now.since(since))),
        _ => None,
    }
}

/// The canary share the record says is live: the current (or paused) step's, 100 % once
/// promoted, 0 % once rolled back; `None` before the first write or when unknown.
pub fn current_share(record: &Record, plan: &Plan) -> Option<Share> {
    match record.phase {
        Phase::Stepping { .. } if record.judging_live => record.written.map(Split::canary_share),
        Phase::Stepping { index, .. }
        | Phase::Paused {
            index: Some(index), ..
        } => plan.steps.get(index).map(|step| step.share),
        Phase::Promoted { .. } => Some(Share::CANARY_ONLY),
        Phase::RolledBack { .. } => Some(Share::STABLE_ONLY),
        Phase::Pending | Phase::Paused { index: None, .. } | Phase::Failed { .. } => None,
    }
}

/// The record and actions of one tick, built up as the rules apply.
struct Tick {
    record: Record,
    /// The live raw split this tick read.
    live: Split,
    actions: Vec<Action>,
    changed: bool,
    now: Timestamp,
}

impl Tick {
    fn new(record: Record, live: Split, now: Timestamp) -> Tick {
        Tick {
            record,
            live,
            actions: Vec::new(),
            changed: false,
            now,
        }
    }

    fn finish(mut self) -> (Record, Vec<Action>) {
        if self.changed {
            self.record.updated_at = self.now;
            // An ended deployment needs no runner: its record carries no lease.
            if self.record.phase.is_terminal() {
                self.record.lease = None;
            }
            self.actions.push(Action::Save);
        }
        (self.record, self.actions)
    }

    fn emit(&mut self, kind: EventKind) {
        self.emit_kept_if(true, kind);
    }

    /// Emits an event, keeping it in the record's history only when `keep`.
    fn emit_kept_if(&mut self, keep: bool, kind: EventKind) {
        let event = Event { at: self.now, kind };
        if keep {
            self.record.remember(event.clone());
        }
        self.actions.push(Action::Emit(event));
        // A repeat that is not kept is reported only: it gives the record nothing to save.
        self.changed |= keep;
    }

    /// A write that must find live what canary-deploy last wrote (or, before its first
    /// write, what this tick read).
    fn set_weights(&mut self, share: Share) {
        let expected = self.record.written.unwrap_or(self.live);
        self.write(share, WriteGuard::Expect(expected));
    }

    fn write(&mut self, share: Share, guard: WriteGuard) {
        self.actions.push(Action::SetWeights { share, guard });
        self.changed = true;
    }

    fn set_phase(&mut self, phase: Phase) {
        self.record.phase = phase;
        // A gate holds only the step it belongs to, in the phase it was held in.
        self.record.gate_held = None;
        self.changed = true;
    }

    /// All traffic back on stable, the write guarded by `guard`.
    fn rollback(&mut self, why: String, guard: WriteGuard) {
        self.write(Share::STABLE_ONLY, guard);
        self.record.consecutive_failures = 0;
        self.set_phase(Phase::RolledBack {
            why: why.clone(),
            at: self.now,
        });
        self.emit(EventKind::RolledBack { why });
    }

    fn pause(&mut self, why: String, index: Option<usize>) {
        self.set_phase(Phase::Paused {
            why: why.clone(),
            index,
        });
        self.emit(EventKind::Paused { why });
    }

    fn fail(&mut self, why: String) {
        self.set_phase(Phase::Failed { why: why.clone() });
        self.emit(EventKind::Failed { why });
    }

    /// Pauses when the live weights are not the ones last written (nor the ones being written).
    fn drifted(&mut self, live: Split) -> bool {
        let Some(expected) = self.record.written else {
            return false;
        };
        if live == expected || self.record.in_flight == Some(live) {
            return false;
        }
        let why = format!(
            "live weights changed outside canary-deploy: expected {expected}, found {live}; run \
             `canary-deploy rollback` to put all traffic on stable, or fix the weights"
        );
        let index = match self.record.phase {
            Phase::Stepping { index, .. } => Some(index),
            _ => None,
        };
        self.emit(EventKind::DriftDetected { expected, live });
        self.pause(why, index);
        true
    }

    /// Pending → the first step, or (when the canary already receives traffic) where the plan's
    /// `start_from` says; without one the deployment does not start (see [`super::start`]).
    fn start(&mut self, live: Split, plan: &Plan) {
        if plan.steps.is_empty() {
            self.fail(
                "the plan has no steps: add at least one step ending at 100% to the playbook"
                    .to_string(),
            );
            return;
        }
        let start = super::start::start(plan, live);
        if let (
            Start::EnterStep { .. } | Start::Adopt { .. } | Start::JudgeThenStep { .. },
            Some(start_from),
        ) = (&start, plan.start_from)
        {
            if live.canary_share() != Share::STABLE_ONLY {
                self.emit(EventKind::ExistingSplit { live, start_from });
            }
        }
        match start {
            Start::EnterStep { index } => {
                self.emit(EventKind::Started {
                    steps: plan.steps.len(),
                });
                self.enter_step(index, plan.steps[index].share);
            }
            Start::Adopt { index } | Start::JudgeThenStep { index } => {
                self.emit(EventKind::Started {
                    steps: plan.steps.len(),
                });
                // Nothing to write: the live split is what must stay live, the step's own or
                // (until it has been judged) the one the deployment found.
                self.record.written = Some(live);
                self.record.judging_live = matches!(start, Start::JudgeThenStep { .. });
                self.record.consecutive_failures = 0;
                self.set_phase(Phase::Stepping {
                    index,
                    since: self.now,
                });
                self.emit(EventKind::StepStarted {
                    index,
                    share: plan.steps[index].share,
                });
            }
            // The shell refuses before it gets here (nothing is saved or written); should a
            // caller skip that, the deployment pauses rather than moving traffic.
            Start::Refuse { why } => self.pause(why, None),
        }
    }

    /// Writes the step's share and starts its bake.
    fn enter_step(&mut self, index: usize, share: Share) {
        self.set_weights(share);
        self.record.judging_live = false;
        self.record.consecutive_failures = 0;
        self.set_phase(Phase::Stepping {
            index,
            since: self.now,
        });
        self.emit(EventKind::StepStarted { index, share });
    }
}

#[cfg(test)]
#[path = "tests_support.rs"]
pub(crate) mod test_support;

#[cfg(test)]
#[path = "tests_step.rs"]
mod tests;

#[cfg(test)]
#[path = "tests_step_policies.rs"]
mod tests_policies;

#[cfg(test)]
#[path = "tests_step_phases.rs"]
mod tests_phases;

#[cfg(test)]
#[path = "tests_operator.rs"]
mod tests_operator;
#[cfg(test)]
#[path = "tests_step_gates.rs"]
mod tests_step_gates;
