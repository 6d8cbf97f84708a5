//! The backtest: the playbook as written, replayed from many start times over the route's own
//! history with the stable's traffic as both sides ([`super::history`]). Every rollback it
//! counts is a false one, since the "canary" is the stable; every pause or hold is one a real
//! deployment would have met on that traffic.

use super::drive::{replay, Replay};
use super::history::{HistorySource, StableHistory};
use super::model::Sampler;
use crate::core::plan::Plan;
use crate::core::Timestamp;
use std::time::Duration;

/// One replayed deployment: when it started and how it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub start: Timestamp,
    pub replay: Replay,
}

/// Start times from `first` every `every`, each leaving `room` before `end`.
pub fn starts(first: Timestamp, end: Timestamp, every: Duration, room: Duration) -> Vec<Timestamp> {
    let every = every.max(Duration::from_secs(60));
    let mut out = Vec::new();
    let mut at = first;
    while at.plus(room) <= end && out.len() < 100_000 {
        out.push(at);
        at = at.plus(every);
    }
    out
}

/// `plan` replayed from each of `starts` until `end` on `history`, each start with its own seed.
pub fn backtest(
    plan: &Plan,
    history: &StableHistory,
    starts: &[Timestamp],
    end: Timestamp,
    seed: u64,
) -> Vec<Run> {
    starts
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let mut source = HistorySource {
                history,
                sampler: Sampler::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64)),
            };
            Run {
                start: *start,
                replay: replay(plan, &mut source, *start, end.since(*start)),
            }
        })
        .collect()
}
