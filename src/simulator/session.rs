//! One `traffic-sim` run: every second, read the route's live weights, split the requests of
//! that second by them and publish what each target group would report; stop at the end of the
//! duration or on shutdown.
//!
//! A failed second is logged and skipped (the emulator may be busy), except the first: a run
//! whose first second fails has wrong ARNs or a wrong endpoint, and says so at once. What it
//! logs goes to the caller's `log` (the binary writes it to stderr), a line per call.

use super::target::{requests_per_target, Target};
use super::{publish_second, SimBackend, SimRoute, SimTarget, SimulatorError, Splitter};
use crate::aws::Clients;
use crate::traffic::alb::arn::target_group_dimension;
use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

/// Seconds between two progress lines.
const LOG_EVERY: u64 = 10;

/// One second's live weights (by target group key) and the requests published per target.
type Second = (Vec<(String, u32)>, Vec<(SimTarget, u64)>);

/// What a run follows and publishes, as checked from the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub route: SimRoute,
    /// Where the route's metrics go.
    pub backend: SimBackend,
    pub targets: Vec<Target>,
    /// Requests per second over the whole route.
    pub rps: u64,
    /// Requests per second more that carry the header lane's header: they go where the lane's
    /// rule forwards while there is one, and are split with the others while there is none.
    pub lane_rps: u64,
    pub duration: Duration,
}

impl Session {
    /// Publishes every second until the duration is over or `shutdown` resolves, and returns
    /// the totals; an error only when the first second fails.
    pub async fn run(
        &self,
        clients: &Clients,
        shutdown: impl Future<Output = ()>,
        mut log: impl FnMut(&str),
    ) -> Result<Totals, SimulatorError> {
        log(&format!(
            "{} rps on {} ({}) for {}",
            self.rps,
            self.route.arn(),
            self.backend,
            humantime::format_duration(self.duration)
        ));
        let deadline = Instant::now() + self.duration;
        let mut ticker = tokio::time::interval(Duration::from_secs(1));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut splitter = Splitter::default();
        let mut sim = Totals::default();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => {}
            }
            if Instant::now() >= deadline {
                break;
            }
            let outcome = tokio::select! {
                _ = &mut shutdown => break,
                outcome = self.second(clients, &mut splitter) => outcome,
            };
            sim.seconds += 1;
            match outcome {
                Ok((weights, targets)) => sim.add(weights, &targets),
                Err(e) if sim.seconds == 1 => return Err(e),
                Err(e) => {
                    sim.failures += 1;
                    log(&format!("second {} failed: {e}", sim.seconds));
                }
            }
            if sim.seconds.is_multiple_of(LOG_EVERY) {
                log(&sim.summary());
            }
        }
        log(&format!("stopped after {}", sim.summary()));
        Ok(sim)
    }

    /// One second: the live weights, and the requests published per target.
    async fn second(
        &self,
        clients: &Clients,
        splitter: &mut Splitter,
    ) -> Result<Second, SimulatorError> {
        let weights = self.route.read_weights(clients).await?;
        let lane = match self.lane_rps {
            0 => None,
            _ => self.route.lane_target(clients).await?,
        };
        let rps = match lane {
            Some(_) => self.rps,
            None => self.rps + self.lane_rps,
        };
        let mut split = splitter.next(rps, &weights.iter().map(|(_, w)| *w).collect::<Vec<_>>());
        let mut routed = weights.clone();
        if let Some(target) = lane {
            routed.push((target, 0));
            split.push(self.lane_rps);
        }
        let targets = requests_per_target(&self.targets, &routed, &split);
        publish_second(
            &clients.cloudwatch,
            &self.backend,
            &targets,
            SystemTime::now(),
        )
        .await?;
        Ok((weights, targets))
    }
}

/// What a run did so far.
#[derive(Debug, Default)]
pub struct Totals {
    pub seconds: u64,
    /// Seconds whose read or publish failed.
    pub failures: u64,
    /// The weights of the last second read, by target group key.
    pub weights: Vec<(String, u32)>,
    /// Requests published, by target group dimension.
    pub requests: HashMap<String, u64>,
}

impl Totals {
    fn add(&mut self, weights: Vec<(String, u32)>, targets: &[(SimTarget, u64)]) {
        for (t, n) in targets {
            *self
                .requests
                .entry(t.target_group_dimension.clone())
                .or_default() += n;
        }
        self.weights = weights;
    }

    /// "12s, weights [blue=900 green=100], requests published [...], failed seconds 0".
    pub fn summary(&self) -> String {
        let weights: Vec<String> = self
            .weights
            .iter()
            .map(|(key, w)| {
                let name = target_group_dimension(key).unwrap_or_else(|| key.clone());
                format!("{name}={w}")
            })
            .collect();
        let mut requests: Vec<String> = self
            .requests
            .iter()
            .map(|(tg, n)| format!("{tg}: {n}"))
            .collect();
        requests.sort();
        format!(
            "{}s, weights [{}], requests published [{}], failed seconds {}",
            self.seconds,
            weights.join(" "),
            requests.join(", "),
            self.failures
        )
    }
}
