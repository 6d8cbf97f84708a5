//! The stepping phase: judge the tick's analysis, apply the failure and no-data policies, and
//! advance once the step has baked with a passing analysis.

use super::super::judge::{CheckOutcome, Judgement, Verdict};
use super::super::plan::{Gate, Method, NoDataPolicy, OnFailure, Plan, Step};
use super::super::record::{CheckCounts, EventKind, Phase, VerdictSummary};
use super::super::types::Timestamp;
use super::{Inputs, Tick, WriteGuard};
use std::time::Duration;

/// What this tick's analysis means for progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// A passing analysis (or "no data" under `no_data: pass`, or no checks at all).
    Pass,
    /// A failed analysis (or "no data" under `no_data: fail`).
    Fail,
    /// "No data" under `no_data: hold`: neither counts nor advances.
    Hold,
    /// No analysis ran this tick: does not advance, does not count.
    NotJudged,
}

impl Tick {
    pub(super) fn stepping(
        &mut self,
        index: usize,
        since: Timestamp,
        inputs: &Inputs,
        plan: &Plan,
    ) {
        let Some(current) = plan.steps.get(index) else {
            self.fail(format!(
                "the deployment record is at step {} but the playbook has {} step(s): the \
                 playbook changed under a running deployment; run `canary-deploy rollback` to put \
                 all traffic on stable, then start the new playbook",
                index + 1,
                plan.steps.len()
            ));
            return;
        };
        let outcome = match &inputs.judgement {
            Some(judgement) => self.analysed(judgement, (index, since), plan),
            None if plan.checks.is_empty() => Outcome::Pass,
            None => Outcome::NotJudged,
        };
        // A failure policy may have rolled back or paused; only a pass moves a baked step on.
        let still_stepping = matches!(self.record.phase, Phase::Stepping { .. });
        if outcome != Outcome::Pass || !still_stepping {
            return;
        }
        // The live split the deployment started from passed its window: now the step.
        if self.record.judging_live {
            self.enter_step(index, current.share);
            return;
        }
        if self.now.since(since) < current.bake || self.gate_holds(index, since, current) {
            return;
        }
        match plan.steps.get(index + 1) {
            Some(next) => self.enter_step(index + 1, next.share),
            None => self.promote(),
        }
    }

    /// Whether step `index`'s gate (if any) still holds it once baked; says so once when it
    /// starts holding, and once when a wait ends.
    fn gate_holds(&mut self, index: usize, since: Timestamp, step: &Step) -> bool {
        let Some(gate) = step.gate else {
            return false;
        };
        let (holds, until, how) = match gate {
            Gate::Approval => (
                !self.record.released_gates.contains(&index),
                None,
                "an operator's `canary-deploy resume` (or `promote` to finish now, `rollback` to \
                 end it)"
                    .to_string(),
            ),
            Gate::Wait(wait) => {
                let until = since.plus(step.bake + wait);
                (
                    self.now < until,
                    Some(until),
                    format!("time, at {}", until.clock()),
                )
            }
        };
        let was_held = self.record.gate_held == Some(index);
        if holds && !was_held {
            self.record.gate_held = Some(index);
            self.changed = true;
            let gate = gate.describe();
            self.emit(EventKind::GateHeld {
                index,
                gate,
                until,
                how,
            });
        }
        if !holds && was_held && matches!(gate, Gate::Wait(_)) {
            self.record.gate_held = None;
            self.emit(EventKind::GateReleased { index });
        }
        holds
    }

