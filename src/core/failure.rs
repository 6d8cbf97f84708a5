//! What a failed weight write does to the deployment: the rule for the shell's one imperative
//! failure mode.
//!
//! A write can fail because someone changed the weights between our read and our write
//! (conflict), because AWS refused or timed out, or because the read-back showed something
//! else. A failed forward step pauses: traffic stays where it verifiably was and an operator
//! decides. A failed rollback is worse, since the canary may still take traffic, so the
//! deployment is marked failed with the one command that retries it.

use super::record::{Event, EventKind, Phase, Record};
use super::types::{Share, Split, Timestamp};

/// Why a write did not land.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteFailure {
    /// The live weights were not what this runner expected just before the write.
    Conflict { expected: Split, live: Split },
    /// AWS refused, could not be reached, or showed other weights after the write.
    Error { why: String },
}

/// Applies a failed write of `share` to the record; returns the events to emit (already
/// remembered in the record's history).
pub fn write_failed(
    mut record: Record,
    share: Share,
    failure: WriteFailure,
    now: Timestamp,
) -> (Record, Vec<Event>) {
    let index = match record.phase {
        Phase::Stepping { index, .. } => Some(index),
        Phase::Paused { index, .. } => index,
        _ => None,
    };
    let mut events = Vec::new();
    let rollback = share == Share::STABLE_ONLY;
    match failure {
        WriteFailure::Conflict { expected, live } => {
            record.in_flight = None;
            let why = format!(
                "live weights changed outside canary-deploy: expected {expected}, found {live}; \
                 nothing was written. Run `canary-deploy rollback` to put all traffic on stable, \
                 or restore the weights"
            );
            events.push(EventKind::DriftDetected { expected, live });
            events.push(EventKind::Paused { why: why.clone() });
            record.phase = Phase::Paused { why, index };
        }
        WriteFailure::Error { why } if rollback => {
            let why = format!(
                "rollback to stable failed: {why}; the canary may still receive traffic. Run \
                 `canary-deploy rollback` again"
            );
            events.push(EventKind::Failed { why: why.clone() });
            record.phase = Phase::Failed { why };
        }
        WriteFailure::Error { why } => {
            let why = format!(
                "could not set the canary to {share}: {why}; traffic was left as it was. Run \
                 `canary-deploy run` again to retry, or `canary-deploy rollback`"
            );
            events.push(EventKind::Paused { why: why.clone() });
            record.phase = Phase::Paused { why, index };
        }
    }
    record.updated_at = now;
    let events: Vec<Event> = events
        .into_iter()
        .map(|kind| Event { at: now, kind })
        .collect();
    for event in &events {
        record.remember(event.clone());
    }
    (record, events)
}

/// A read of the live weights whose answer could not be used (a weight out of range, a group
/// listed twice: see [`crate::traffic::WeightLimits::check_read`]): a deployment on its way
/// pauses where it is, nothing written, with the answer's problem as the reason. `None` for a
/// phase that does not act on a read (ended or already paused): the caller reports the error.
pub fn read_unusable(record: Record, why: &str, now: Timestamp) -> Option<(Record, Vec<Event>)> {
    if !matches!(record.phase, Phase::Stepping { .. } | Phase::Pending) {
        return None;
    }
    let why = format!(
        "{why}. Traffic was left as it was; look at the resource, then `canary-deploy resume` or \
         `canary-deploy rollback`"
    );
    Some(paused_where_it_is(record, why, now))
}

/// The deployment paused at the step it is in (none before the first), saying `why`, with the
/// event remembered.
pub(crate) fn paused_where_it_is(
    mut record: Record,
    why: String,
    now: Timestamp,
) -> (Record, Vec<Event>) {
    let index = match record.phase {
        Phase::Stepping { index, .. } => Some(index),
        Phase::Paused { index, .. } => index,
        _ => None,
    };
    record.phase = Phase::Paused {
        why: why.clone(),
        index,
    };
    record.updated_at = now;
    let event = Event {
        at: now,
        kind: EventKind::Paused { why },
    };
    record.remember(event.clone());
    (record, vec![event])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;

    fn stepping() -> Record {
        let mut record = Record::new(
            PlaybookId {
                name: "n".into(),
                content_hash: "h".into(),
            },
            Timestamp(0),
        );
        record.phase = Phase::Stepping {
            index: 2,
            since: Timestamp(0),
        };
        record
    }

    #[test]
    fn a_conflict_pauses_and_names_both_splits() {
        let expected = Split::new(950, 50);
        let live = Split::new(800, 200);
        let (record, events) = write_failed(
            stepping(),
            Share::from_permille(100).unwrap(),
            WriteFailure::Conflict { expected, live },
            Timestamp(5),
        );
        let Phase::Paused { why, index } = &record.phase else {
            panic!("expected paused, got {:?}", record.phase)
        };
        assert_eq!(*index, Some(2));
        assert!(why.contains("stable 950 / canary 50") && why.contains("stable 800 / canary 200"));
        assert_eq!(events.len(), 2);
        assert_eq!(record.history.len(), 2);
    }

    #[test]
    fn an_unusable_read_pauses_a_deployment_on_its_way_and_nothing_else() {
        let (record, events) = read_unusable(stepping(), "weight 5000", Timestamp(5)).unwrap();
        assert!(
            matches!(record.phase, Phase::Paused { index: Some(2), ref why } if why.starts_with("weight 5000"))
        );
        assert_eq!(events.len(), 1);
        let mut ended = stepping();
        ended.phase = Phase::Promoted { at: Timestamp(1) };
        assert!(read_unusable(ended, "x", Timestamp(5)).is_none());
    }

    #[test]
    fn a_failed_rollback_is_failed_not_paused() {
        let (record, _) = write_failed(
            stepping(),
            Share::STABLE_ONLY,
            WriteFailure::Error {
                why: "timeout".into(),
            },
            Timestamp(5),
        );
        assert!(
            matches!(record.phase, Phase::Failed { ref why } if why.contains("rollback again") || why.contains("rollback` again"))
        );
    }

    #[test]
    fn a_failed_forward_write_pauses_and_keeps_the_step() {
        let (record, _) = write_failed(
            stepping(),
            Share::from_permille(500).unwrap(),
            WriteFailure::Error {
                why: "Throttling".into(),
            },
            Timestamp(5),
        );
        assert!(matches!(record.phase, Phase::Paused { index: Some(2), .. }));
    }
}
