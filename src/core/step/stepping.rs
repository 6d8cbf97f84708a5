//! The stepping phase: judge the tick's analysis, apply the failure and no-data policies, and
//! advance once the step has baked with a passing analysis.

use super::super::judge::{CheckOutcome, Judgement, Verdict};
use super::super::plan::{NoDataPolicy, OnFailure, Plan};
use super::super::record::{EventKind, Phase, VerdictSummary};
use super::super::types::Timestamp;
use super::{Inputs, Tick, WriteGuard};

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
            Some(judgement) => self.analysed(judgement, index, plan),
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
        if self.now.since(since) < current.bake {
            return;
        }
        match plan.steps.get(index + 1) {
            Some(next) => self.enter_step(index + 1, next.share),
            None => self.promote(),
        }
    }

    /// Records the judgement and applies the failure and no-data policies.
    fn analysed(&mut self, judgement: &Judgement, index: usize, plan: &Plan) -> Outcome {
        let details = judgement.details();
        let verdict = judgement.verdict.as_str().to_string();
        // An analysis that repeats the previous verdict is reported but not kept: the history
        // stays a list of changes, and a long bake does not push the early steps out of it.
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
        self.emit_kept_if(remember, EventKind::Analysed { verdict, details });

        let analysis = &plan.analysis;
        let outcome = match (judgement.verdict, analysis.no_data) {
            (Verdict::Pass, _) | (Verdict::NoData, NoDataPolicy::Pass) => Outcome::Pass,
            (Verdict::Fail, _) | (Verdict::NoData, NoDataPolicy::Fail) => Outcome::Fail,
            (Verdict::NoData, NoDataPolicy::Hold) => Outcome::Hold,
        };
        let failures_before = self.record.consecutive_failures;
        match outcome {
            Outcome::Pass => self.record.consecutive_failures = 0,
            Outcome::Hold => {
                let why = format!(
                    "no data: {}",
                    or_unknown(judgement.details_of(CheckOutcome::NoData))
                );
                self.emit_kept_if(remember, EventKind::Holding { why });
            }
            Outcome::Fail => {
                let failures = self.record.consecutive_failures.saturating_add(1);
                self.record.consecutive_failures = failures;
                let threshold = analysis.failure_threshold.max(1);
                if failures >= threshold {
                    let why = failure_reason(judgement, failures, threshold);
                    match plan.on_failure {
                        OnFailure::Rollback => {
                            let expected = self.record.written.unwrap_or(self.live);
                            self.rollback(why, WriteGuard::Expect(expected))
                        }
                        OnFailure::Pause => self.pause(
                            format!(
                                "{why}; run `canary-deploy rollback` to put all traffic on stable"
                            ),
                            Some(index),
                        ),
                    }
                }
            }
            Outcome::NotJudged => {}
        }
        // The streak decides the next rollback: a change to it is saved.
        self.changed |= self.record.consecutive_failures != failures_before;
        outcome
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

fn or_unknown(details: Vec<String>) -> String {
    if details.is_empty() {
        "no check details".to_string()
    } else {
        details.join("; ")
    }
}
