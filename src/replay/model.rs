//! A seeded statistical model of traffic: Poisson arrivals, per-request errors, latency jitter.
//!
//! What the judgement benchmark and the statistical unit tests draw from. Exact where it is
//! cheap (Poisson by inversion and binomial by counting below a mean of 30), normal
//! approximations with continuity correction above, where they are accurate to far better than
//! the effects measured. Seeded, so every figure can be re-run.

use super::drive::{PeriodTraffic, Side, TrafficSource};
use crate::core::observe::Traffic as ObservedTraffic;
use crate::core::types::{Share, Timestamp};

/// A seeded source of the draws the model needs.
pub struct Sampler {
    rng: fastrand::Rng,
}

impl Sampler {
    pub fn new(seed: u64) -> Sampler {
        Sampler {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Uniform in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        loop {
            let u = self.rng.f64();
            if u > 0.0 {
                return u;
            }
        }
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Events in an interval with `mean` expected.
    pub fn poisson(&mut self, mean: f64) -> f64 {
        if mean.is_nan() || mean <= 0.0 {
            return 0.0;
        }
        if mean < 30.0 {
            // Inversion: count arrivals until the product of uniforms drops below e^-mean.
            let limit = (-mean).exp();
            let (mut k, mut product) = (0.0, self.uniform());
            while product > limit {
                k += 1.0;
                product *= self.uniform();
            }
            return k;
        }
        (mean + mean.sqrt() * self.normal()).round().max(0.0)
    }

    /// Successes in `n` trials of probability `p`.
    pub fn binomial(&mut self, n: f64, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        let n = n.max(0.0).round();
        let mean = n * p;
        if mean < 30.0 || n * (1.0 - p) < 30.0 {
            if n <= 2_000.0 {
                return (0..n as u64).filter(|_| self.rng.f64() < p).count() as f64;
            }
            // Rare events in many trials: Poisson with the same mean.
            if mean < 30.0 {
                return self.poisson(mean).min(n);
            }
            return n - self.poisson(n * (1.0 - p)).min(n);
        }
        let sd = (mean * (1.0 - p)).sqrt();
        (mean + sd * self.normal()).round().clamp(0.0, n)
    }
}

/// A route's traffic as a statistical model: Poisson arrivals at `rps`, each request routed to
/// the canary with the live share's probability, each failing with its target's error rate.
#[derive(Clone, Debug)]
pub struct Traffic {
    pub rps: f64,
    pub period: std::time::Duration,
    pub stable_rate: f64,
    pub canary_rate: f64,
    /// From this moment both targets fail at this rate (an incident they share).
    pub shared: Option<(Timestamp, f64)>,
    /// From this moment nothing is published at all (the metrics pipeline stops).
    pub stops_at: Option<Timestamp>,
    /// The canary never reports (say its target group's metrics are missing).
    pub canary_silent: bool,
    pub stable_latency: Latency,
    pub canary_latency: Latency,
}

/// A target's latency: log-normal, given by its median and 99th percentile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Latency {
    pub median_ms: f64,
    pub p99_ms: f64,
}

impl Latency {
    /// The log-normal's σ: the 99th percentile is 2.326 σ above the median in log space.
    fn sigma(self) -> f64 {
        ((self.p99_ms / self.median_ms).ln() / Z99).max(1e-9)
    }

    /// The chance that one request is slower than `ms`.
    pub fn slower(self, ms: f64) -> f64 {
        if ms <= 0.0 {
            return 1.0;
        }
        1.0 - normal_cdf((ms / self.median_ms).ln() / self.sigma())
    }

    /// The latency at quantile `q` (0–1).
    pub fn at(self, q: f64) -> f64 {
        self.median_ms * (self.sigma() * normal_quantile(q)).exp()
    }

