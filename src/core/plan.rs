//! The validated, typed plan of a deployment: what `playbook/` produces and what core consumes.
//!
//! Everything here has already been checked (ranges, step order, durations), so core can trust
//! it. Resources are still as the user wrote them (ARN or name); `traffic/` resolves names to
//! ARNs once at start.
//!
//! The routes of each backend are in `plan/route.rs`; the `preflight:` policy, which only
//! preflight reads, in `plan/preflight.rs`. Both are re-exported here, so every type stays
//! `core::plan::…`.

mod preflight;
mod route;

mod hooks;
mod lane;
mod notify;
pub use hooks::{Hook, HookCall, HookPoint, Hooks};
pub use lane::HeaderLane;
pub use notify::{Channel, Notification, UrlSource};
pub use preflight::{PreflightKind, PreflightPolicy};
pub use route::{
    AlbRoute, AlbTarget, LambdaAliasRoute, LatticeRef, LatticeRoute, Route, TargetGroupRef,
};

use super::types::Share;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The playbook's `name`: the key of its deployment record.
    pub name: String,
    /// Hex SHA-256 of the playbook file's bytes: a changed playbook is a new revision.
    pub content_hash: String,
    pub route: Route,
    /// Canary shares in the order they are applied. Validation guarantees they increase
    /// strictly and that the last one is 100 %.
    pub steps: Vec<Step>,
    pub analysis: Analysis,
    pub checks: Vec<Check>,
    pub on_failure: OnFailure,
    /// What to do when the canary already has traffic before the first step; `None` refuses to
    /// start (and names both ways on).
    pub start_from: Option<StartFrom>,
    /// What `plan`, `run` and `advance` check before the first step (see `crate::preflight`).
    #[serde(default)]
    pub preflight: PreflightPolicy,
    /// The dead-man's switch, when the playbook has one.
    #[serde(default)]
    pub switch: Option<DeadMansSwitch>,
    /// Who is told of each state change (`notify:`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<Notification>,
    /// What is called around the steps (`hooks:`).
    #[serde(default, skip_serializing_if = "Hooks::is_empty")]
    pub hooks: Hooks,
    /// The header test lane (`steps.header_lane`): when set, `steps[0]` is its step (0 %,
    /// the lane's bake), during which only requests carrying the header reach the canary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<HeaderLane>,
}

/// The dead-man's switch (`switch:`): while the canary has traffic, a one-time EventBridge
/// Scheduler schedule at `max_gap` from the last healthy tick restores the stable split through
/// AWS's own API, so traffic goes back to stable even if every runner is gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadMansSwitch {
    /// The role EventBridge Scheduler assumes to make the restoring write.
    pub role_arn: String,
    /// The schedule group of the switch's schedule.
    pub group: String,
    #[serde(with = "humantime_serde_secs")]
    pub max_gap: Duration,
}

/// How a deployment starts when the canary already receives traffic (say a 60/40 split left by
/// an earlier rollout). Never implied: without one, `run` refuses and shows the live split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartFrom {
    /// Continue from the live canary weight: the first step at or above it is the first step
    /// (no write when the live weight is that step's), the steps below are skipped.
    Live,
    /// Reset to the first step, whatever the live weight is.
    FirstStep,
}

/// One weight step: set the canary to `share`, then bake for `bake` with passing checks, then
/// pass its `gate`, if any, before the next step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub share: Share,
    #[serde(with = "humantime_serde_secs")]
    pub bake: Duration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
}

/// A hold after a step's bake, before the next step (`- gate: approval`, `- gate: 10m` in the
/// playbook). The step's checks go on judging while it holds: a failure still rolls back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Held until an operator's `resume` releases it (or `promote` finishes at once).
    Approval,
    /// Held this much longer than the bake.
    Wait(#[serde(with = "humantime_serde_secs")] Duration),
}

