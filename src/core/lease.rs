//! The lease on a deployment, as plain data: who may act on it, and until when.
//!
//! A runner (`run`, `advance`) acts on a deployment only while the record carries its lease: an
//! owner (for messages), a token unique to one acquisition (so a holder recognises its own lease)
//! and an expiry (so a runner that died does not block the deployment for ever). This module only
//! answers questions about a lease at a given `now` and edits the record's lease slot; taking a
//! lease safely without a conditional write is the shell's protocol (`orchestrator::lease`).

use super::record::{Lease, Record};
use super::types::Timestamp;
use std::time::Duration;

/// The shortest lease a `run` takes, however short its analysis interval.
pub const MIN_RUN_TTL: Duration = Duration::from_secs(60);
/// The lease an `advance` takes: far longer than one tick, short enough that a job killed
/// mid-tick blocks the next scheduled one only briefly.
pub const ADVANCE_TTL: Duration = Duration::from_secs(5 * 60);

/// How far clocks may disagree between two runners, beyond the longest lease a runner takes.
pub const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// The longest lease any runner of a plan ticking every `interval` takes: a `run`'s or an
/// `advance`'s. A lease running longer than this (plus [`CLOCK_SKEW`]) was written by no runner.
pub fn longest_lease(interval: Duration) -> Duration {
    run_ttl(interval).max(ADVANCE_TTL)
}

/// Whose the lease of a record is, at some moment, from one runner's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder<'a> {
    /// No lease: nobody claimed the deployment, its holder released it, or an operator's
    /// command took it over.
    Nobody,
    /// This runner's lease, not expired.
    Ours,
    /// A lease (this runner's or another's) whose time is up: anyone may claim it.
    Expired(&'a Lease),
    /// Another runner's lease, not expired: do not act.
    Other(&'a Lease),
    /// A lease that runs longer than any runner takes: no runner wrote it (someone edited the
    /// record), so it binds nobody; the shell says so.
    Forged(&'a Lease),
}

impl Holder<'_> {
    /// Whether a runner may claim the lease now.
    pub fn is_free(self) -> bool {
        matches!(
            self,
            Holder::Nobody | Holder::Expired(_) | Holder::Forged(_)
        )
    }
}

/// Who holds `lease` at `now`, for the runner whose token is `token`. A lease is expired from
/// its `until` on, and forged when it runs more than `longest` (see [`longest_lease`]) plus
/// [`CLOCK_SKEW`] past `now`.
pub fn holder<'a>(
    lease: Option<&'a Lease>,
    token: &str,
    now: Timestamp,
    longest: Duration,
) -> Holder<'a> {
    match lease {
        None => Holder::Nobody,
        Some(lease) if now >= lease.until => Holder::Expired(lease),
        Some(lease) if lease.until > now.plus(longest.saturating_add(CLOCK_SKEW)) => {
            Holder::Forged(lease)
        }
        Some(lease) if lease.token == token => Holder::Ours,
        Some(lease) => Holder::Other(lease),
    }
}

/// Whether `lease` was taken with `token` (expired or not).
pub fn is_ours(lease: Option<&Lease>, token: &str) -> bool {
    lease.is_some_and(|lease| lease.token == token)
}

/// Writes a claim into `record`: `owner` holds it with `token` until `now + ttl`. Whether the
/// claim may be made is [`holder`]'s question; whether it won is the shell's.
pub fn claim(record: &mut Record, owner: &str, token: &str, now: Timestamp, ttl: Duration) {
    record.lease = Some(Lease {
        owner: owner.to_string(),
        token: token.to_string(),
        until: now.plus(ttl),
    });
}

/// Extends this runner's lease to `now + ttl`. Returns false (and changes nothing) when the
/// record's lease is not ours.
pub fn renew(record: &mut Record, token: &str, now: Timestamp, ttl: Duration) -> bool {
    match &mut record.lease {
        Some(lease) if lease.token == token => {
            lease.until = now.plus(ttl);
            true
        }
        _ => false,
    }
}

/// Whether this runner's lease must be saved again to stay valid: it is in its last third at
/// `now`. A tick that saves anyway renews it for free; a quiet tick saves only then, so a
/// deployment holding still costs one record write per two ticks at most, not one per tick.
pub fn renewal_due(lease: Option<&Lease>, now: Timestamp, ttl: Duration) -> bool {
    lease.is_none_or(|lease| lease.until.since(now) < ttl / 3)
}

/// Clears this runner's lease. Returns false (and changes nothing) when the lease is not ours:
/// another's lease, or one an operator already took over, is never released by us.
pub fn release(record: &mut Record, token: &str) -> bool {
    if is_ours(record.lease.as_ref(), token) {
        record.lease = None;
        true
    } else {
        false
    }
}

