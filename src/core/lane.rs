//! The header test lane's state in the record, and the one rule of when its rule must exist.
//!
//! The lane's rule is a write like the weights: it moves traffic (the requests with the header)
//! to the canary. So it follows the same two-phase protocol. The decision to create it is saved
//! first (`Opening`, with the priority and the random token its tag will carry), then the rule
//! is created with that tag in the same call, read back and recorded as `Open`. A runner killed
//! in between finds its own rule by the token instead of creating a second one. Removal needs
//! no intent: the rule's ARN is in the record, and a rule that is gone is removed.
//!
//! Core only decides ([`wanted`]); the shell (`orchestrator/lane.rs`) creates and removes.

use super::plan::HeaderLane;
use super::record::{Event, EventKind, Phase, Record};
use super::types::Timestamp;
use serde::{Deserialize, Serialize};

/// The tag key on every lane rule canary-deploy creates; its value is [`Lane::token`].
pub const LANE_TAG: &str = "canary-deploy:lane";

/// The deployment's header lane, as the record keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// What the rule matches.
    pub lane: HeaderLane,
    /// The value of the rule's [`LANE_TAG`] tag: `<deployment>/<random>`. Only a rule carrying
    /// exactly this is the deployment's own.
    pub token: String,
    #[serde(flatten)]
    pub state: LaneState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "lane_state", rename_all = "snake_case")]
pub enum LaneState {
    /// Saved before CreateRule: the rule may or may not exist (at `priority`, tagged).
    Opening { priority: u32 },
    /// Created and read back.
    Open { rule: String, priority: u32 },
    /// Removed (verified gone), or `left` alone because it no longer carries the token.
    Closed {
        rule: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        left: Option<String>,
    },
}

impl Lane {
    /// Whether the rule exists, or may (its creation was decided and not seen to fail).
    pub fn may_exist(&self) -> bool {
        !matches!(self.state, LaneState::Closed { .. })
    }

    /// The `status` line: "header lane `x-canary: 1` → canary: rule arn:… (priority 9)", or
    /// being created, removed, or left to someone else.
    pub fn describe(&self) -> String {
        let what = self.lane.describe();
        match &self.state {
            LaneState::Opening { priority } => format!(
                "header lane `{what}`: being created at priority {priority} (the next tick \
                 finishes it)"
            ),
            LaneState::Open { rule, priority } => {
                format!("header lane `{what}` → canary: rule {rule} (priority {priority})")
            }
            LaneState::Closed { rule, left: None } => match rule {
                Some(rule) => format!("header lane `{what}`: removed (rule {rule})"),
                None => format!("header lane `{what}`: removed"),
            },
            LaneState::Closed {
                rule,
                left: Some(why),
            } => format!(
                "header lane `{what}`: rule {} left in place: {why}",
                rule.as_deref().unwrap_or("(unknown)")
            ),
        }
    }

    /// The rule's ARN, once known.
    pub fn rule(&self) -> Option<&str> {
        match &self.state {
            LaneState::Open { rule, .. } => Some(rule),
            LaneState::Closed { rule, .. } => rule.as_deref(),
            LaneState::Opening { .. } => None,
        }
    }
}

/// What the shell must do about the lane's rule after a tick or command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneMove {
    /// Create it (or finish creating it): the deployment is in the lane's step.
    Open,
    /// Remove it: the deployment ended, or went past the lane before the rule was made.
    Close,
    /// Check it is still there: the lane's step judges its traffic, and a rule removed outside
    /// this run (its dead-man's switch fired, someone deleted it) would leave nothing to judge.
    Verify,
    /// Leave it as it is.
    Keep,
}

/// Whether the lane's rule must be created, removed or left, given the record (and whether the
/// plan has a lane: an operator with only the record never creates one).
pub fn wanted(record: &Record, plan_lane: Option<&HeaderLane>) -> LaneMove {
    let lane = record.lane.as_ref();
    let exists = lane.is_some_and(Lane::may_exist);
    match &record.phase {
        phase if phase.is_terminal() => match exists {
            true => LaneMove::Close,
            false => LaneMove::Keep,
        },
        Phase::Stepping { index: 0, .. } if plan_lane.is_some() => match lane.map(|l| &l.state) {
            None | Some(LaneState::Opening { .. }) => LaneMove::Open,
            Some(LaneState::Open { .. }) => LaneMove::Verify,
            Some(LaneState::Closed { .. }) => LaneMove::Keep,
        },
        // Past the lane with its creation never confirmed: nobody judges it any more.
        Phase::Stepping { .. } => match lane.map(|l| &l.state) {
            Some(LaneState::Opening { .. }) => LaneMove::Close,
            _ => LaneMove::Keep,
        },
        _ => LaneMove::Keep,
    }
}

/// The lane's rule `rule` is gone while its step judges it: forgotten (a `resume` creates a new
/// one) and the deployment paused, saying so; all its weight is on stable.
pub fn vanished(mut record: Record, rule: &str, now: Timestamp) -> (Record, Vec<Event>) {
    record.lane = None;
    let why = format!(
        "the header lane's rule {rule} is gone: removed outside this run (its dead-man's switch \
         fired, or someone deleted it); all traffic is on stable. Run `canary-deploy resume` to \
         create the lane again, or `canary-deploy rollback` to end the deployment"
    );
    let left = Event {
        at: now,
        kind: EventKind::LaneLeft {
            rule: rule.to_string(),
            why: "it is gone".to_string(),
        },
    };
    record.remember(left.clone());
    let (paused, mut events) = super::failure::paused_where_it_is(record, why, now);
    events.insert(0, left);
    (paused, events)
}