    /// Records the judgement and applies the failure and no-data policies.
    fn analysed(
        &mut self,
        judgement: &Judgement,
        (index, since): (usize, Timestamp),
        plan: &Plan,
    ) -> Outcome {
        let details = judgement.details();
        let verdict = judgement.verdict.as_str().to_string();
        if let Some(evidence) = &judgement.evidence {
            self.changed |= self.record.evidence != *evidence;
            self.record.evidence = evidence.clone();
        }
        let evidence = window_counts(judgement);
        // An analysis that repeats the previous verdict is reported but not kept, unless it
        // carries the window's counts: the history stays a list of changes and of evidence.
        let repeated = self
            .record
            .last_verdict
            .as_ref()
            .is_some_and(|last| last.verdict == verdict);
        self.record.last_verdict = Some(VerdictSummary {
            at: self.now,
            verdict: verdict.clone(),
            details: details.clone(),
        });
        let remember = !repeated;
        self.emit_kept_if(
            remember || !evidence.is_empty(),
            EventKind::Analysed {
                verdict,
                details,
                evidence,
            },
        );

        let analysis = &plan.analysis;
        let bake = plan.steps.get(index).map_or(Duration::ZERO, |s| s.bake);
        let elapsed = self.now.since(since);
        let evidence_judge = analysis.method == Method::Evidence;
        let (outcome, why) = match judgement.verdict {
            Verdict::Pass => (Outcome::Pass, String::new()),
            Verdict::Fail => (Outcome::Fail, String::new()),
            Verdict::Shared => {
                let why = format!(
                    "shared failure: {}; the stable is failing too, so putting traffic back on it would \
                     not help: fix the cause, then run `canary-deploy resume` (or `rollback` / \
                     `promote`)",
                    or_unknown(judgement.details_of(CheckOutcome::Shared))
                );
                self.pause(why, Some(index));
                return Outcome::Hold;
            }
            Verdict::Inconclusive => {
                let max_bake = analysis.max_bake.for_bake(bake);
                let what = or_unknown(judgement.details_of(CheckOutcome::Inconclusive));
                if elapsed < max_bake {
                    let why = format!(
                        "insufficient evidence: {what}; the step extends up to max_bake {} \
                         (until {})",
                        show(max_bake),
                        since.plus(max_bake).clock()
                    );
                    self.emit_kept_if(remember, EventKind::Holding { why });
                    return Outcome::Hold;
                }
                let why = format!(
                    "still inconclusive after max_bake {}: {what}",
                    show(max_bake)
                );
                (self.no_data_policy(analysis.no_data), why)
            }
            Verdict::NoData | Verdict::Silent if evidence_judge => {
                let deadline = analysis.no_data_deadline_for(bake);
                let silent = judgement.verdict == Verdict::Silent;
                let what = if silent {
                    or_unknown(judgement.details_of(CheckOutcome::Silent))
                } else {
                    or_unknown(judgement.details_of(CheckOutcome::NoData))
                };
                if elapsed < deadline {
                    let why = format!(
                        "no data: {what}; no_data: {} applies at the deadline {} (until {})",
                        policy_name(analysis.no_data),
                        show(deadline),
                        since.plus(deadline).clock()
                    );
                    self.emit_kept_if(remember, EventKind::Holding { why });
                    return Outcome::Hold;
                }
                if silent {
                    let why = format!(
                        "the metrics have stopped for the stable and the canary alike ({what}) \
                         past no_data_deadline {}: the metrics pipeline is down, not the \
                         canary; check CloudWatch, then run `canary-deploy resume` (or \
                         `rollback`)",
                        show(deadline)
                    );
                    self.pause(why, Some(index));
                    return Outcome::Hold;
                }
                let why = format!("no data past no_data_deadline {}: {what}", show(deadline));
                (self.no_data_policy(analysis.no_data), why)
            }
            // The threshold judge: `no_data` applies to each window at once.
            Verdict::NoData | Verdict::Silent => {
                (self.no_data_policy(analysis.no_data), String::new())
            }
        };
        let failures_before = self.record.consecutive_failures;
        match outcome {
            Outcome::Pass => {
                self.record.consecutive_failures = 0;
                if !why.is_empty() {
                    // `no_data: pass` at the deadline: the step moves on unjudged, and says so.
                    let why = format!("{why}; moved on unjudged (no_data: pass)");
                    self.emit(EventKind::Unjudged { index, why });
                }
            }
            Outcome::Hold => {
                let why = if why.is_empty() {
                    format!(
                        "no data: {}",
                        or_unknown(judgement.details_of(CheckOutcome::NoData))
                    )
                } else {
                    format!("{why}; no_data: hold keeps waiting")
                };
                self.emit_kept_if(remember, EventKind::Holding { why });
            }
            Outcome::Fail => {
                let failures = self.record.consecutive_failures.saturating_add(1);
                self.record.consecutive_failures = failures;
                // Accumulated evidence, or a deadline, has already waited: it applies at once.
                let conclusive = evidence_judge
                    && (judgement.conclusive_failure() || judgement.verdict != Verdict::Fail);
                let threshold = if conclusive {
                    1
                } else {
                    analysis.failure_threshold.max(1)
                };
                if failures >= threshold {
                    let why = if why.is_empty() {
                        failure_reason(judgement, failures, threshold)
                    } else {
                        why
                    };
                    self.apply_failure(why, index, plan);
                }
            }
            Outcome::NotJudged => {}
        }
        // The streak decides the next rollback: a change to it is saved.
        self.changed |= self.record.consecutive_failures != failures_before;
        outcome
    }