impl Gate {
    /// "approval" or "a 10m wait", for messages.
    pub fn describe(self) -> String {
        match self {
            Gate::Approval => "approval".to_string(),
            Gate::Wait(wait) => format!("a {} wait", humantime::format_duration(wait)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Time between two ticks of `run`.
    #[serde(with = "humantime_serde_secs")]
    pub interval: Duration,
    /// CloudWatch period of every query (1, 5, 10, 30 or a multiple of 60 seconds).
    #[serde(with = "humantime_serde_secs")]
    pub period: Duration,
    /// How far back a check looks, never before the current step started (plus `settle`).
    #[serde(with = "humantime_serde_secs")]
    pub lookback: Duration,
    /// Time after a weight change during which metrics are ignored (weights take a moment to
    /// reach every load balancer node).
    #[serde(with = "humantime_serde_secs")]
    pub settle: Duration,
    /// The newest data left out of every window: CloudWatch's latest minute of load balancer
    /// data is often still incomplete when it is first readable.
    #[serde(with = "humantime_serde_secs")]
    pub ingestion_delay: Duration,
    /// Below this many canary requests in the window a check is "no data".
    pub min_requests: u64,
    pub no_data: NoDataPolicy,
    /// Consecutive failed analyses before `on_failure` is applied (the threshold judge; with
    /// the evidence judge, the checks judged per window: custom metrics and alarms).
    pub failure_threshold: u32,
    /// How the builtin checks are judged.
    #[serde(default)]
    pub method: Method,
    /// The evidence judge's confidence: `1 - confidence` is the chance, per deployment, that a
    /// canary no worse than stable is rolled back (spent across every look and step), and the
    /// chance that a canary at a check's limit passes a step.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// How long a step whose evidence is still inconclusive may extend its bake.
    #[serde(default)]
    pub max_bake: MaxBake,
    /// How long a step may go without data before `no_data` applies; `None`: its `max_bake`.
    #[serde(default, with = "optional_secs")]
    pub no_data_deadline: Option<Duration>,
    /// How far before the first step the stable's own rates are measured (the baseline a shared
    /// failure and the 100 % step are judged against); zero measures none.
    #[serde(default = "default_baseline", with = "humantime_serde_secs")]
    pub baseline: Duration,
}

/// The default [`Analysis::confidence`]: 99 %.
pub const DEFAULT_CONFIDENCE: f64 = 0.99;
/// The default [`Analysis::baseline`]: 30 minutes.
pub const DEFAULT_BASELINE: Duration = Duration::from_secs(30 * 60);

fn default_confidence() -> f64 {
    DEFAULT_CONFIDENCE
}

fn default_baseline() -> Duration {
    DEFAULT_BASELINE
}

/// How the builtin checks (error rates, latency, throttles) are judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Sequential tests on counts, accumulated across windows and steps (`core::evidence`).
    #[default]
    Evidence,
    /// Each window's point estimate against the limit, `failure_threshold` windows in a row.
    Threshold,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Evidence => "evidence",
            Method::Threshold => "threshold",
        }
    }
}

/// The longest a step bakes while its evidence is inconclusive.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum MaxBake {
    /// A multiple of the step's bake (`3x`, the default).
    Factor(f64),
    /// The same ceiling for every step (never shorter than the step's bake).
    Fixed(#[serde(with = "humantime_serde_secs")] Duration),
}

impl Default for MaxBake {
    fn default() -> MaxBake {
        MaxBake::Factor(3.0)
    }
}

impl MaxBake {
    /// The ceiling for a step that bakes `bake`.
    pub fn for_bake(self, bake: Duration) -> Duration {
        match self {
            MaxBake::Factor(f) => Duration::try_from_secs_f64(bake.as_secs_f64() * f.max(1.0))
                .unwrap_or(Duration::MAX),
            MaxBake::Fixed(d) => d.max(bake),
        }
    }
}

impl Analysis {
    /// The evidence judge's total false-rollback budget, `1 - confidence`, kept within (0, 0.5].
    pub fn alpha(&self) -> f64 {
        let alpha = 1.0 - self.confidence;
        if alpha.is_finite() {
            alpha.clamp(1e-9, 0.5)
        } else {
            1.0 - DEFAULT_CONFIDENCE
        }
    }

