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
pub const BELOW: [f64; 5] = [0.8, 0.6, 0.4, 0.2, 0.05];

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

/// Φ(x), by Abramowitz and Stegun 7.1.26 (error below 1.5e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// Φ⁻¹(q), by Acklam's rational approximation (relative error below 1.2e-9), for 0 < q < 1.
pub fn normal_quantile(q: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let q = q.clamp(1e-12, 1.0 - 1e-12);
    let tail = |r: f64| {
        (((((C[0] * r + C[1]) * r + C[2]) * r + C[3]) * r + C[4]) * r + C[5])
            / ((((D[0] * r + D[1]) * r + D[2]) * r + D[3]) * r + 1.0)
    };
    if q < 0.024_25 {
        tail((-2.0 * q.ln()).sqrt())
    } else if q > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - q).ln()).sqrt())
    } else {
        let r = q - 0.5;
        let s = r * r;
        (((((A[0] * s + A[1]) * s + A[2]) * s + A[3]) * s + A[4]) * s + A[5]) * r
            / (((((B[0] * s + B[1]) * s + B[2]) * s + B[3]) * s + B[4]) * s + 1.0)
    }
}

/// A reference rate with its own uncertainty: the rate plus two standard errors (so a small
/// baseline does not make a healthy canary look worse than it).
pub fn upper_rate(c: Counts) -> f64 {
    let Some(rate) = c.rate() else { return 0.0 };
    let se = (rate * (1.0 - rate) / c.requests.max(1.0)).sqrt();
    (rate + 2.0 * se).min(1.0)
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
