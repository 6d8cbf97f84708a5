//! Builders shared by core's unit tests: plans, checks, judgements, records and inputs.

use crate::core::judge::{CheckOutcome, CheckResult, Judgement, Verdict};
use crate::core::plan::{
    AlbRoute, AlbTarget, Analysis, Check, CheckKind, MaxBake, Method, NoDataPolicy, OnFailure,
    Plan, Route, StartFrom, Step, TargetGroupRef,
};
use crate::core::record::{Event, EventKind, Phase, PlaybookId, Record};
use crate::core::step::{step, Action, Inputs, OperatorCommand, WriteGuard};
use crate::core::types::{Share, Split, Timestamp};
use std::time::Duration;

pub fn share(permille: u16) -> Share {
    Share::from_permille(permille).unwrap()
}

pub fn secs(s: i64) -> Timestamp {
    Timestamp::from_secs(s)
}

pub fn mins(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

pub fn analysis() -> Analysis {
    Analysis {
        interval: Duration::from_secs(60),
        period: Duration::from_secs(60),
        lookback: mins(5),
        settle: Duration::from_secs(30),
        ingestion_delay: Duration::ZERO,
        min_requests: 100,
        no_data: NoDataPolicy::Hold,
        failure_threshold: 1,
        // Core's step tests pin the threshold judge; the evidence judge's have `.evidence()`.
        method: Method::Threshold,
        confidence: 0.99,
        max_bake: MaxBake::default(),
        no_data_deadline: None,
        baseline: mins(30),
    }
}

pub fn check(name: &str, kind: CheckKind) -> Check {
    Check {
        name: name.to_string(),
        kind,
        slower_than_ms: None,
    }
}

/// A plan with the given (per-mille share, bake minutes) steps and one error-rate check.
pub struct PlanBuilder(Plan);

impl PlanBuilder {
    pub fn new(steps: &[(u16, u64)]) -> PlanBuilder {
        PlanBuilder(Plan {
            name: "checkout".to_string(),
            content_hash: "abc123".to_string(),
            route: Route::Alb(AlbRoute {
                target: AlbTarget::ListenerArn(
                    crate::arn::OwnedArn::parse(
                        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2",
                    )
                    .expect("an ARN"),
                ),
                stable: TargetGroupRef::Name("stable".to_string()),
                canary: TargetGroupRef::Name("canary".to_string()),
            }),
            steps: steps
                .iter()
                .map(|&(permille, bake)| Step {
                    share: share(permille),
                    bake: mins(bake),
                    gate: None,
                })
                .collect(),
            analysis: analysis(),
            checks: vec![check("errors", CheckKind::ErrorRate { max_percent: 1.0 })],
            on_failure: OnFailure::Rollback,
            start_from: None,
            preflight: Default::default(),
            switch: None,
            notify: Vec::new(),
            hooks: Default::default(),
            lane: None,
        })
    }
    /// 5 % → 25 % → 50 % → 100 %, baking 10, 10, 10 and 0 minutes.
    pub fn standard() -> PlanBuilder {
        PlanBuilder::new(&[(50, 10), (250, 10), (500, 10), (1000, 0)])
    }
    /// The evidence judge, with these checks.
    pub fn evidence(mut self, checks: Vec<Check>) -> Self {
        self.0.analysis.method = Method::Evidence;
        self.0.checks = checks;
        self
    }
    pub fn threshold(mut self, n: u32) -> Self {
        self.0.analysis.failure_threshold = n;
        self
    }
    pub fn no_data(mut self, policy: NoDataPolicy) -> Self {
        self.0.analysis.no_data = policy;
        self
    }
    pub fn on_failure(mut self, on_failure: OnFailure) -> Self {
        self.0.on_failure = on_failure;
        self
    }
    pub fn start_from(mut self, start_from: StartFrom) -> Self {
        self.0.start_from = Some(start_from);
        self
    }
    /// Step `index` holds at `gate` once baked.
    pub fn gate(mut self, index: usize, gate: crate::core::plan::Gate) -> Self {
        self.0.steps[index].gate = Some(gate);
        self
    }
    pub fn no_checks(mut self) -> Self {
        self.0.checks.clear();
        self
    }
    pub fn build(self) -> Plan {
        self.0
    }
}

pub fn record(now: Timestamp) -> Record {
    Record::new(
        PlaybookId {
            name: "checkout".to_string(),
            content_hash: "abc123".to_string(),
        },
        now,
    )
}

pub fn judgement(verdict: Verdict) -> Judgement {
    let (outcome, detail) = match verdict {
        Verdict::Pass => (CheckOutcome::Pass, "canary 5XX rate 0.10% <= max 1.00%"),
        Verdict::Fail => (CheckOutcome::Fail, "canary 5XX rate 5.20% > max 1.00%"),
        Verdict::NoData => (CheckOutcome::NoData, "canary served 3 requests"),
        Verdict::Inconclusive => (CheckOutcome::Inconclusive, "inconclusive"),
        Verdict::Shared => (CheckOutcome::Shared, "stable and canary both above"),
        Verdict::Silent => (CheckOutcome::Silent, "the metrics have stopped"),
    };
    Judgement {
        verdict,
        results: vec![CheckResult {
            check: "errors".to_string(),
            outcome,
            detail: detail.to_string(),
            counts: None,
        }],
        evidence: None,
    }
}

/// The raw split a backend would write for a share (per-mille as weights out of 1000).
pub fn split_for(share: Share) -> Split {
    Split::new(
        1000 - u32::from(share.permille()),
        u32::from(share.permille()),
    )
}

pub fn inputs(live: Split, judgement: Option<Judgement>) -> Inputs {
    Inputs {
        live,
        judgement,
        operator: None,
    }
}

pub fn operator(live: Split, reason: &str) -> Inputs {
    Inputs {
        live,
        judgement: None,
        operator: Some(OperatorCommand::rollback(reason)),
    }
}

/// Plays the shell: performs `SetWeights` on `live` and `written`, as a verified write would.
pub struct Shell {
    pub record: Record,
    pub live: Split,
    pub actions: Vec<Action>,
}

impl Shell {
    pub fn new(record: Record) -> Shell {
        Shell {
            record,
            live: Split::new(1000, 0),
            actions: Vec::new(),
        }
    }
    pub fn tick(&mut self, judgement: Option<Judgement>, plan: &Plan, now: Timestamp) -> &[Action] {
        let (mut record, actions) = step(
            self.record.clone(),
            &inputs(self.live, judgement),
            plan,
            now,
        );
        for action in &actions {
            if let Action::SetWeights { share, .. } = action {
                self.live = split_for(*share);
                record.written = Some(self.live);
            }
        }
        self.record = record;
        self.actions = actions;
        &self.actions
    }
}

/// The events among the actions, in order.
pub fn events(actions: &[Action]) -> Vec<EventKind> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(e) => Some(e.kind.clone()),
            _ => None,
        })
        .collect()
}

/// The shares written among the actions, in order.
pub fn writes(actions: &[Action]) -> Vec<Share> {
    set_weights(actions).map(|(share, _)| share).collect()
}

/// The guard of each write among the actions, in order.
pub fn guards(actions: &[Action]) -> Vec<WriteGuard> {
    set_weights(actions).map(|(_, guard)| guard).collect()
}

fn set_weights(actions: &[Action]) -> impl Iterator<Item = (Share, WriteGuard)> + '_ {
    actions.iter().filter_map(|a| match a {
        Action::SetWeights { share, guard } => Some((*share, *guard)),
        _ => None,
    })
}

/// A record on step `index` since `since`, with `written` as the verified weights.
pub fn stepping_record(index: usize, since: Timestamp, written: Split) -> Record {
    let mut r = record(secs(0));
    r.phase = Phase::Stepping { index, since };
    r.written = Some(written);
    r
}

/// The `Emit` action of an event.
pub fn emitted(kind: EventKind, at: Timestamp) -> Action {
    Action::Emit(Event { at, kind })
}