/// The lease of a `run` ticking every `interval`: three intervals, and at least a minute, so a
/// slow tick or two never lets it lapse while the run is alive.
pub fn run_ttl(interval: Duration) -> Duration {
    interval.saturating_mul(3).max(MIN_RUN_TTL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;

    fn record() -> Record {
        let id = PlaybookId {
            name: "checkout".into(),
            content_hash: "abc".into(),
        };
        Record::new(id, Timestamp::from_secs(0))
    }

    fn lease(token: &str, until_secs: i64) -> Lease {
        Lease {
            owner: format!("runner {token}"),
            token: token.into(),
            until: Timestamp::from_secs(until_secs),
        }
    }

    /// The longest lease of the plans in these tests.
    const LONGEST: Duration = ADVANCE_TTL;

    #[allow(non_snake_case)]
    fn T(secs: i64) -> Timestamp {
        Timestamp::from_secs(secs)
    }

    #[test]
    fn a_lease_is_nobodys_ours_anothers_or_expired() {
        let ours = lease("a", 100);
        let other = lease("b", 100);
        assert_eq!(holder(None, "a", T(50), LONGEST), Holder::Nobody);
        assert_eq!(holder(Some(&ours), "a", T(50), LONGEST), Holder::Ours);
        assert_eq!(
            holder(Some(&other), "a", T(50), LONGEST),
            Holder::Other(&other)
        );
        assert_eq!(
            holder(Some(&other), "a", T(100), LONGEST),
            Holder::Expired(&other)
        );
        assert_eq!(
            holder(Some(&ours), "a", T(101), LONGEST),
            Holder::Expired(&ours)
        );
        assert!(holder(None, "a", T(0), LONGEST).is_free());
        assert!(holder(Some(&other), "a", T(100), LONGEST).is_free());
        assert!(!holder(Some(&other), "a", T(99), LONGEST).is_free());
        assert!(!holder(Some(&ours), "a", T(99), LONGEST).is_free());
    }

    #[test]
    fn a_lease_longer_than_any_runner_takes_binds_nobody() {
        let limit = 50 + (ADVANCE_TTL + CLOCK_SKEW).as_secs() as i64;
        let forged = lease("b", 4_102_444_800); // 2100-01-01
        assert_eq!(
            holder(Some(&forged), "a", T(50), LONGEST),
            Holder::Forged(&forged)
        );
        assert!(holder(Some(&forged), "a", T(50), LONGEST).is_free());
        let longest = lease("b", limit);
        assert_eq!(
            holder(Some(&longest), "a", T(50), LONGEST),
            Holder::Other(&longest)
        );
        let beyond = lease("b", limit + 1);
        assert_eq!(
            holder(Some(&beyond), "a", T(50), LONGEST),
            Holder::Forged(&beyond)
        );
        assert_eq!(longest_lease(Duration::from_secs(5)), ADVANCE_TTL);
        assert_eq!(
            longest_lease(Duration::from_secs(3600)),
            Duration::from_secs(3 * 3600)
        );
    }

    #[test]
    fn a_claim_holds_for_its_ttl_and_names_its_owner() {
        let mut rec = record();
        claim(
            &mut rec,
            "advance on ci pid 7",
            "tok",
            T(10),
            Duration::from_secs(300),
        );
        assert_eq!(
            rec.lease,
            Some(Lease {
                owner: "advance on ci pid 7".into(),
                token: "tok".into(),
                until: T(310),
            })
        );
        assert_eq!(
            holder(rec.lease.as_ref(), "tok", T(309), LONGEST),
            Holder::Ours
        );
        assert!(!holder(rec.lease.as_ref(), "other", T(309), LONGEST).is_free());
        assert!(holder(rec.lease.as_ref(), "other", T(310), LONGEST).is_free());
    }

    #[test]
    fn only_the_holder_renews_or_releases() {
        let mut rec = record();
        rec.lease = Some(lease("b", 100));
        let before = rec.clone();
        assert!(!renew(&mut rec, "a", T(90), Duration::from_secs(60)));
        assert!(!release(&mut rec, "a"));
        assert_eq!(rec, before);

        assert!(renew(&mut rec, "b", T(90), Duration::from_secs(60)));
        assert_eq!(rec.lease.as_ref().map(|l| l.until), Some(T(150)));
        assert!(release(&mut rec, "b"));
        assert_eq!(rec.lease, None);
        assert!(!release(&mut rec, "b"), "nothing left to release");
    }

    #[test]
    fn an_expired_lease_of_ours_is_still_ours_to_release() {
        let mut rec = record();
        rec.lease = Some(lease("a", 100));
        assert!(is_ours(rec.lease.as_ref(), "a"));
        assert!(release(&mut rec, "a"));
        assert_eq!(rec.lease, None);
    }

    #[test]
    fn renewal_is_due_in_the_last_third_of_the_ttl() {
        let ttl = Duration::from_secs(60);
        let held = lease("a", 100);
        assert!(!renewal_due(Some(&held), T(80), ttl), "20 s left of 60");
        assert!(!renewal_due(Some(&held), T(60), ttl));
        assert!(renewal_due(Some(&held), T(81), ttl), "19 s left");
        assert!(renewal_due(Some(&held), T(200), ttl), "expired");
        assert!(renewal_due(None, T(0), ttl));
    }

    #[test]
    fn a_run_holds_three_intervals_and_at_least_a_minute() {
        assert_eq!(run_ttl(Duration::from_secs(30)), Duration::from_secs(90));
        assert_eq!(run_ttl(Duration::from_secs(1)), MIN_RUN_TTL);
        assert_eq!(run_ttl(Duration::from_secs(20)), MIN_RUN_TTL);
        assert_eq!(run_ttl(Duration::MAX), Duration::MAX);
    }
}
