//! Metric sources: "give me these observations over this window".
//!
//! One trait, [`MetricSource`], and its CloudWatch implementation, [`CloudWatchSource`]:
//! - [`templates`] turns each check of the plan into CloudWatch metric queries (builtin queries
//!   from the route's target group dimensions, ALB or VPC Lattice, or a Lambda alias's two
//!   versions, or the playbook's custom query) — pure;
//! - [`batch`] deduplicates the queries of a tick, names them and packs them into as few
//!   `GetMetricData` calls as the 500-query limit allows — pure;
//! - [`aggregate`] reduces the returned datapoints to one [`Observed`] per check — pure;
//! - [`cloudwatch`] makes the calls (`GetMetricData`, `DescribeAlarms`) and counts them.
//!
//! "No data" is an observation (`None` values), never an error: a [`MetricsError`] means the
//! source could not be asked at all, and the tick should be retried.

pub mod aggregate;
pub mod batch;
pub mod cloudwatch;
pub mod history;
pub mod templates;

pub use cloudwatch::CloudWatchSource;
pub use templates::{AlbDimensions, LambdaDimensions, LatticeDimensions, RouteDimensions};

use crate::aws::AwsError;
use crate::core::observe::Observed;
use crate::core::plan::Check;
use crate::core::window::Window;
use std::future::Future;

/// Why a metric source could not answer a tick.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error(
        "cloudwatch {} failed: {}; check the credentials, the region and the endpoint, then \
         retry",
        .0.operation,
        .0.answer()
    )]
    Aws(AwsError),
    #[error(
        "cloudwatch could not answer the query for {metric} ({status}{messages}); retry, or \
         check the namespace, metric name, statistic and dimensions"
    )]
    Query {
        metric: String,
        status: String,
        messages: String,
    },
    #[error(
        "cloudwatch {operation} kept returning a next token after {pages} pages; retry the tick"
    )]
    Pagination {
        operation: &'static str,
        pages: usize,
    },
    #[error(
        "analysis period {seconds}s is not a cloudwatch period; use 1, 5, 10, 30 or a multiple \
         of 60 seconds"
    )]
    Period { seconds: f64 },
    #[error(
        "analysis window is empty (start {start_ms} ms is not before end {end_ms} ms); wait for \
         a full period before observing"
    )]
    EmptyWindow { start_ms: i64, end_ms: i64 },
}

impl MetricsError {
    /// The AWS call that failed, when that is what this is.
    pub fn aws(&self) -> Option<&AwsError> {
        match self {
            MetricsError::Aws(error) => Some(error),
            _ => None,
        }
    }
}

/// A source of observations for the checks of a plan.
pub trait MetricSource {
    /// One Observed per check of the plan, in order. "No data" is Observed with None values,
    /// never an error.
    fn observe(
        &self,
        checks: &[Check],
        window: Window,
    ) -> impl Future<Output = Result<Vec<Observed>, MetricsError>> + Send;
}
