//! The deployment record: the single source of truth between two ticks.
//!
//! It is plain serde data so any store can keep it (a JSON file today, resource tags later), and
//! it carries a `version` so a newer binary can read a record an older one wrote.

use super::evidence::Evidence;
use super::judge::WindowCounts;
use super::plan::StartFrom;
use super::step::OperatorAction;
use super::types::{Share, Split, Timestamp};
// The resolved route is plain data that core carries for the shell and never looks into.
use crate::traffic::route::ResolvedRoute;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The record format this binary writes (2: the route as [`ResolvedRoute`]; a record of format
/// 1 is read through [`crate::store::format::read_record`]).
pub const RECORD_VERSION: u32 = 2;
/// Events kept in the record; older ones are dropped first.
pub const HISTORY_LIMIT: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    pub playbook: PlaybookId,
    pub phase: Phase,
    /// The raw weights last written and verified: what the live weights must still be.
    pub written: Option<Split>,
    /// A write that was decided and may or may not have reached AWS (saved before writing, so a
    /// kill between the write and the save is recognised on restart instead of seen as drift).
    pub in_flight: Option<Split>,
    /// The stepping phase's step is not written yet: the deployment started from a live split
    /// below it (`start_from: live`), which is judged over one complete window first, and the
    /// step's weights are written only once that passes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub judging_live: bool,
    /// The end of the newest CloudWatch period already judged: a tick whose window ends no
    /// later judges nothing, so each period counts once however often ticks look (with an
    /// interval shorter than the period, two ticks would otherwise judge the same window and
    /// `failure_threshold: 2` would act like 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judged_through: Option<Timestamp>,
    /// The evidence judge's accumulated counts and tests (`analysis.method: evidence`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub evidence: Evidence,
    /// Failed analyses in a row; reset by a passing one.
    pub consecutive_failures: u32,
    /// The most recent analysis, for `status`.
    pub last_verdict: Option<VerdictSummary>,
    pub history: VecDeque<Event>,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped on every save; a store refuses to overwrite a newer revision.
    pub revision: u64,
    /// The resolved route, so the on-call commands work with only the resource's ARN (no
    /// playbook): which target group (or version) is stable and which is the canary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<ResolvedRoute>,
    /// The schedule group of the deployment's dead-man's switch, when its playbook has one, so
    /// that an on-call command with only the resource's ARN disarms it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_group: Option<String>,
    /// The runner acting on this deployment, and until when; others do not act meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<Lease>,
    /// The step whose gate holds the deployment now (its `gate_held` event is said once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate_held: Option<usize>,
    /// The steps whose approval gate an operator's `resume` released.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub released_gates: Vec<usize>,
    /// The header test lane's rule, once its creation was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<super::lane::Lane>,
}

/// A time-bound claim to act on a deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// Who holds it, for messages: e.g. "run on host-1 (pid 4242)", or an operator's identity.
    pub owner: String,
    /// Unique per acquisition, so a holder recognises its own lease.
    pub token: String,
    /// The lease is free again after this.
    pub until: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookId {
    pub name: String,
    pub content_hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase")]
pub enum Phase {
    /// Created, nothing written yet.
    Pending,
    /// Step `index` of the plan is live since `since`, and baking.
    Stepping {
        index: usize,
        since: Timestamp,
    },
    /// Holding the current weights until an operator acts. `index` is the step that was live.
    Paused {
        why: String,
        index: Option<usize>,
    },
    Promoted {
        at: Timestamp,
    },
    RolledBack {
        why: String,
        at: Timestamp,
    },
    /// Something went wrong that the tool could not put right (e.g. a rollback write failed).
    Failed {
        why: String,
    },
}

impl Phase {
    /// Promoted, rolled back or failed: no tick changes it any more (only an operator can).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Phase::Promoted { .. } | Phase::RolledBack { .. } | Phase::Failed { .. }
        )
    }
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Pending => "pending",
            Phase::Stepping { .. } => "stepping",
            Phase::Paused { .. } => "paused",
            Phase::Promoted { .. } => "promoted",
            Phase::RolledBack { .. } => "rolled_back",
            Phase::Failed { .. } => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerdictSummary {
    pub at: Timestamp,
    pub verdict: String,
    pub details: Vec<String>,
}

