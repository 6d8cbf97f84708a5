//! The playbook's hooks in a tick. Core decides a tick's actions without IO; before they are
//! performed, [`due`] reads from the record before and after which hook points the tick
//! crosses (a step entered: `pre_step`, and `before_promote` when it is the 100 % step; a step
//! left after its bake: `post_step`), and the hooks there are called. When one fails, core
//! decides the tick again with that failure as the tick's judgement (a failed check: the
//! playbook's `failure_threshold` and `on_failure` apply), so nothing it would have written
//! is written; a failure core would not stop on (before the first step, when no judgement
//! holds a deployment back) holds the tick: nothing written, the hook called again next tick.
//! After a rollback is written, `after_rollback` hooks are called, and a failure
//! is only reported.

use super::Deployment;
use crate::core::judge::{CheckOutcome, CheckResult, Judgement, Verdict};
use crate::core::plan::{HookPoint, Plan};
use crate::core::{Action, Event, EventKind, Inputs, Phase, Record, Timestamp};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::Router;

/// The hook points a tick crosses from `before` to `after` (with `actions` to perform), each
/// with the step it is about, in the order they run.
pub fn due(
    before: &Record,
    after: &Record,
    actions: &[Action],
    plan: &Plan,
) -> Vec<(HookPoint, usize)> {
    let writes = actions
        .iter()
        .any(|a| matches!(a, Action::SetWeights { .. }));
    let last = plan.steps.len().saturating_sub(1);
    let entered = |index: usize| {
        let mut points = vec![(HookPoint::PreStep, index)];
        if index == last {
            points.push((HookPoint::BeforePromote, index));
        }
        points
    };
    match (&before.phase, &after.phase) {
        (Phase::Pending, Phase::Stepping { index, .. }) if writes => entered(*index),
        (Phase::Stepping { index: from, .. }, Phase::Stepping { index: to, .. }) if to > from => {
            let mut points = vec![(HookPoint::PostStep, *from)];
            points.extend(entered(*to));
            points
        }
        // The live split judged first (`start_from: live`) moves on to its own step.
        (Phase::Stepping { index: from, .. }, Phase::Stepping { index: to, .. })
            if to == from && writes && before.judging_live =>
        {
            entered(*to)
        }
        (Phase::Stepping { index, .. }, Phase::Promoted { .. }) => {
            vec![(HookPoint::PostStep, *index)]
        }
        _ => Vec::new(),
    }
}