    /// Every request `factor` times slower.
    pub fn times(self, factor: f64) -> Latency {
        Latency {
            median_ms: self.median_ms * factor,
            p99_ms: self.p99_ms * factor,
        }
    }
}

/// The standard normal's 99th percentile.
const Z99: f64 = 2.326_347_874;

pub use crate::core::evidence::math::normal_cdf;

pub use crate::core::evidence::math::normal_quantile;

/// The latency of a healthy target in the model: median 120 ms, p99 300 ms.
pub const HEALTHY_LATENCY: Latency = Latency {
    median_ms: 120.0,
    p99_ms: 300.0,
};

impl Traffic {
    /// Healthy traffic: both targets fail at `rate`.
    pub fn healthy(rps: f64, rate: f64) -> Traffic {
        Traffic {
            rps,
            period: std::time::Duration::from_secs(60),
            stable_rate: rate,
            canary_rate: rate,
            shared: None,
            stops_at: None,
            canary_silent: false,
            stable_latency: HEALTHY_LATENCY,
            canary_latency: HEALTHY_LATENCY,
        }
    }
}

/// [`Traffic`] drawn from a seeded [`Sampler`], one period at a time.
pub struct Drawn {
    pub traffic: Traffic,
    pub sampler: Sampler,
}

impl TrafficSource for Drawn {
    fn period(&mut self, start: Timestamp, share: Share) -> PeriodTraffic {
        let t = &self.traffic;
        if t.stops_at.is_some_and(|at| start >= at) {
            return PeriodTraffic::default();
        }
        let (stable_rate, canary_rate) = match t.shared {
            Some((from, rate)) if start >= from => (rate, rate),
            _ => (t.stable_rate, t.canary_rate),
        };
        let s = &mut self.sampler;
        let total = s.poisson(t.rps * t.period.as_secs_f64());
        let canary_n = s.binomial(total, share.percent() / 100.0);
        let stable_n = total - canary_n;
        let canary_errors = s.binomial(canary_n, canary_rate);
        let stable_errors = s.binomial(stable_n, stable_rate);
        let canary = if t.canary_silent {
            ObservedTraffic::default()
        } else {
            published(canary_n, canary_errors)
        };
        PeriodTraffic {
            canary,
            stable: published(stable_n, stable_errors),
        }
    }

    fn slower_than(&mut self, _: Timestamp, side: Side, requests: f64, ms: f64) -> Option<f64> {
        let p = self.latency_of(side).slower(ms);
        Some(self.sampler.binomial(requests, p))
    }

    /// The sample percentile of `requests` latencies: its rank's quantile is approximately
    /// normal around `p` with variance `p(1 − p)/n` (the asymptotics of order statistics).
    fn percentile(&mut self, _: Timestamp, side: Side, requests: f64, p: f64) -> Option<f64> {
        if requests < 1.0 {
            return None;
        }
        let q = p / 100.0;
        let sd = (q * (1.0 - q) / requests).sqrt();
        let drawn = (q + sd * self.sampler.normal()).clamp(1e-9, 1.0 - 1e-9);
        Some(self.latency_of(side).at(drawn))
    }
}

impl Drawn {
    fn latency_of(&self, side: Side) -> Latency {
        match side {
            Side::Stable => self.traffic.stable_latency,
            Side::Canary => self.traffic.canary_latency,
        }
    }
}

/// What a load balancer publishes: no datapoint for a target without requests, none for errors
/// while there are none.
pub(crate) fn published(requests: f64, errors: f64) -> ObservedTraffic {
    ObservedTraffic {
        requests: (requests > 0.0).then_some(requests),
        errors: (errors > 0.0).then_some(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_and_variance(draws: &[f64]) -> (f64, f64) {
        let n = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn poisson_draws_have_the_mean_and_variance_asked_for() {
        let mut s = Sampler::new(1);
        for mean in [0.5, 4.0, 29.0, 31.0, 600.0] {
            let draws: Vec<f64> = (0..20_000).map(|_| s.poisson(mean)).collect();
            let (m, v) = mean_and_variance(&draws);
            assert!((m - mean).abs() < 0.05 * mean + 0.05, "mean {mean}: {m}");
            assert!((v - mean).abs() < 0.1 * mean + 0.1, "variance {mean}: {v}");
        }
        assert_eq!(s.poisson(0.0), 0.0);
        assert_eq!(s.poisson(f64::NAN), 0.0);
    }

    #[test]
    fn the_latency_model_has_the_median_and_p99_asked_for() {
        let l = HEALTHY_LATENCY;
        assert!((l.at(0.5) - 120.0).abs() < 1e-6);
        assert!((l.at(0.99) - 300.0).abs() < 1e-3);
        assert!((l.slower(300.0) - 0.01).abs() < 1e-6);
        assert!((l.slower(120.0) - 0.5).abs() < 1e-6);
        assert_eq!(l.slower(0.0), 1.0);
        assert!((normal_quantile(normal_cdf(1.3)) - 1.3).abs() < 1e-6);
        // p99 40 % higher: every request 1.4 times slower.
        assert!((l.times(1.4).at(0.99) - 420.0).abs() < 1e-3);
    }

    #[test]
    fn binomial_draws_have_the_mean_and_variance_asked_for() {
        let mut s = Sampler::new(2);
        for (n, p) in [
            (100.0, 0.01),
            (1_500.0, 0.5),
            (6_000.0, 0.005),
            (30_000.0, 0.02),
        ] {
            let draws: Vec<f64> = (0..5_000).map(|_| s.binomial(n, p)).collect();
            let (m, v) = mean_and_variance(&draws);
            let (mean, var) = (n * p, n * p * (1.0 - p));
            assert!((m - mean).abs() < 0.05 * mean + 0.05, "{n} {p}: mean {m}");
            assert!((v - var).abs() < 0.12 * var + 0.1, "{n} {p}: variance {v}");
            assert!(draws.iter().all(|d| *d >= 0.0 && *d <= n));
        }
    }
}
