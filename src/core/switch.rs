//! When the dead-man's switch is armed, pushed forward or disarmed: a pure rule on the record's
//! phase, what it last wrote, and when the switch's schedule fires (as read from AWS).
//!
//! - Armed while the canary has traffic and the deployment is stepping, or has failed (a failed
//!   rollback is exactly when AWS should retry it): at `now + max_gap`.
//! - Pushed forward by a tick that finds it armed and due within the last third of `max_gap`,
//!   so that a healthy deployment rewrites its schedule about once per two thirds of the gap.
//! - Disarmed once the deployment promotes, rolls back, pauses (a pause holds the split for an
//!   operator, who may be the one who asked for it) or has not moved traffic yet.

use super::{Phase, Record, Timestamp};
use std::time::Duration;

/// What to do with the switch's schedule after a tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchMove {
    /// Create it, firing at this time.
    Arm {
        fires_at: Timestamp,
    },
    /// Move it to this time (the restoring write stays the one read at arming).
    Push {
        fires_at: Timestamp,
    },
    Disarm,
    Keep,
}

/// The move for `record` at `now`, given when the schedule fires (`None`: not armed).
pub fn decide(
    record: &Record,
    armed: Option<Timestamp>,
    max_gap: Duration,
    now: Timestamp,
) -> SwitchMove {
    let canary_has_traffic = record
        .written
        .is_some_and(|split| split.canary_share().permille() > 0);
    let guards = match &record.phase {
        Phase::Stepping { .. } => canary_has_traffic,
        Phase::Failed { .. } => armed.is_some() || canary_has_traffic,
        Phase::Pending | Phase::Paused { .. } | Phase::Promoted { .. } => false,
        Phase::RolledBack { .. } => false,
    };
    moved(guards, armed, max_gap, now)
}

/// The move for the header lane's own switch, a second schedule that deletes the lane's rule:
/// armed while that rule is open and the deployment is stepping (or has failed, which is when
/// the rule's removal may have failed too), pushed and disarmed as the weights' switch is. A
/// runner that dies with its lane open leaves no rule sending header traffic to the canary
/// for longer than `max_gap`.
pub fn decide_lane(
    record: &Record,
    armed: Option<Timestamp>,
    max_gap: Duration,
    now: Timestamp,
) -> SwitchMove {
    let open = record
        .lane
        .as_ref()
        .is_some_and(|l| matches!(l.state, super::lane::LaneState::Open { .. }));
    let guards = open && matches!(record.phase, Phase::Stepping { .. } | Phase::Failed { .. });
    moved(guards, armed, max_gap, now)
}

/// Arm, push, disarm or keep a schedule that `guards` (or not), armed until `armed`.
fn moved(guards: bool, armed: Option<Timestamp>, max_gap: Duration, now: Timestamp) -> SwitchMove {
    let fires_at = now.plus(max_gap);
    match (guards, armed) {
        (false, Some(_)) => SwitchMove::Disarm,
        (false, None) => SwitchMove::Keep,
        (true, None) => SwitchMove::Arm { fires_at },
        (true, Some(at)) if at.as_millis() - now.as_millis() <= third(max_gap) => {
            SwitchMove::Push { fires_at }
        }
        (true, Some(_)) => SwitchMove::Keep,
    }
}

/// A deployment's switch schedule name: `canary-deploy-<name>`, within Scheduler's 64
/// characters (a long name is cut and keeps a hash of the whole, so two deployments never share
/// one).
pub fn schedule_name(deployment: &str) -> String {
    fitted(deployment, "")
}

/// The name of a deployment's recurring tick schedule (`canary-deploy schedule`):
/// `canary-deploy-<name>.tick`. A deployment name has no `.`, so it is never another
/// deployment's switch.
pub fn tick_schedule_name(deployment: &str) -> String {
    fitted(deployment, ".tick")
}

/// The name of a deployment's header lane switch: `canary-deploy-<name>.lane`.
pub fn lane_schedule_name(deployment: &str) -> String {
    fitted(deployment, ".lane")
}

/// Whether a schedule name is a header lane switch's.
pub fn is_lane_schedule(name: &str) -> bool {
    name.ends_with(".lane")
}

/// `canary-deploy-<deployment><suffix>` in at most 64 characters.
fn fitted(deployment: &str, suffix: &str) -> String {
    let name = format!("canary-deploy-{deployment}{suffix}");
    if name.len() <= 64 {
        return name;
    }
    let head: String = name.chars().take(51 - suffix.len()).collect();
    format!("{head}-{}{suffix}", short_hash(deployment))
}

/// A stable 48-bit FNV-1a hash in hex (core has no crypto; this only keeps long names apart).
fn short_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", hash & 0xffff_ffff_ffff)
}

