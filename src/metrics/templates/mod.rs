//! Builtin CloudWatch queries per check, from the dimensions of the route's target groups.
//!
//! Pure: no IO. Each [`Check`](crate::core::plan::Check) becomes a [`CheckQueries`], which names
//! the metric+statistic pairs ([`MetricQuery`]) the check needs and how its observation is put
//! together from them.
//!
//! The shapes are shared, what each backend publishes is not: one file per backend holds its
//! metric knowledge (namespace, names, dimensions, latency unit, cited from AWS's page), [`alb`],
//! [`lattice`] and [`lambda`]. A builtin check asks each the same questions (request count, error
//! counts, latency percentile per target group — for a Lambda alias, per version; an ALB
//! target group of Lambda functions has three error counts, summed on aggregation; only a Lambda
//! alias answers the `throttles` check, alias-wide);
//! [`CheckQueries::Latency`] carries the backend's [`LatencyUnit`], so aggregation converts to
//! milliseconds correctly.
//!
//! The files: `query.rs` the shapes of a check's queries, `check.rs` a check of the plan turned
//! into them, one file per backend, and [`RouteDimensions`] here, the route any of them serves.

pub mod alb;
mod check;
pub mod lambda;
pub mod lattice;
mod query;
#[cfg(test)]
pub(crate) mod test_support;

pub use alb::{
    AlbDimensions, ALB_NAMESPACE, LAMBDA_INTERNAL_ERROR, LAMBDA_USER_ERROR, REQUEST_COUNT,
    TARGET_2XX_COUNT, TARGET_5XX_COUNT, TARGET_RESPONSE_TIME,
};
pub use lambda::{LambdaDimensions, DURATION, ERRORS, INVOCATIONS, LAMBDA_NAMESPACE, THROTTLES};
pub use lattice::{
    LatticeDimensions, HTTP_2XX_COUNT, HTTP_5XX_COUNT, LATTICE_NAMESPACE, REQUEST_TIME,
    TOTAL_REQUEST_COUNT,
};

pub use check::{check_queries, percentile_stat, queries_of};
pub use query::{
    slower_than_stat, CheckQueries, LatencyUnit, MetricQuery, Reduce, SlowQueries, TrafficQueries,
};

use check::TargetGroupMetrics;

/// The CloudWatch dimension values of a route's stable and canary target groups (a Lambda
/// alias: versions), per backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteDimensions {
    Alb(AlbDimensions),
    Lattice(LatticeDimensions),
    Lambda(LambdaDimensions),
}

impl From<AlbDimensions> for RouteDimensions {
    fn from(dims: AlbDimensions) -> RouteDimensions {
        RouteDimensions::Alb(dims)
    }
}

impl From<LatticeDimensions> for RouteDimensions {
    fn from(dims: LatticeDimensions) -> RouteDimensions {
        RouteDimensions::Lattice(dims)
    }
}

impl From<LambdaDimensions> for RouteDimensions {
    fn from(dims: LambdaDimensions) -> RouteDimensions {
        RouteDimensions::Lambda(dims)
    }
}

impl RouteDimensions {
    /// The same route with the stable in the canary's place: what the stable's own traffic looks
    /// like through the canary's queries (the backtest replays the stable against itself).
    pub fn stable_as_canary(&self) -> RouteDimensions {
        match self {
            RouteDimensions::Alb(d) => RouteDimensions::Alb(AlbDimensions {
                canary_target_group: d.stable_target_group.clone(),
                canary_is_lambda: d.stable_is_lambda,
                ..d.clone()
            }),
            RouteDimensions::Lattice(d) => RouteDimensions::Lattice(LatticeDimensions {
                canary_target_group: d.stable_target_group.clone(),
                ..d.clone()
            }),
            RouteDimensions::Lambda(d) => RouteDimensions::Lambda(LambdaDimensions {
                canary_version: d.stable_version.clone(),
                ..d.clone()
            }),
        }
    }
}
