//! The statistics of the evidence judge: anytime-valid e-values on counts, as plain functions.
//!
//! Two tests, both nonnegative martingales under their null hypothesis, so by Ville's inequality
//! the chance that one *ever* reaches `1/α`, however often it is looked at, is at most `α`:
//!
//! - [`ShareTest`], canary against stable: given both sides' requests and "bad" requests
//!   (errors, or requests slower than a threshold) in a window, the canary's share of the bad
//!   ones is binomial with the expected share `n_c / (n_c + n_s)` when the canary is no worse.
//!   Under a regression where the canary's rate is `ρ` times the stable's, the share is
//!   `ρ·n_c / (ρ·n_c + n_s)`. The e-value is the likelihood ratio averaged over a fixed grid of
//!   `ρ` (a discrete mixture: Lindon, Sanden, Shirikian, "Rapid Regression Detection in Software
//!   Deployments through Sequential Testing", KDD 2022; Wald's SPRT is the one-point case). Its
//!   state is the log-likelihood ratio per grid point, summed over windows; windows of any size
//!   and any weight fold in.
//! - [`rate_above`] / [`rate_below`], one side against a fixed limit: the Bernoulli likelihood
//!   ratio of the observed `(requests, bad)` against "the rate is exactly at the limit", averaged
//!   over rates above (or below) it. Under any rate at or below the limit (at or above, for
//!   `rate_below`) it is a supermartingale, so the same `α` bound holds. Its state is the counts.
//!
//! Everything is in log space (`ln_mean_exp`), so a million requests neither overflow nor
//! underflow, and every function returns a finite, nonnegative e-value for any input: counts
//! are clamped (`bad ≤ requests`, non-finite as zero) before use.

/// The rate ratios `ρ` the share test mixes over, equally weighted: from a quarter more errors
/// to twenty times as many. A +1 point regression on a 1 % stable is `ρ = 2`, on 0.5 % `ρ = 3`.
pub const RATIOS: [f64; 6] = [1.5, 2.0, 3.0, 5.0, 10.0, 20.0];

/// The rates, as fractions of the limit, that [`rate_above`] mixes over.
const ABOVE: [f64; 6] = [1.25, 1.5, 2.0, 3.0, 5.0, 10.0];
/// The rates, as fractions of the limit, that [`rate_below`] mixes over.
const BELOW: [f64; 5] = [0.8, 0.6, 0.4, 0.2, 0.05];

/// Requests and the "bad" ones among them (errors, or requests slower than a threshold).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub requests: f64,
    pub bad: f64,
}

impl Counts {
    /// Counts made safe to compute with: non-finite or negative as zero, `bad ≤ requests`.
    pub fn new(requests: f64, bad: f64) -> Counts {
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        let requests = clean(requests);
        Counts {
            requests,
            bad: clean(bad).min(requests),
        }
    }

    pub fn plus(self, other: Counts) -> Counts {
        Counts::new(self.requests + other.requests, self.bad + other.bad)
    }

    /// The bad share in percent, `None` without requests.
    pub fn percent(self) -> Option<f64> {
        (self.requests > 0.0).then(|| self.bad * 100.0 / self.requests)
    }

    /// The bad share as a fraction, `None` without requests.
    pub fn rate(self) -> Option<f64> {
        (self.requests > 0.0).then(|| self.bad / self.requests)
    }
}

/// The canary-versus-stable share test's state: the log-likelihood ratio of each `ρ` in
/// [`RATIOS`], summed over every window folded in so far.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShareTest {
    /// One entry per [`RATIOS`]; empty means nothing folded in yet (all zero).
    #[serde(default)]
    pub log_lr: Vec<f64>,
}

impl ShareTest {
    /// Folds in one window. A window where either side served nothing, or nothing was bad, says
    /// nothing about the share and changes nothing.
    pub fn fold(&mut self, canary: Counts, stable: Counts) {
        let total_bad = canary.bad + stable.bad;
        if canary.requests <= 0.0 || stable.requests <= 0.0 || total_bad <= 0.0 {
            return;
        }
        if self.log_lr.len() != RATIOS.len() {
            self.log_lr = vec![0.0; RATIOS.len()];
        }
        let expected = canary.requests / (canary.requests + stable.requests);
        for (log_lr, rho) in self.log_lr.iter_mut().zip(RATIOS) {
            let share = rho * canary.requests / (rho * canary.requests + stable.requests);
            let step = canary.bad * (share / expected).ln()
                + stable.bad * ((1.0 - share) / (1.0 - expected)).ln();
            // Only a finite sum is kept: the record must stay readable JSON.
            if (*log_lr + step).is_finite() {
                *log_lr += step;
            }
        }
    }