/// The judgement of a tick whose hook failed: one failed check naming the hook.
fn failed(point: HookPoint, hook: &str, why: &str) -> Judgement {
    Judgement {
        verdict: Verdict::Fail,
        results: vec![CheckResult {
            check: format!("{} hook {hook}", point.as_str()),
            outcome: CheckOutcome::Fail,
            detail: why.to_string(),
            counts: None,
        }],
        evidence: None,
    }
}

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Core's decision for a tick on `analysed`, with the hooks it crosses called first: the
    /// decision as it was when they pass, or the decision on their failure.
    pub(super) async fn decide_with_hooks(
        &self,
        analysed: Record,
        inputs: Inputs,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> (Record, Vec<Action>) {
        let (after, actions) = crate::core::step(analysed.clone(), &inputs, &self.plan, now);
        let Some(runner) = &self.hooks else {
            return (after, actions);
        };
        for (point, index) in due(&analysed, &after, &actions, &self.plan) {
            let payload = crate::hook::payload(point, index, &after);
            for hook in self.plan.hooks.at(point) {
                let shown = hook.shown();
                match runner.call(hook, &payload).await {
                    Ok(()) => emit(
                        sink,
                        now,
                        EventKind::HookPassed {
                            point: point.as_str().to_string(),
                            hook: shown,
                            index,
                        },
                    ),
                    Err(why) => {
                        emit(
                            sink,
                            now,
                            EventKind::HookFailed {
                                point: point.as_str().to_string(),
                                hook: shown.clone(),
                                index,
                                why: why.clone(),
                            },
                        );
                        let judged = Inputs {
                            judgement: Some(failed(point, &shown, &why)),
                            ..inputs
                        };
                        let (after, actions) =
                            crate::core::step(analysed.clone(), &judged, &self.plan, now);
                        // A failure core does not stop on (a deployment's first step, which
                        // no judgement holds back) holds the tick instead: nothing written.
                        return match due(&analysed, &after, &actions, &self.plan).is_empty() {
                            true => (after, actions),
                            false => (analysed, Vec::new()),
                        };
                    }
                }
            }
        }
        (after, actions)
    }

    /// `after_rollback` hooks once `record` (as saved) has rolled back from `before`: reported,
    /// never undoing anything.
    pub(super) async fn after_rollback(
        &self,
        before: &Phase,
        record: &Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) {
        let rolled_back = matches!(record.phase, Phase::RolledBack { .. })
            && !matches!(before, Phase::RolledBack { .. });
        let Some(runner) = self.hooks.as_ref().filter(|_| rolled_back) else {
            return;
        };
        let index = match before {
            Phase::Stepping { index, .. }
            | Phase::Paused {
                index: Some(index), ..
            } => *index,
            _ => 0,
        };
        let payload = crate::hook::payload(HookPoint::AfterRollback, index, record);
        for hook in self.plan.hooks.at(HookPoint::AfterRollback) {
            let kind = match runner.call(hook, &payload).await {
                Ok(()) => EventKind::HookPassed {
                    point: HookPoint::AfterRollback.as_str().to_string(),
                    hook: hook.shown(),
                    index,
                },
                Err(why) => EventKind::HookFailed {
                    point: HookPoint::AfterRollback.as_str().to_string(),
                    hook: hook.shown(),
                    index,
                    why,
                },
            };
            emit(sink, now, kind);
        }
    }
}

fn emit(sink: &mut dyn EventSink, at: Timestamp, kind: EventKind) {
    sink.emit(&Event { at, kind });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::step::test_support::{record, secs, stepping_record, PlanBuilder};
    use crate::core::{Share, Split};

    fn write() -> Vec<Action> {
        vec![Action::SetWeights {
            share: Share::CANARY_ONLY,
            guard: crate::core::WriteGuard::Override,
        }]
    }

    #[test]
    fn a_tick_crosses_the_points_of_the_steps_it_leaves_and_enters() {
        let plan = PlanBuilder::new(&[(100, 1), (500, 1), (1000, 0)]).build();
        let pending = record(secs(0));
        let first = stepping_record(0, secs(0), Split::new(900, 100));
        let second = stepping_record(1, secs(60), Split::new(500, 500));
        let last = stepping_record(2, secs(120), Split::new(0, 1000));
        assert_eq!(
            due(&pending, &first, &write(), &plan),
            vec![(HookPoint::PreStep, 0)]
        );
        assert_eq!(
            due(&first, &second, &write(), &plan),
            vec![(HookPoint::PostStep, 0), (HookPoint::PreStep, 1)]
        );
        assert_eq!(
            due(&second, &last, &write(), &plan),
            vec![
                (HookPoint::PostStep, 1),
                (HookPoint::PreStep, 2),
                (HookPoint::BeforePromote, 2)
            ]
        );
        let mut promoted = last.clone();
        promoted.phase = Phase::Promoted { at: secs(180) };
        assert_eq!(
            due(&last, &promoted, &[], &plan),
            vec![(HookPoint::PostStep, 2)]
        );
        // A tick that stays on its step, or rolls back, crosses none.
        assert!(due(&first, &first, &[], &plan).is_empty());
        let mut rolled = first.clone();
        rolled.phase = Phase::RolledBack {
            why: "x".into(),
            at: secs(70),
        };
        assert!(due(&first, &rolled, &write(), &plan).is_empty());
    }
}
