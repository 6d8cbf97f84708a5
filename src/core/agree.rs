//! Whether a deployment record agrees with the live resource, before anything believes it.
//!
//! The record is a memo of intent kept where anyone with tag rights can edit it (its checksum
//! catches accidents, not an editor), so the live resource is the authority. Before a runner acts
//! on a record, or an operator's command writes on its word alone, the record must agree with
//! what is live: the phase with the split last written (a `promoted` record whose last write
//! gave the canary 10 % is a contradiction, not a fact), an ended deployment with the live split,
//! and, when the record alone says which target is stable (an on-call command given only an
//! ARN), the live split with what the record wrote. A record that disagrees is refused, naming
//! both sides; nothing is written on its strength.
//!
//! What the live resource itself must hold (the record's resource, its stable target in the
//! forward action, no weight on a third target group) is checked where the resource is read:
//! the router's read names any third group's weight in [`Split::others`], which is drift for a
//! runner and refused here for an operator's write.

use super::plan::Plan;
use super::record::{EventKind, Phase, Record};
use super::types::{Share, Split};

/// Who says which target is stable and which is the canary, for an operator's command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// The playbook (resolved against AWS): the record's word is not needed.
    Playbook,
    /// Only the record found in the resource's tags: it must agree with what is live.
    Record,
}

/// A runner's check before its tick: the phase agrees with the split last written (or being
/// written), and an ended deployment with the live split. `Err` names both sides.
pub fn runner(record: &Record, plan: &Plan, live: Split) -> Result<(), String> {
    phase_agrees_with_writes(record, plan)?;
    if matches!(
        record.phase,
        Phase::Promoted { .. } | Phase::RolledBack { .. }
    ) {
        live_is_recorded(record, live)?;
    }
    Ok(())
}

/// An operator's check before a command that writes (rollback, promote): no weight on a third
/// target group, and, when the record alone says which target is which, the live split is one
/// the record wrote (or saw as drift). `Err` names both sides; nothing is to be written.
pub fn operator(record: &Record, live: Split, identity: Identity) -> Result<(), String> {
    if live.others > 0 {
        return Err(format!(
            "the live forward action sends weight {} to target groups that are neither the \
             stable nor the canary (live: {live}); someone else changed the route, so \
             canary-deploy writes nothing: fix the forward action (or remove the other target \
             groups), then run the command again",
            live.others
        ));
    }
    if identity == Identity::Record {
        terminal_phase_agrees(record)?;
        live_is_recorded(record, live)?;
    }
    Ok(())
}

/// The share the phase says is live agrees with the split last written, or the one in flight.
fn phase_agrees_with_writes(record: &Record, plan: &Plan) -> Result<(), String> {
    let Phase::Stepping { index, .. } = record.phase else {
        return terminal_phase_agrees(record);
    };
    if record.judging_live {
        return Ok(());
    }
    let Some(step) = plan.steps.get(index) else {
        // core::step fails the deployment with the reason (the playbook lost steps).
        return Ok(());
    };
    let writes = [record.written, record.in_flight];
    if writes
        .iter()
        .flatten()
        .any(|split| split.canary_share() == step.share)
    {
        return Ok(());
    }
    Err(format!(
        "the deployment record says step {} ({}) is live, but canary-deploy's last write was {}: \
         the record was changed outside canary-deploy; not acting. Check the resource's tags, \
         then `canary-deploy rollback` or restore the record",
        index + 1,
        step.share,
        describe(record.written),
    ))
}

/// A promoted record's last write gave the canary everything, a rolled-back one nothing.
fn terminal_phase_agrees(record: &Record) -> Result<(), String> {
    let Some(written) = record.written else {
        return Ok(());
    };
    let phase_share = match &record.phase {
        Phase::Promoted { .. } => Share::CANARY_ONLY,
        Phase::RolledBack { .. } => Share::STABLE_ONLY,
        _ => return Ok(()),
    };
    // A rollback being finished has its all-stable write in flight.
    if written.canary_share() == phase_share
        || record.in_flight.map(Split::canary_share) == Some(phase_share)
    {
        return Ok(());
    }
    Err(format!(
        "the deployment record says {} ({phase_share} canary), but canary-deploy's last write \
         was {written}: the record was changed outside canary-deploy; not acting",
        record.phase.name()
    ))
}

/// The live split is the one the record last wrote, is writing, or recorded as drift.
fn live_is_recorded(record: &Record, live: Split) -> Result<(), String> {
    let Some(written) = record.written else {
        return Ok(());
    };
    let seen_as_drift = record
        .history
        .iter()
        .rev()
        .find_map(|event| match event.kind {
            EventKind::DriftDetected { live, .. } => Some(live),
            _ => None,
        });
    if live == written || record.in_flight == Some(live) || seen_as_drift == Some(live) {
        return Ok(());
    }
    Err(format!(
        "the deployment record says {} with {written} last written, but the live weights are \
         {live}: the record does not describe this resource as it is, so it cannot say which \
         target is stable; nothing was written. Give the playbook instead (`canary-deploy \
         rollback <playbook>`), which names the stable target itself",
        record.phase.name()
    ))
}

fn describe(split: Option<Split>) -> String {
    split.map_or_else(|| "nothing yet".to_string(), |split| split.to_string())
}

#[cfg(test)]
#[path = "tests_agree.rs"]
mod tests;
