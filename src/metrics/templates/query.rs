//! What a check asks CloudWatch for, as plain data: one metric with one statistic
//! ([`MetricQuery`], the unit of deduplication across checks), the queries of one check
//! ([`CheckQueries`]), and how their datapoints are read ([`Reduce`], [`LatencyUnit`]).
//! Building them from a check is [`super::check`]; fetching and aggregating them is the rest of
//! `metrics/`.

/// The unit a backend reports its latency metric in. Checks speak milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LatencyUnit {
    /// ALB `TargetResponseTime`.
    Seconds,
    /// VPC Lattice `RequestTime`, Lambda `Duration`.
    Milliseconds,
}

impl LatencyUnit {
    /// `value`, in this unit, in milliseconds.
    pub fn to_ms(self, value: f64) -> f64 {
        match self {
            LatencyUnit::Seconds => value * 1000.0,
            LatencyUnit::Milliseconds => value,
        }
    }
}

/// One CloudWatch metric with one statistic: the unit of deduplication. Dimensions are kept
/// sorted by name so two spellings of the same metric compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricQuery {
    pub namespace: String,
    pub metric: String,
    pub dimensions: Vec<(String, String)>,
    pub stat: String,
}

impl MetricQuery {
    pub fn new(
        namespace: &str,
        metric: &str,
        mut dimensions: Vec<(String, String)>,
        stat: &str,
    ) -> MetricQuery {
        dimensions.sort();
        MetricQuery {
            namespace: namespace.to_string(),
            metric: metric.to_string(),
            dimensions,
            stat: stat.to_string(),
        }
    }
}

impl std::fmt::Display for MetricQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.namespace, self.metric, self.stat)?;
        for (name, value) in &self.dimensions {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// How a check reduces the datapoints of one query over the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// Counts: the sum of every period.
    Sum,
    /// The worst period when lower is better.
    Max,
    /// The worst period when higher is better.
    Min,
}

/// Request and error count queries of one target group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrafficQueries {
    pub requests: MetricQuery,
    /// The counts whose sum is the target group's errors: its 5XX count, and for an ALB
    /// target group of Lambda functions also `LambdaUserError` and `LambdaInternalError`.
    pub errors: Vec<MetricQuery>,
}

impl TrafficQueries {
    /// The requests, then each error count.
    fn metric_queries(&self) -> Vec<&MetricQuery> {
        std::iter::once(&self.requests)
            .chain(&self.errors)
            .collect()
    }
}

/// The requests slower than a threshold: CloudWatch's trimmed count `TC(X:)` of the latency
/// metric (each request is one datapoint of it), per target, with the stable's requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlowQueries {
    pub canary: MetricQuery,
    /// Only for the vs-stable check: the stable's slow requests and its requests.
    pub stable: Option<(MetricQuery, MetricQuery)>,
}

/// `TC(X:)` for `ms` milliseconds in `unit`: the count of datapoints above X.
pub fn slower_than_stat(ms: f64, unit: LatencyUnit) -> String {
    let x = match unit {
        LatencyUnit::Seconds => ms / 1000.0,
        LatencyUnit::Milliseconds => ms,
    };
    // CloudWatch takes up to ten decimals and no exponent.
    let text = format!("{x:.10}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("TC({text}:)")
}

/// What one check asks CloudWatch for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckQueries {
    ErrorRate {
        canary: TrafficQueries,
        /// Only for the vs-stable check.
        stable: Option<TrafficQueries>,
    },
    Latency {
        canary_requests: MetricQuery,
        /// The backend's latency percentile, in `unit`.
        canary: MetricQuery,
        /// Only for the vs-stable check.
        stable: Option<MetricQuery>,
        /// What `canary` and `stable` are reported in; converted to ms on aggregation.
        unit: LatencyUnit,
        /// The evidence judge's counts of requests slower than a threshold, when it has one.
        slow: Option<Box<SlowQueries>>,
    },
    /// A Lambda alias's requests that ran and those throttled, both versions together.
    Throttles {
        invocations: MetricQuery,
        throttles: MetricQuery,
    },
    Custom {
        query: MetricQuery,
        reduce: Reduce,
    },
    Alarms {
        names: Vec<String>,
    },
    /// A check the route's backend cannot answer (validation refuses such a playbook, so only
    /// a hand-made plan gets here): no query, observed as unavailable for `why`.
    Unavailable {
        why: String,
    },
}

impl CheckQueries {
    /// The metric queries of this check (none for alarms), in a stable order.
    pub fn metric_queries(&self) -> Vec<&MetricQuery> {
        match self {
            CheckQueries::ErrorRate { canary, stable } => {
                let mut out = canary.metric_queries();
                if let Some(stable) = stable {
                    out.extend(stable.metric_queries());
                }
                out
            }
            CheckQueries::Latency {
                canary_requests,
                canary,
                stable,
                slow,
                ..
            } => {
                let mut out = vec![canary_requests, canary];
                out.extend(stable);
                if let Some(slow) = slow {
                    out.push(&slow.canary);
                    if let Some((slow_stable, stable_requests)) = &slow.stable {
                        out.push(slow_stable);
                        out.push(stable_requests);
                    }
                }
                out
            }
            CheckQueries::Throttles {
                invocations,
                throttles,
            } => vec![invocations, throttles],
            CheckQueries::Custom { query, .. } => vec![query],
            CheckQueries::Alarms { .. } | CheckQueries::Unavailable { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_units_convert_to_ms() {
        assert_eq!(LatencyUnit::Seconds.to_ms(0.25), 250.0);
        assert_eq!(LatencyUnit::Milliseconds.to_ms(250.0), 250.0);
    }

    #[test]
    fn slow_counts_ask_for_a_trimmed_count_in_the_metric_unit() {
        assert_eq!(slower_than_stat(500.0, LatencyUnit::Seconds), "TC(0.5:)");
        assert_eq!(
            slower_than_stat(812.5, LatencyUnit::Milliseconds),
            "TC(812.5:)"
        );
        assert_eq!(slower_than_stat(1.0, LatencyUnit::Seconds), "TC(0.001:)");
        assert_eq!(
            slower_than_stat(300.0, LatencyUnit::Milliseconds),
            "TC(300:)"
        );
    }
}
