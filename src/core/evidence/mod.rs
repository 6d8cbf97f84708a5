//! The evidence judge: the builtin checks as sequential tests on counts, whose state lives in
//! the record.
//!
//! Why: a fixed threshold on each window's point estimate rolls back a healthy canary whenever
//! one small window is unlucky, and the more windows it looks at the likelier that is. Here
//! each check accumulates counts (requests and the bad ones among them) across windows and
//! steps, and decides only on evidence:
//!
//! - **fail** when an anytime-valid e-value ([`math`]) reaches `m/α`, where `α = 1 -
//!   confidence` is the deployment's false-rollback budget and `m` the number of statistical
//!   checks sharing it. A canary no worse than stable (or than an absolute limit) is then rolled
//!   back with probability at most `α`, however many ticks look and however many steps there are.
//! - **pass** a step when its own counts show the canary below the check's margin (stable + the
//!   allowed delta, or the absolute limit) with evidence `1/α`; a canary *at* the margin passes a
//!   step with probability at most `α`.
//! - otherwise **inconclusive**: the step extends its bake (up to `max_bake`), and says how many
//!   more canary requests it needs.
//!
//! A failure the stable shares (its own rate shown above its pre-deployment baseline, and the
//! canary not shown worse than it) is **shared**: neither rollback nor promotion is right, and
//! the step pauses. At 100 % the stable serves nothing, so the comparisons are judged against
//! the baseline. Custom metrics and alarms are judged per window, as by the threshold judge.
//!
//! Each window is folded in once (the shell judges only periods not judged before), so the
//! state is the complete evidence: `advance`, restarts and resumes continue the same test.

mod checks;
pub mod math;
pub mod text;

use super::judge::{CheckResult, Judgement, Verdict};
use super::observe::Observed;
use super::plan::{Analysis, Check, CheckKind};
use super::types::Share;
use math::{Counts, ShareTest};
use serde::{Deserialize, Serialize};

pub use checks::is_statistical;
pub(crate) use checks::tail;

/// What the evidence judge carries from one window to the next (in the record).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The step the `step_*` counts belong to.
    #[serde(default)]
    pub step: usize,
    /// Whether the baseline was measured (it is measured once, before the first judgement).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baseline_measured: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckEvidence>,
}

/// One statistical check's accumulated evidence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckEvidence {
    pub check: String,
    /// Canary against stable, over the whole deployment (comparison checks).
    #[serde(default, skip_serializing_if = "is_empty_test")]
    pub share: ShareTest,
    /// The canary's counts over the whole deployment.
    #[serde(default)]
    pub canary: Counts,
    /// The stable's counts over the whole deployment.
    #[serde(default)]
    pub stable: Counts,
    /// The canary's counts in the current step.
    #[serde(default)]
    pub step_canary: Counts,
    /// The stable's counts in the current step.
    #[serde(default)]
    pub step_stable: Counts,
    /// The stable's counts before the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Counts>,
    /// A latency comparison's threshold from the stable's percentile before the deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_ms: Option<f64>,
}

fn is_empty_test(test: &ShareTest) -> bool {
    test.log_lr.is_empty()
}

impl Evidence {
    /// The evidence of `check`, created empty on first use.
    fn of(&mut self, check: &str) -> &mut CheckEvidence {
        let at = match self.checks.iter().position(|c| c.check == check) {
            Some(at) => at,
            None => {
                self.checks.push(CheckEvidence {
                    check: check.to_string(),
                    ..CheckEvidence::default()
                });
                self.checks.len() - 1
            }
        };
        &mut self.checks[at]
    }

    /// Starts step `index`: the per-step counts begin again (the deployment's do not).
    fn enter(&mut self, index: usize) {
        if self.step != index {
            self.step = index;
            for check in &mut self.checks {
                check.step_canary = Counts::default();
                check.step_stable = Counts::default();
            }
        }
    }