fn third(gap: Duration) -> i64 {
    i64::try_from(gap.as_millis() / 3).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::Split;

    const GAP: Duration = Duration::from_secs(600);

    fn record(phase: Phase, canary: u32) -> Record {
        let id = PlaybookId {
            name: "p".into(),
            content_hash: "h".into(),
        };
        let mut r = Record::new(id, Timestamp::from_secs(0));
        r.phase = phase;
        r.written = Some(Split::new(1000 - canary.min(999), canary));
        r
    }

    fn stepping(canary: u32) -> Record {
        let since = Timestamp::from_secs(0);
        record(Phase::Stepping { index: 0, since }, canary)
    }

    #[test]
    fn a_canary_with_traffic_is_guarded_and_pushed_only_in_the_last_third() {
        let now = Timestamp::from_secs(1_000);
        let at = |secs| Timestamp::from_secs(secs);
        assert_eq!(
            decide(&stepping(100), None, GAP, now),
            SwitchMove::Arm {
                fires_at: at(1_600)
            }
        );
        assert_eq!(
            decide(&stepping(100), Some(at(1_500)), GAP, now),
            SwitchMove::Keep
        );
        assert_eq!(
            decide(&stepping(100), Some(at(1_200)), GAP, now),
            SwitchMove::Push {
                fires_at: at(1_600)
            }
        );
        // Overdue (the schedule should have fired) is pushed too: the runner is alive.
        assert_eq!(
            decide(&stepping(100), Some(at(900)), GAP, now),
            SwitchMove::Push {
                fires_at: at(1_600)
            }
        );
    }

    #[test]
    fn no_traffic_to_guard_disarms() {
        let now = Timestamp::from_secs(1_000);
        let armed = Some(Timestamp::from_secs(1_500));
        assert_eq!(decide(&stepping(0), armed, GAP, now), SwitchMove::Disarm);
        assert_eq!(decide(&stepping(0), None, GAP, now), SwitchMove::Keep);
        for phase in [
            Phase::Promoted { at: now },
            Phase::RolledBack {
                why: "errors".into(),
                at: now,
            },
            Phase::Paused {
                why: "operator".into(),
                index: Some(0),
            },
            Phase::Pending,
        ] {
            assert_eq!(
                decide(&record(phase, 100), armed, GAP, now),
                SwitchMove::Disarm
            );
        }
    }

    #[test]
    fn schedule_names_fit_and_stay_apart() {
        assert_eq!(schedule_name("checkout"), "canary-deploy-checkout");
        let long = schedule_name(&"x".repeat(64));
        assert_eq!(long.len(), 64);
        assert_ne!(long, schedule_name(&format!("{}y", "x".repeat(63))));
        assert_eq!(
            tick_schedule_name("checkout"),
            "canary-deploy-checkout.tick"
        );
        let long_tick = tick_schedule_name(&"x".repeat(64));
        assert_eq!(long_tick.len(), 64);
        assert!(long_tick.ends_with(".tick"), "{long_tick}");
        assert_ne!(long_tick, long);
    }

    #[test]
    fn the_lane_switch_guards_an_open_lane_while_stepping() {
        use crate::core::lane::{Lane, LaneState};
        let now = Timestamp::from_secs(1_000);
        let with_lane = |phase: Phase, state: LaneState| {
            let mut r = record(phase, 0);
            r.lane = Some(Lane {
                lane: crate::core::plan::HeaderLane {
                    header: "x-canary".into(),
                    value: "1".into(),
                },
                token: "p/1".into(),
                state,
            });
            r
        };
        let open = || LaneState::Open {
            rule: "arn:rule".into(),
            priority: 9,
        };
        let since = Timestamp::from_secs(0);
        let in_lane = Phase::Stepping { index: 0, since };
        assert_eq!(
            decide_lane(&with_lane(in_lane.clone(), open()), None, GAP, now),
            SwitchMove::Arm {
                fires_at: Timestamp::from_secs(1_600)
            },
            "no weight on the canary, but its lane is open"
        );
        let failed = Phase::Failed { why: "x".into() };
        assert!(matches!(
            decide_lane(&with_lane(failed, open()), None, GAP, now),
            SwitchMove::Arm { .. }
        ));
        let armed = Some(Timestamp::from_secs(1_500));
        let closed = LaneState::Closed {
            rule: Some("arn:rule".into()),
            left: None,
        };
        assert_eq!(
            decide_lane(&with_lane(in_lane.clone(), closed), armed, GAP, now),
            SwitchMove::Disarm
        );
        let paused = Phase::Paused {
            why: "operator".into(),
            index: Some(0),
        };
        assert_eq!(
            decide_lane(&with_lane(paused, open()), armed, GAP, now),
            SwitchMove::Disarm
        );
        assert_eq!(decide_lane(&stepping(0), None, GAP, now), SwitchMove::Keep);
        assert_eq!(lane_schedule_name("shop"), "canary-deploy-shop.lane");
        assert!(is_lane_schedule(&lane_schedule_name(&"y".repeat(70))));
        assert!(!is_lane_schedule(&schedule_name("shop")));
    }

    #[test]
    fn a_failed_deployment_keeps_its_switch() {
        let now = Timestamp::from_secs(1_000);
        let failed = record(
            Phase::Failed {
                why: "rollback write failed".into(),
            },
            100,
        );
        let armed = Some(Timestamp::from_secs(1_500));
        assert_eq!(decide(&failed, armed, GAP, now), SwitchMove::Keep);
        assert!(matches!(
            decide(&failed, None, GAP, now),
            SwitchMove::Arm { .. }
        ));
    }
}
