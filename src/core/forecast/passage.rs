//! When a healthy canary's evidence typically reaches the pass threshold: the median of a first
//! passage, not the point where the expected evidence crosses.
//!
//! Why: the evidence is checked window after window and passes the first time it is high
//! enough, so chance lifts it over the line earlier than its expectation does; at low traffic
//! the difference is a fifth of the time a step takes. The log-likelihood ratio of the dominant
//! alternative is a random walk with drift `μ` and variance `σ²` per request; its passage time
//! to the level the expectation reaches after `n` requests is, for a Brownian motion,
//! inverse Gaussian with mean `n` and shape `n·φ`, where `φ = n·μ²/σ²`. The median of that is
//! `n·m(φ)`, `m(φ) < 1`, approaching 1 as the walk's drift dominates its noise.

use crate::core::evidence::math::{normal_cdf, BELOW};

/// The passage of one check's evidence: inverse Gaussian with mean `mean` requests and shape
/// `mean · phi` (`phi` infinite: exactly at `mean`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Passage {
    pub mean: f64,
    pub phi: f64,
}

/// The median number of requests by which every one of `passages` has passed (independent
/// counts: the product of their distributions is one half).
pub(super) fn median_of_all(passages: &[Passage]) -> f64 {
    let most = passages.iter().map(|p| p.mean).fold(0.0, f64::max);
    if passages.is_empty() || !most.is_finite() {
        return most;
    }
    let all_by = |n: f64| -> f64 {
        passages
            .iter()
            .map(|p| match p.phi.is_finite() {
                true => cdf(n / p.mean, p.phi),
                false => f64::from(u8::from(n >= p.mean)),
            })
            .product()
    };
    let (mut low, mut high) = (0.0_f64, most);
    while all_by(high) < 0.5 {
        high *= 2.0;
    }
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if all_by(mid) >= 0.5 {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

/// The passage of the evidence that `expected` (the canary's bad share) is below `limit`,
/// whose expectation passes after `mean` requests.
pub(super) fn passage(expected: f64, limit: f64, mean: f64) -> Passage {
    let exact = Passage {
        mean,
        phi: f64::INFINITY,
    };
    if !(mean.is_finite() && mean > 0.0 && expected >= 0.0 && expected < limit && limit < 1.0) {
        return exact;
    }
    // The alternative whose expected gain per request is largest dominates the mixture.
    let (drift, spread) = BELOW
        .iter()
        .map(|f| {
            let alt = f * limit;
            let bad = (alt / limit).ln();
            let good = ((1.0 - alt) / (1.0 - limit)).ln();
            let drift = expected * bad + (1.0 - expected) * good;
            let variance = expected * (1.0 - expected) * (bad - good).powi(2);
            (drift, variance)
        })
        .fold((f64::NEG_INFINITY, 0.0), |best, next| {
            if next.0 > best.0 {
                next
            } else {
                best
            }
        });
    if drift.is_nan() || drift <= 0.0 || spread <= 0.0 {
        return exact;
    }
    Passage {
        mean,
        phi: mean * drift * drift / spread,
    }
}

/// `P(T ≤ t)` for `T` inverse Gaussian with mean 1 and shape `phi`:
/// `Φ(√(φ/t)(t − 1)) + e^{2φ} Φ(−√(φ/t)(t + 1))`, the second term in logs (it multiplies a huge
/// exponential by a tiny tail).
fn cdf(t: f64, phi: f64) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    let root = (phi / t).sqrt();
    let first = normal_cdf(root * (t - 1.0));
    let x = root * (t + 1.0);
    first + (2.0 * phi + ln_upper_tail(x)).exp()
}

/// `ln Φ(−x)` for `x ≥ 0`: directly while it is accurate, by the asymptotic series of Mills'
/// ratio beyond.
fn ln_upper_tail(x: f64) -> f64 {
    if x < 5.0 {
        return normal_cdf(-x).max(f64::MIN_POSITIVE).ln();
    }
    let inv = 1.0 / (x * x);
    -x * x / 2.0 - (x * (2.0 * std::f64::consts::PI).sqrt()).ln()
        + (1.0 - inv + 3.0 * inv * inv - 15.0 * inv * inv * inv).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_noisy_walk_passes_its_median_before_its_mean() {
        // φ = 1: the median of IG(1, 1) is about 0.6758.
        let one = Passage {
            mean: 1.0,
            phi: 1.0,
        };
        assert!((median_of_all(&[one]) - 0.6758).abs() < 1e-3);
        // A walk whose drift dominates passes about when its expectation does.
        let steady = Passage {
            mean: 1.0,
            phi: 1e4,
        };
        assert!(median_of_all(&[steady]) > 0.99);
        let m = median_of_all(&[passage(0.01, 0.02, 1874.0)]);
        assert!(m < 1874.0 && m > 1000.0, "{m}");
        // Two independent checks both pass later than either alone.
        assert!(median_of_all(&[one, one]) > median_of_all(&[one]));
    }

    #[test]
    fn the_cdf_is_a_distribution_for_any_shape() {
        for phi in [0.1, 1.0, 10.0, 100.0, 1e4] {
            let mut last = 0.0;
            for i in 1..400 {
                let p = cdf(i as f64 / 100.0, phi);
                assert!((0.0..=1.0 + 1e-6).contains(&p), "{phi} {i} {p}");
                assert!(p + 1e-6 >= last, "{phi} {i} {p} < {last}");
                last = p;
            }
        }
    }
}
