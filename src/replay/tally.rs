//! Counting how replayed deployments ended: what the judgement benchmark and the backtest print.

use super::drive::{Ending, Replay};
use std::time::Duration;

/// The endings of a set of replays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub runs: usize,
    pub promoted: usize,
    pub rolled_back: usize,
    pub paused: usize,
    /// Still stepping (holding) at the replay's horizon, or failed.
    pub unfinished: usize,
    /// Deployments with a step that moved on unjudged.
    pub unjudged: usize,
    /// Minutes from the start to each rollback.
    pub rollback_minutes: Vec<f64>,
    /// Minutes from the start to each promotion.
    pub promotion_minutes: Vec<f64>,
}

impl Tally {
    pub fn add(&mut self, replay: &Replay) {
        self.runs += 1;
        self.unjudged += usize::from(replay.unjudged_steps > 0);
        match &replay.ending {
            Ending::Promoted { at } => {
                self.promoted += 1;
                self.promotion_minutes.push(minutes(*at));
            }
            Ending::RolledBack { at, .. } => {
                self.rolled_back += 1;
                self.rollback_minutes.push(minutes(*at));
            }
            Ending::Paused { .. } => self.paused += 1,
            Ending::Unfinished { .. } | Ending::Failed { .. } => self.unfinished += 1,
        }
    }

    /// The table cells every report shares: runs, then promoted, rolled back, paused,
    /// unfinished and with an unjudged step, in percent: "1000 | 99.9% | 0.1% | …".
    pub fn outcome_cells(&self) -> String {
        [
            self.runs.to_string(),
            self.percent(self.promoted),
            self.percent(self.rolled_back),
            self.percent(self.paused),
            self.percent(self.unfinished),
            self.percent(self.unjudged),
        ]
        .join(" | ")
    }

    /// `n` of the runs in percent, "12.5%".
    pub fn percent(&self, n: usize) -> String {
        format!("{:.1}%", 100.0 * n as f64 / self.runs.max(1) as f64)
    }

    /// The `q` quantile (0–1) of `minutes`, rounded, or "–" for none.
    pub fn quantile(minutes: &[f64], q: f64) -> String {
        let mut m = minutes.to_vec();
        if m.is_empty() {
            return "–".to_string();
        }
        m.sort_by(f64::total_cmp);
        let at = ((m.len() as f64 - 1.0) * q.clamp(0.0, 1.0)).round() as usize;
        format!("{:.0}", m[at.min(m.len() - 1)])
    }
}

fn minutes(d: Duration) -> f64 {
    d.as_secs_f64() / 60.0
}
