//! A tick's analysis: which window to judge, the baseline before the first step, and which
//! judge (`analysis.method`) judges it.
//!
//! The evidence judge folds each period into the record's evidence exactly once, so its window
//! starts where judging last ended; the threshold judge looks back `lookback` each time, as it
//! always has. Both judge only periods not judged before (`record.judged_through`).

use super::Deployment;
use crate::core::plan::Method;
use crate::core::{self, EventKind, Judgement, Phase, Record, Share, Timestamp, Window};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::Router;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Judges the current step's window, when one with a period not judged before is due, and
    /// notes in the record how far judging has got (saved with the tick's other changes). A
    /// CloudWatch failure is reported and skips this analysis: it neither passes nor fails the
    /// canary, and its periods are judged at the next tick.
    pub(super) async fn analyse(
        &self,
        record: &mut Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Option<Judgement> {
        let Phase::Stepping { since, .. } = record.phase else {
            return None;
        };
        if self.plan.checks.is_empty() {
            return None;
        }
        let analysis = &self.plan.analysis;
        let mut window = core::window::new_window(analysis, since, record.judged_through, now)?;
        let evidence = analysis.method == Method::Evidence;
        if evidence {
            // Each period is folded into the evidence once: start where judging ended.
            if let Some(judged) = record.judged_through {
                window.start = window.start.max(judged);
            }
            if !record.evidence.baseline_measured {
                self.measure_baseline(record, now, sink).await;
            }
        }
        let judgement = self.judge_window(record, window, now, sink).await;
        if judgement.is_some() {
            record.judged_through = Some(window.end);
        }
        judgement
    }

    /// The stable's own counts over `analysis.baseline` before the deployment started, once per
    /// deployment (a CloudWatch failure is reported, and tried again next tick).
    async fn measure_baseline(
        &self,
        record: &mut Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) {
        let analysis = &self.plan.analysis;
        let Some(window) = core::window::before(analysis, record.started_at) else {
            record.evidence.baseline_measured = true;
            return;
        };
        let checks =
            core::evidence::resolve(&self.plan.checks_at(Share::STABLE_ONLY), &record.evidence);
        match self.metrics.observe(&checks, window).await {
            Ok(observed) => record.evidence.measure_baseline(&checks, &observed),
            Err(error) => sink.emit(&core::Event {
                at: now,
                kind: EventKind::MetricsUnavailable {
                    why: format!("the stable's baseline could not be read: {error}"),
                },
            }),
        }
    }

    /// The judgement of the checks that apply at the record's share over `window`.
    async fn judge_window(
        &self,
        record: &Record,
        window: Window,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Option<Judgement> {
        let share = core::step::current_share(record, &self.plan)?;
        let analysis = &self.plan.analysis;
        let checks = match analysis.method {
            Method::Evidence => {
                core::evidence::resolve(&self.plan.checks_at(share), &record.evidence)
            }
            Method::Threshold => self.plan.checks_at(share),
        };
        if checks.is_empty() {
            return Some(core::judge(&[], &[], analysis));
        }
        let observed = match self.metrics.observe(&checks, window).await {
            Ok(observed) => observed,
            Err(error) => {
                sink.emit(&core::Event {
                    at: now,
                    kind: EventKind::MetricsUnavailable {
                        why: error.to_string(),
                    },
                });
                return None;
            }
        };
        Some(match (analysis.method, record.phase.clone()) {
            (Method::Evidence, Phase::Stepping { index, .. }) => {
                core::evidence::judge(&checks, &observed, analysis, &record.evidence, index, share)
            }
            _ => core::judge(&checks, &observed, analysis),
        })
    }
}
