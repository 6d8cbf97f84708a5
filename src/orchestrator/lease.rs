//! Taking a deployment's lease without a conditional write.
//!
//! Neither store can write "only if unchanged" (AWS resource tags have no conditional write), so
//! a runner takes the lease with a timed mutual-exclusion protocol, after Fischer:
//!
//! 1. Load the record. If another runner's lease is on it and has not expired at `now`, do not
//!    act: [`OrchestratorError::Busy`] names the holder and until when.
//! 2. Otherwise write our claim (owner, a fresh random token, until `now + ttl`) and save it, but
//!    only if the save starts within `settle/2` of the load's answer (measured with `Instant`).
//!    A slower start, or a save the store refuses because a newer revision appeared, means
//!    another runner is at it too: start over once, then give up ([`OrchestratorError::LeaseLost`]).
//! 3. Wait `settle` after the save returned, load again, and act only if the stored lease carries
//!    our token. Another token there means a later claim overwrote ours: its holder acts.
//!
//! A new deployment (no record yet) is claimed the same way: the claim creates the pending record.
//! Nothing to do (a deployment that ended or is paused, with no write in flight) takes no lease.
//!
//! # The timing assumption
//! Saves are last-writer-wins, and each store's save reads the stored revision and refuses a newer
//! one before it writes. On top of that the protocol assumes one bound: **a save is visible to
//! every reader within `settle/2` of being sent**, less the time a save takes between its own read
//! and its write (one round trip): exactly, `2 × visibility + read-to-write gap < settle`.
//! Why it is enough: say B's claim landed after A's and both found their own token. B's save read
//! the revision before A's claim was visible, so B's write was sent less than `visibility + gap`
//! after A's; A's second load is sent `settle` after its save returned, so more than
//! `visibility` after B's write, and it shows B's token: A does not act. The same argument shows
//! that once a runner has confirmed its claim, no later claim lands while its lease runs. The
//! `settle/2` window of step 2 is the same guard for a store whose save would not read first
//! (which then needs `2 × visibility + settle/2 + gap < settle`, visibility under `settle/4`).
//!
//! Against AWS the default settle is 2 s. AWS gives no bound on how soon a tag change is visible
//! to every reader; the default assumes well under a second. A store that lags more can let two
//! runners act at once; even then every save still refuses a newer revision, so neither silently
//! undoes the other's work: the slower one stops on the conflict. Expiry is judged on each
//! runner's own clock, so runners' clocks must agree to well within a lease's ttl (a minute or
//! more).
//!
//! # A holder that is gone
//! A killed runner's lease lapses at its expiry (a run's: three analysis intervals, at least a
//! minute; an advance's: five minutes). A holder that was a process of this very machine (same
//! boot, same pid namespace) that no longer runs, e.g. a `run` killed with SIGKILL and started
//! again, is not waited for: the token carries that identity, and such a lease counts as free
//! (the takeover still goes through the protocol above).

use super::{Deployment, OrchestratorError};
use crate::core::lease::{self, Holder};
use crate::core::record::Lease;
use crate::core::{Phase, Record, Timestamp};
use crate::metrics::MetricSource;
use crate::store::{Store, StoreError};
use crate::traffic::Router;
use std::time::{Duration, Instant};

pub mod owner;
mod token;
pub(crate) use token::random_hex;

/// How long a claim waits before checking that it won, against AWS.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(2);
/// Claims spoiled by a slow store or a concurrent save before the runner gives up.
const CLAIM_ATTEMPTS: usize = 2;

/// Who claims the lease, for how long, and the protocol's settle time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseTerms {
    /// For messages: "advance on ci-7 pid 4242 (github run 123/1)".
    pub owner: String,
    /// Unique to this runner: it recognises its own lease by it.
    pub token: String,
    pub ttl: Duration,
    pub settle: Duration,
}