    /// What `no_data` makes of a step without the data or evidence it needed.
    fn no_data_policy(&self, policy: NoDataPolicy) -> Outcome {
        match policy {
            NoDataPolicy::Pass => Outcome::Pass,
            NoDataPolicy::Fail => Outcome::Fail,
            NoDataPolicy::Hold => Outcome::Hold,
        }
    }

    /// `on_failure`: roll back, or pause for an operator.
    fn apply_failure(&mut self, why: String, index: usize, plan: &Plan) {
        match plan.on_failure {
            OnFailure::Rollback => {
                let expected = self.record.written.unwrap_or(self.live);
                self.rollback(why, WriteGuard::Expect(expected))
            }
            OnFailure::Pause => self.pause(
                format!("{why}; run `canary-deploy rollback` to put all traffic on stable"),
                Some(index),
            ),
        }
    }

    /// The last step (100 %) has baked: nothing to write, the canary already takes everything.
    pub(super) fn promote(&mut self) {
        self.record.consecutive_failures = 0;
        self.set_phase(Phase::Promoted { at: self.now });
        self.emit(EventKind::Promoted);
    }
}

/// Why the failure policy applied: the failed checks (or the checks without data, when no data
/// counts as a failure), with the streak when more than one failure was needed.
fn failure_reason(judgement: &Judgement, failures: u32, threshold: u32) -> String {
    let checks = match judgement.verdict {
        Verdict::NoData => format!(
            "no data (no_data: fail): {}",
            or_unknown(judgement.details_of(CheckOutcome::NoData))
        ),
        _ => or_unknown(judgement.details_of(CheckOutcome::Fail)),
    };
    if threshold > 1 {
        format!(
            "{failures} failed analyses in a row (failure_threshold {threshold}); last: {checks}"
        )
    } else {
        checks
    }
}

/// The window's counts of each statistical check, for the history.
fn window_counts(judgement: &Judgement) -> Vec<CheckCounts> {
    judgement
        .results
        .iter()
        .filter_map(|r| {
            r.counts.map(|counts| CheckCounts {
                check: r.check.clone(),
                counts,
            })
        })
        .collect()
}

fn policy_name(policy: NoDataPolicy) -> &'static str {
    match policy {
        NoDataPolicy::Hold => "hold",
        NoDataPolicy::Fail => "fail",
        NoDataPolicy::Pass => "pass",
    }
}

/// `90s` → `1m 30s`.
fn show(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

fn or_unknown(details: Vec<String>) -> String {
    if details.is_empty() {
        "no check details".to_string()
    } else {
        details.join("; ")
    }
}