/// Something that happened, for the record's history and for the reporters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum EventKind {
    Started {
        steps: usize,
    },
    /// The canary already had traffic at the start, and the plan's `start_from` said how to go
    /// on: continue from the live weight (`adopted` when it already was a step's) or reset.
    ExistingSplit {
        live: Split,
        start_from: StartFrom,
    },
    StepStarted {
        index: usize,
        share: Share,
    },
    WeightsVerified {
        split: Split,
    },
    Analysed {
        verdict: String,
        details: Vec<String>,
        /// The window's counts per statistical check (the evidence judge), so the history shows
        /// the evidence behind each decision.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evidence: Vec<CheckCounts>,
    },
    /// A step moved on without the evidence it needed (`no_data: pass` at its deadline): the
    /// step was not judged, and every view says so.
    Unjudged {
        index: usize,
        why: String,
    },
    Holding {
        why: String,
    },
    /// Step `index` has baked and its gate holds it: `gate` says which ("approval", "a 10m
    /// wait"), `until` when a wait ends, `how` what releases it.
    GateHeld {
        index: usize,
        gate: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Timestamp>,
        how: String,
    },
    /// The gate of step `index` is released (an operator's `resume`, or its wait is over): the
    /// next tick moves on.
    GateReleased {
        index: usize,
    },
    /// A hook at `point` (`pre_step`, `post_step`, `before_promote`, `after_rollback`) about step
    /// `index` passed.
    HookPassed {
        point: String,
        hook: String,
        index: usize,
    },
    /// A hook failed: before a write, as a failed check (the write is not made); after a
    /// rollback, a warning.
    HookFailed {
        point: String,
        hook: String,
        index: usize,
        why: String,
    },
    /// A notification of a state change could not be delivered to `channel` (never its URL):
    /// a warning, the rollout goes on.
    NotifyFailed {
        channel: String,
        why: String,
    },
    /// The header lane's rule `rule` at `priority` now forwards requests with `header: value`
    /// to the canary.
    LaneOpened {
        rule: String,
        priority: u32,
        header: String,
        value: String,
    },
    /// The header lane's rule is removed (or was already gone).
    LaneClosed {
        rule: String,
    },
    /// The rule at `rule` no longer carries this deployment's tag: someone else's now, left
    /// alone (a warning).
    LaneLeft {
        rule: String,
        why: String,
    },
    DriftDetected {
        expected: Split,
        live: Split,
    },
    Paused {
        why: String,
    },
    Promoted,
    RolledBack {
        why: String,
    },
    /// Written by canary-deploy 0.1 before the other operator commands existed; read, never
    /// written (see [`EventKind::Operator`]).
    OperatorRollback {
        reason: String,
    },
    /// An operator's command, who gave it (when known) and why.
    Operator {
        action: OperatorAction,
        reason: String,
        by: Option<String>,
    },
    Failed {
        why: String,
    },
    /// CloudWatch could not be read this tick: the analysis is skipped, nothing advances.
    MetricsUnavailable {
        why: String,
    },
    /// A new deployment of the same playbook revision after the last one ended (`restart`): how
    /// that one ended, who restarted it (when known) and why.
    Restarted {
        previous: String,
        reason: String,
        by: Option<String>,
    },
    /// The dead-man's switch is armed: the schedule puts all traffic back on stable at
    /// `fires_at` unless a tick pushes it forward first.
    SwitchArmed {
        schedule: String,
        fires_at: Timestamp,
    },
    /// The dead-man's switch is disarmed (promoted, rolled back, paused).
    SwitchDisarmed {
        schedule: String,
    },
    /// The dead-man's switch could not be armed, pushed or disarmed (the deployment goes on).
    SwitchUnavailable {
        why: String,
    },
}

/// One check's counts in one judged window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckCounts {
    pub check: String,
    #[serde(flatten)]
    pub counts: WindowCounts,
}

fn is_default(evidence: &Evidence) -> bool {
    *evidence == Evidence::default()
}

impl Record {
    pub fn new(playbook: PlaybookId, now: Timestamp) -> Record {
        Record {
            version: RECORD_VERSION,
            playbook,
            phase: Phase::Pending,
            written: None,
            in_flight: None,
            judging_live: false,
            judged_through: None,
            evidence: Evidence::default(),
            consecutive_failures: 0,
            last_verdict: None,
            history: VecDeque::new(),
            started_at: now,
            updated_at: now,
            revision: 0,
            route: None,
            switch_group: None,
            lease: None,
            gate_held: None,
            released_gates: Vec::new(),
            lane: None,
        }
    }

    /// Appends to the bounded history.
    pub fn remember(&mut self, event: Event) {
        if self.history.len() >= HISTORY_LIMIT {
            self.history.pop_front();
        }
        self.history.push_back(event);
    }
}