    /// The e-value: the evidence that the canary's rate is above the stable's (1 = none).
    pub fn e_value(&self) -> f64 {
        if self.log_lr.len() != RATIOS.len() || self.log_lr.iter().any(|v| !v.is_finite()) {
            return 1.0;
        }
        finite(ln_mean_exp(&self.log_lr).exp())
    }
}

/// The evidence that the rate behind `counts` is above `limit` (a fraction, 0–1). A limit of 0
/// is exceeded by any bad request (infinite evidence, shown as `f64::MAX`); a limit of 1 or more
/// never is.
pub fn rate_above(counts: Counts, limit: f64) -> f64 {
    if limit >= 1.0 || limit.is_nan() {
        return 1.0;
    }
    if limit <= 0.0 {
        return if counts.bad > 0.0 { f64::MAX } else { 1.0 };
    }
    let rates: Vec<f64> = ABOVE
        .iter()
        .map(|f| f * limit)
        .filter(|r| *r < 1.0)
        .chain([(1.0 + limit) / 2.0])
        .collect();
    mixture(counts, limit, &rates)
}

/// The evidence that the rate behind `counts` is below `limit`. Nothing is below a limit of 0;
/// a limit of 1 or more is shown by the first request that is not bad.
pub fn rate_below(counts: Counts, limit: f64) -> f64 {
    if limit <= 0.0 {
        return 1.0;
    }
    if limit >= 1.0 || limit.is_nan() {
        return if counts.requests > counts.bad {
            f64::MAX
        } else {
            1.0
        };
    }
    let rates: Vec<f64> = BELOW.iter().map(|f| f * limit).collect();
    mixture(counts, limit, &rates)
}

/// The Bernoulli likelihood ratio of `counts` under each of `rates` against `limit`, averaged.
fn mixture(counts: Counts, limit: f64, rates: &[f64]) -> f64 {
    let good = counts.requests - counts.bad;
    let logs: Vec<f64> = rates
        .iter()
        .map(|rate| counts.bad * (rate / limit).ln() + good * ((1.0 - rate) / (1.0 - limit)).ln())
        .collect();
    finite(ln_mean_exp(&logs).exp())
}

/// An e-value as stored and shown: overwhelming evidence is `f64::MAX`, never infinity (which
/// JSON cannot carry).
fn finite(e: f64) -> f64 {
    if e.is_nan() {
        1.0
    } else {
        e.min(f64::MAX)
    }
}

/// `ln(mean(exp(values)))`, without overflow.
fn ln_mean_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    let sum: f64 = values.iter().map(|v| (v - max).exp()).sum();
    max + (sum / values.len() as f64).ln()
}

/// About how many more requests at `rate` the [`rate_below`] evidence needs to reach `target`
/// from `now` (`None` when requests at that rate never get there: it is too close to the limit).
pub fn requests_to_show_below(rate: f64, limit: f64, now: f64, target: f64) -> Option<f64> {
    if now >= target {
        return Some(0.0);
    }
    if !(limit > 0.0 && limit < 1.0 && rate.is_finite()) {
        return None;
    }
    let rate = rate.clamp(0.0, 1.0);
    // The best single alternative's expected log-likelihood gain per request.
    let gain = BELOW
        .iter()
        .map(|f| {
            let alt = f * limit;
            rate * (alt / limit).ln() + (1.0 - rate) * ((1.0 - alt) / (1.0 - limit)).ln()
        })
        .fold(f64::NEG_INFINITY, f64::max);
    // The mixture averages over BELOW.len() alternatives: the best one needs that much more.
    let needed = (target.ln() - now.max(f64::MIN_POSITIVE).ln()) + (BELOW.len() as f64).ln();
    (gain > 1e-12).then(|| (needed / gain).ceil())
}

#[cfg(test)]
#[path = "math_tests.rs"]
mod tests;