    /// When a step that went live `bake` ago with no data applies `no_data`.
    pub fn no_data_deadline_for(&self, bake: Duration) -> Duration {
        self.no_data_deadline
            .unwrap_or_else(|| self.max_bake.for_bake(bake))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoDataPolicy {
    /// Neither pass nor fail: the step does not advance until data arrives.
    Hold,
    /// No data counts as a failed analysis.
    Fail,
    /// No data counts as a passed analysis.
    Pass,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnFailure {
    /// Put all traffic back on stable (the default).
    Rollback,
    /// Hold the current weights and wait for an operator.
    Pause,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Unique within the playbook; shown in every verdict.
    pub name: String,
    pub kind: CheckKind,
    /// A latency check's threshold, in milliseconds, above which the evidence judge counts a
    /// request as slow (CloudWatch's trimmed count `TC(X:)`); set by
    /// [`crate::core::evidence::resolve`], never by the playbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slower_than_ms: Option<f64>,
}

impl Plan {
    /// Whether step `index` is the header lane's (the first step, when the plan has a lane).
    pub fn is_lane_step(&self, index: usize) -> bool {
        index == 0 && self.lane.is_some()
    }

    /// "step 2 (10%)", or "the header lane (x-canary: 1)" for the lane's step: how messages
    /// name step `index`.
    pub fn step_name(&self, index: usize) -> String {
        match (&self.lane, self.steps.get(index)) {
            (Some(lane), _) if index == 0 => format!("the header lane ({})", lane.describe()),
            (_, Some(step)) => format!("step {} ({})", index + 1, step.share),
            (_, None) => format!("step {}", index + 1),
        }
    }

    /// The checks that can be judged while the canary has `share` of the traffic. At 100 %
    /// the stable target serves nothing: the evidence judge compares the canary with the
    /// stable's baseline instead; the threshold judge leaves those checks out (they would be
    /// "no data" for ever and hold the last step).
    pub fn checks_at(&self, share: Share) -> Vec<Check> {
        let evidence = self.analysis.method == Method::Evidence;
        self.checks
            .iter()
            .filter(|check| {
                evidence || share < Share::CANARY_ONLY || !check.kind.compares_with_stable()
            })
            .cloned()
            .collect()
    }
}

impl CheckKind {
    /// Whether the check needs the stable target's own traffic.
    pub fn compares_with_stable(&self) -> bool {
        matches!(
            self,
            CheckKind::ErrorRateVsStable { .. } | CheckKind::LatencyVsStable { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckKind {
    /// Canary 5XX count / request count, in percent, at most `max_percent`.
    ErrorRate { max_percent: f64 },
    /// Canary latency percentile (e.g. 99.0) at most `max_ms` milliseconds.
    Latency { percentile: f64, max_ms: f64 },
    /// Canary error rate at most the stable error rate + `max_delta_percent` points.
    ErrorRateVsStable { max_delta_percent: f64 },
    /// Canary latency percentile at most stable's × `max_ratio`. The evidence judge counts the
    /// requests slower than `threshold_ms` on both (the playbook's `threshold`, or, without one,
    /// the stable's own percentile before the deployment).
    LatencyVsStable {
        percentile: f64,
        max_ratio: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold_ms: Option<f64>,
    },
    /// A Lambda alias's throttled requests, in percent of its requests (invocations plus
    /// throttles, both versions together), at most `max_percent`. Validation allows it only on a
    /// `lambda_alias` route.
    Throttles { max_percent: f64 },
    /// A CloudWatch metric compared with a threshold.
    Custom(CustomQuery),
    /// CloudWatch alarms by name: any alarm in ALARM fails the check.
    Alarms { names: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomQuery {
    pub namespace: String,
    pub metric: String,
    pub dimensions: Vec<(String, String)>,
    /// CloudWatch statistic: Sum, Average, Minimum, Maximum, SampleCount or pNN / pNN.NN.
    pub statistic: String,
    /// The check passes when `value <comparison> threshold`.
    pub comparison: Comparison,
    pub threshold: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
}

impl Comparison {
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::LessThan => value < threshold,
            Comparison::LessThanOrEqual => value <= threshold,
            Comparison::GreaterThan => value > threshold,
            Comparison::GreaterThanOrEqual => value >= threshold,
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::LessThan => "<",
            Comparison::LessThanOrEqual => "<=",
            Comparison::GreaterThan => ">",
            Comparison::GreaterThanOrEqual => ">=",
        }
    }
}

/// An optional duration as whole seconds.
mod optional_secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.as_secs()),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_secs))
    }
}

/// Durations are stored as whole seconds in serialized plans and records.
pub(crate) mod humantime_serde_secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_secs(u64::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::step::test_support::{check, share, PlanBuilder};

    #[test]
    fn comparisons_with_stable_are_left_out_only_at_one_hundred_percent() {
        let mut plan = PlanBuilder::standard().build();
        plan.checks = vec![
            check("errors", CheckKind::ErrorRate { max_percent: 1.0 }),
            check(
                "errors-vs-stable",
                CheckKind::ErrorRateVsStable {
                    max_delta_percent: 1.0,
                },
            ),
            check(
                "p99-vs-stable",
                CheckKind::LatencyVsStable {
                    percentile: 99.0,
                    max_ratio: 1.2,
                    threshold_ms: None,
                },
            ),
        ];
        assert_eq!(plan.checks_at(share(500)).len(), 3);
        let at_full: Vec<String> = plan
            .checks_at(Share::CANARY_ONLY)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(at_full, vec!["errors".to_string()]);
    }
}