impl LeaseTerms {
    /// Terms with a fresh random token.
    pub fn new(owner: impl Into<String>, ttl: Duration, settle: Duration) -> LeaseTerms {
        LeaseTerms {
            owner: owner.into(),
            token: token::fresh(),
            ttl,
            settle,
        }
    }
}

/// What taking the lease found.
pub(super) enum Acquired {
    /// The lease is ours: the record as stored, carrying it.
    Held(Record),
    /// Nothing to do: the record as it was, and no lease taken.
    Idle(Record),
}

/// What one claim came to.
enum Claim {
    Won(Record),
    /// A later claim overwrote ours, or the record changed hands meanwhile: the record now.
    Lost(Record),
    /// Too slow, or a concurrent save: worth one more try.
    Spoiled(String),
}

/// A deployment no tick would change on its own: ended or paused, no write in flight.
pub(super) fn is_idle(record: &Record) -> bool {
    let resting = record.phase.is_terminal() || matches!(record.phase, Phase::Paused { .. });
    resting && record.in_flight.is_none()
}

/// Why a runner whose token is `token` may not act on `record` at `now`.
pub(super) fn not_ours(
    record: &Record,
    token: &str,
    now: Timestamp,
    longest: Duration,
) -> OrchestratorError {
    match lease::holder(record.lease.as_ref(), token, now, longest) {
        Holder::Other(lease) => OrchestratorError::Busy {
            owner: lease.owner.clone(),
            until: lease.until,
        },
        Holder::Expired(lease) => OrchestratorError::LeaseLost(format!(
            "{} claimed it meanwhile (until {})",
            lease.owner,
            lease.until.rfc3339()
        )),
        Holder::Nobody | Holder::Ours | Holder::Forged(_) => OrchestratorError::LeaseLost(
            "an operator's command took the deployment over, or another runner released it"
                .to_string(),
        ),
    }
}

