//! The emulator's stand-in data plane: publishes the ALB metrics a load balancer would.
//!
//! The local emulator has no data plane, so nothing produces `AWS/ApplicationELB` metrics.
//! The simulator plays the load balancer: it reads the live weights of a route ([`weights`]),
//! splits N requests per second by them ([`split`]), and publishes, per target group, what the
//! ALB would report for those requests given each target group's error rate and latency
//! profile ([`publish`]). Deterministic: no randomness, so tests can assert exact sums.
//!
//! Real CloudWatch refuses `PutMetricData` into `AWS/` namespaces; this is an emulator tool.

pub mod publish;
pub mod split;
pub mod weights;

pub use publish::{publish_second, second_counts, SecondCounts};
pub use split::{split_requests, Splitter};
pub use weights::{forward_weights, read_weights, RouteRef};

/// How one target group behaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetProfile {
    /// Fraction of requests answered with a 5XX (0..1).
    pub error_rate: f64,
    /// Median response time, in milliseconds.
    pub latency_ms: f64,
    /// 99th percentile response time, in milliseconds.
    pub p99_ms: f64,
}

/// A target group the simulator publishes metrics for.
#[derive(Clone, Debug, PartialEq)]
pub struct SimTarget {
    /// `targetgroup/<name>/<id>`
    pub target_group_dimension: String,
    pub profile: TargetProfile,
}

/// Why the simulator could not read weights or publish.
#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    #[error("{service} {operation} failed: {message}; check the endpoint, region and credentials")]
    Call {
        service: &'static str,
        operation: &'static str,
        message: String,
    },
    #[error("{what} {arn} was not found; check the ARN")]
    NotFound { what: &'static str, arn: String },
    #[error(
        "{arn} has no forward action; point the simulator at a rule or listener that forwards"
    )]
    NoForward { arn: String },
}