/// The lane's rule could not be created: a runner's deployment pauses in the lane's step
/// (nothing else was written; the weights are all on stable), saying why and what to run.
pub fn open_failed(record: Record, why: &str, now: Timestamp) -> (Record, Vec<Event>) {
    let why = format!(
        "the header lane's rule could not be created: {why}; all traffic stays on stable. Fix \
         it and run `canary-deploy resume`, or `canary-deploy rollback` to end the deployment"
    );
    super::failure::paused_where_it_is(record, why, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;

    fn record(phase: Phase, state: Option<LaneState>) -> Record {
        let id = PlaybookId {
            name: "web".into(),
            content_hash: "h".into(),
        };
        let mut record = Record::new(id, Timestamp::from_secs(0));
        record.phase = phase;
        record.lane = state.map(|state| Lane {
            lane: header(),
            token: "web/abc".into(),
            state,
        });
        record
    }

    fn header() -> HeaderLane {
        HeaderLane {
            header: "x-canary".into(),
            value: "1".into(),
        }
    }

    fn stepping(index: usize) -> Phase {
        Phase::Stepping {
            index,
            since: Timestamp::from_secs(0),
        }
    }

    fn open() -> LaneState {
        LaneState::Open {
            rule: "arn:rule".into(),
            priority: 9,
        }
    }

    #[test]
    fn the_lane_is_opened_in_its_step_and_only_with_a_plan() {
        let lane = header();
        let fresh = record(stepping(0), None);
        assert_eq!(wanted(&fresh, Some(&lane)), LaneMove::Open);
        assert_eq!(wanted(&fresh, None), LaneMove::Keep, "no plan, no lane");
        let opening = record(stepping(0), Some(LaneState::Opening { priority: 9 }));
        assert_eq!(wanted(&opening, Some(&lane)), LaneMove::Open);
        assert_eq!(
            wanted(&record(stepping(0), Some(open())), Some(&lane)),
            LaneMove::Verify,
            "the lane's step checks its rule is still there"
        );
    }

    #[test]
    fn the_lane_stays_through_the_weighted_steps_and_a_pause() {
        let lane = header();
        assert_eq!(
            wanted(&record(stepping(2), Some(open())), Some(&lane)),
            LaneMove::Keep
        );
        let paused = Phase::Paused {
            why: "x".into(),
            index: Some(0),
        };
        assert_eq!(
            wanted(&record(paused, Some(open())), Some(&lane)),
            LaneMove::Keep
        );
        assert_eq!(
            wanted(&record(Phase::Pending, None), Some(&lane)),
            LaneMove::Keep
        );
    }

    #[test]
    fn an_ended_deployment_closes_a_lane_that_may_exist() {
        let ended = [
            Phase::Promoted {
                at: Timestamp::from_secs(1),
            },
            Phase::RolledBack {
                why: "x".into(),
                at: Timestamp::from_secs(1),
            },
            Phase::Failed { why: "x".into() },
        ];
        for phase in ended {
            for state in [open(), LaneState::Opening { priority: 3 }] {
                assert_eq!(
                    wanted(&record(phase.clone(), Some(state)), None),
                    LaneMove::Close
                );
            }
            let closed = LaneState::Closed {
                rule: Some("arn:rule".into()),
                left: None,
            };
            assert_eq!(
                wanted(&record(phase.clone(), Some(closed)), None),
                LaneMove::Keep
            );
            assert_eq!(wanted(&record(phase, None), None), LaneMove::Keep);
        }
    }

    #[test]
    fn an_unconfirmed_lane_past_its_step_is_closed() {
        let opening = record(stepping(1), Some(LaneState::Opening { priority: 3 }));
        assert_eq!(wanted(&opening, Some(&header())), LaneMove::Close);
    }

    #[test]
    fn a_rule_gone_in_the_lanes_step_is_forgotten_and_pauses() {
        let (paused, events) = vanished(
            record(stepping(0), Some(open())),
            "arn:rule",
            Timestamp::from_secs(5),
        );
        assert_eq!(paused.lane, None, "a resume creates a new one");
        let Phase::Paused { why, .. } = &paused.phase else {
            panic!("{:?}", paused.phase)
        };
        assert!(
            why.contains("arn:rule is gone") && why.contains("resume"),
            "{why}"
        );
        assert_eq!(events.len(), 2);
        assert_eq!(wanted(&paused, Some(&header())), LaneMove::Keep);
    }

    #[test]
    fn a_lane_that_cannot_be_made_pauses_the_step_saying_what_to_run() {
        let (paused, events) = open_failed(
            record(stepping(0), None),
            "no free priority",
            Timestamp::from_secs(5),
        );
        let Phase::Paused { why, index } = &paused.phase else {
            panic!("{:?}", paused.phase)
        };
        assert_eq!(*index, Some(0));
        assert!(why.contains("no free priority") && why.contains("canary-deploy resume"));
        assert_eq!(events.len(), 1);
    }
}