/// Whether a lease may be claimed at `now`: nobody's, expired, ours already, or left by a
/// process that is gone.
fn claimable(lease: Option<&Lease>, token: &str, now: Timestamp, longest: Duration) -> bool {
    match lease::holder(lease, token, now, longest) {
        Holder::Ours => true,
        Holder::Forged(lease) => {
            tracing::warn!(
                "ignoring the lease of {} until {}: it runs longer than any runner takes ({}), \
                 so no runner wrote it; taking the deployment over",
                crate::text::line(&lease.owner),
                lease.until.rfc3339(),
                humantime::format_duration(longest)
            );
            true
        }
        Holder::Other(lease) if token::holder_is_gone(&lease.token) => {
            tracing::info!("{} no longer runs: taking its lease over", lease.owner);
            true
        }
        holder => holder.is_free(),
    }
}

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// The longest lease a runner of this plan takes: anything longer was written by no runner.
    pub(super) fn longest_lease(&self) -> Duration {
        lease::longest_lease(self.plan.analysis.interval)
    }

    /// Takes the deployment's lease at `now` (see the module documentation), or says who holds
    /// it. A pending deployment whose canary already has traffic is refused before anything is
    /// saved, as the tick would refuse it.
    pub(super) async fn acquire(
        &self,
        now: Timestamp,
        terms: &LeaseTerms,
    ) -> Result<Acquired, OrchestratorError> {
        let mut start_checked = false;
        let mut spoiled = 0;
        loop {
            let record = self.load_or_start(now, false).await?;
            let answered = Instant::now();
            if is_idle(&record) {
                return Ok(Acquired::Idle(record));
            }
            if !claimable(
                record.lease.as_ref(),
                &terms.token,
                now,
                self.longest_lease(),
            ) {
                return Err(not_ours(&record, &terms.token, now, self.longest_lease()));
            }
            if record.phase == Phase::Pending && !start_checked {
                // Reading the live weights takes time: claim on a fresh load afterwards.
                let live = self.router.read().await?;
                self.check_start(live, true).await?;
                start_checked = true;
                continue;
            }
            match self.claim(record, answered, now, terms).await? {
                Claim::Won(record) => return Ok(Acquired::Held(record)),
                Claim::Lost(record) if is_idle(&record) => return Ok(Acquired::Idle(record)),
                Claim::Lost(record) => {
                    return Err(not_ours(&record, &terms.token, now, self.longest_lease()))
                }
                Claim::Spoiled(why) if spoiled + 1 < CLAIM_ATTEMPTS => {
                    tracing::debug!("claim spoiled, trying once more: {why}");
                    spoiled += 1;
                }
                Claim::Spoiled(why) => return Err(OrchestratorError::LeaseLost(why)),
            }
        }
    }

    /// Steps 2 and 3 of the protocol on `record`, loaded and found claimable at `answered`.
    async fn claim(
        &self,
        mut record: Record,
        answered: Instant,
        now: Timestamp,
        terms: &LeaseTerms,
    ) -> Result<Claim, OrchestratorError> {
        record.route = Some(self.router.route());
        lease::claim(&mut record, &terms.owner, &terms.token, now, terms.ttl);
        let waited = answered.elapsed();
        if waited > terms.settle / 2 {
            return Ok(Claim::Spoiled(format!(
                "the record was {} ms old when this runner could claim it (at most {} ms are \
                 safe); try again",
                waited.as_millis(),
                (terms.settle / 2).as_millis()
            )));
        }
        match self.store.save(&mut record).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Claim::Spoiled(
                    "another runner saved the record while this one claimed it".to_string(),
                ))
            }
            Err(error) => return Err(error.into()),
        }
        tracing::debug!(
            revision = record.revision,
            "lease claimed; confirming after settle"
        );
        // Real time, whatever clock the caller runs on: the bound is about the store.
        tokio::time::sleep(terms.settle).await;
        match self.store.load(&self.plan.name).await? {
            Some(stored) if lease::is_ours(stored.lease.as_ref(), &terms.token) => {
                Ok(Claim::Won(stored))
            }
            Some(stored) => {
                tracing::debug!("a later claim overwrote this runner's");
                Ok(Claim::Lost(stored))
            }
            None => Ok(Claim::Spoiled(
                "the record disappeared while this runner claimed it".to_string(),
            )),
        }
    }

    /// After a leased tick's save found a newer record: who acted meanwhile. A deployment that
    /// now rests (an operator paused or promoted it) is returned as it is; another runner's
    /// lease, or none, stops this runner; a newer record still carrying our lease stays the
    /// conflict it is.
    pub(super) async fn after_conflict(
        &self,
        conflict: OrchestratorError,
        now: Timestamp,
        terms: &LeaseTerms,
    ) -> Result<Record, OrchestratorError> {
        let Some(record) = self.store.load(&self.plan.name).await? else {
            return Err(conflict);
        };
        if lease::is_ours(record.lease.as_ref(), &terms.token) {
            return Err(conflict);
        }
        if is_idle(&record) {
            return Ok(record);
        }
        Err(not_ours(&record, &terms.token, now, self.longest_lease()))
    }

    /// Clears this runner's lease in the stored record, if it still holds it (an operator's
    /// command or another runner may have taken it meanwhile: then nothing is written). Returns
    /// the record as stored afterwards.
    pub async fn release_lease(
        &self,
        terms: &LeaseTerms,
    ) -> Result<Option<Record>, OrchestratorError> {
        let mut attempt = 1;
        loop {
            let Some(mut record) = self.store.load(&self.plan.name).await? else {
                return Ok(None);
            };
            if !lease::release(&mut record, &terms.token) {
                return Ok(Some(record));
            }
            match self.store.save(&mut record).await {
                Ok(()) => return Ok(Some(record)),
                Err(StoreError::Conflict { .. }) if attempt < CLAIM_ATTEMPTS => attempt += 1,
                Err(error) => return Err(error.into()),
            }
        }
    }
}