    /// Records the stable's counts before the first step, from observations of the checks over
    /// a window before it. Checks whose observation has no stable counts keep none.
    pub fn measure_baseline(&mut self, checks: &[Check], observed: &[Observed]) {
        self.baseline_measured = true;
        if checks.len() != observed.len() {
            return;
        }
        for (check, obs) in checks.iter().zip(observed) {
            // A latency comparison without a threshold of its own counts slow requests against
            // the stable's percentile before the deployment.
            if let (
                CheckKind::LatencyVsStable {
                    threshold_ms: None, ..
                },
                Observed::Latency {
                    stable_ms: Some(ms),
                    ..
                },
            ) = (&check.kind, obs)
            {
                if ms.is_finite() && *ms > 0.0 {
                    self.of(&check.name).threshold_ms = Some(*ms);
                }
            }
            if !is_statistical(check) {
                continue;
            }
            if let Some(stable) = checks::stable_counts(obs) {
                if stable.requests > 0.0 {
                    self.of(&check.name).baseline = Some(stable);
                }
            }
        }
    }
}

/// The checks as the evidence judge observes them: each latency check with the threshold it
/// counts slow requests against (`latency`: its `max`; `latency_vs_stable`: its `threshold`,
/// or the stable's percentile before the deployment once measured; until then it is judged
/// per window).
pub fn resolve(checks: &[Check], evidence: &Evidence) -> Vec<Check> {
    checks
        .iter()
        .map(|check| {
            let slower_than_ms = match check.kind {
                CheckKind::Latency { max_ms, .. } => Some(max_ms),
                CheckKind::LatencyVsStable { threshold_ms, .. } => threshold_ms.or_else(|| {
                    evidence
                        .checks
                        .iter()
                        .find(|c| c.check == check.name)
                        .and_then(|c| c.threshold_ms)
                }),
                _ => None,
            };
            Check {
                slower_than_ms,
                ..check.clone()
            }
        })
        .collect()
}

/// The per-check inputs of one window, after the counts were taken.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    /// The e-value that fails a check: `m / α`.
    pub fail_at: f64,
    /// The e-value that shows a canary below a margin: `1 / α`.
    pub pass_at: f64,
}

impl Budget {
    fn new(analysis: &Analysis, statistical: usize) -> Budget {
        let alpha = analysis.alpha();
        Budget {
            fail_at: statistical.max(1) as f64 / alpha,
            pass_at: 1.0 / alpha,
        }
    }
}

/// Judges one window's observations with the accumulated `evidence` of step `index` at canary
/// `share`; the judgement carries the evidence with this window folded in.
pub fn judge(
    checks: &[Check],
    observed: &[Observed],
    analysis: &Analysis,
    evidence: &Evidence,
    index: usize,
    share: Share,
) -> Judgement {
    let mut next = evidence.clone();
    next.enter(index);
    if checks.len() != observed.len() {
        // Nothing can be matched to its check: judge nothing, keep the evidence as it was.
        let mut judgement = super::judge::judge(checks, observed, analysis);
        judgement.evidence = Some(next);
        return judgement;
    }
    let statistical = checks.iter().filter(|c| is_statistical(c)).count();
    let budget = Budget::new(analysis, statistical);
    let results: Vec<CheckResult> = checks
        .iter()
        .zip(observed)
        .map(|(check, obs)| {
            if is_statistical(check) {
                let state = next.of(&check.name);
                checks::judge_check(check, obs, state, budget, analysis, share)
            } else {
                super::judge::judge_one(check, obs, analysis)
            }
        })
        .collect();
    let verdict = overall(&results);
    Judgement {
        verdict,
        results,
        evidence: Some(next),
    }
}

/// The worst outcome wins: fail, then shared failure, then no data, then inconclusive.
fn overall(results: &[CheckResult]) -> Verdict {
    use super::judge::CheckOutcome as O;
    let any = |o: O| results.iter().any(|r| r.outcome == o);
    if any(O::Fail) {
        Verdict::Fail
    } else if any(O::Shared) {
        Verdict::Shared
    } else if any(O::NoData) {
        Verdict::NoData
    } else if any(O::Silent) {
        Verdict::Silent
    } else if any(O::Inconclusive) {
        Verdict::Inconclusive
    } else {
        Verdict::Pass
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
