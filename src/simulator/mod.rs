//! The emulator's stand-in data plane: publishes the metrics a load balancer would, for an ALB
//! or a VPC Lattice route.
//!
//! The local emulator has no data plane, so nothing produces `AWS/ApplicationELB` or
//! `AWS/VpcLattice` metrics. The simulator plays the load balancer: it reads the live weights of
//! a route ([`weights`]: an ALB rule or listener, or a Lattice rule or listener; [`SimRoute`]
//! for either), splits N requests per second by them ([`split`]), and publishes, per target
//! group, what the backend would report for those requests given each target group's error rate
//! and latency profile ([`publish`], where [`SimBackend`] picks the namespace, metric names and
//! dimensions). [`target`] parses the `traffic-sim` binary's `--target` specs of either backend.
//! Deterministic: no randomness, so tests can assert exact sums.
//!
//! Real CloudWatch refuses `PutMetricData` into `AWS/` namespaces; this is an emulator tool.

pub mod publish;
pub mod route;
pub mod split;
pub mod target;
pub mod weights;

pub use publish::{publish_second, second_counts, SecondCounts};
pub use route::SimRoute;
pub use split::{split_requests, Splitter};
pub use weights::lattice::{lattice_forward_weights, read_lattice_weights, LatticeRouteRef};
pub use weights::{forward_weights, read_weights, RouteRef};

/// Where the simulated traffic's metrics go: the backend's namespace and dimensions.
///
/// - `Alb`: `AWS/ApplicationELB`, dimensions `TargetGroup` + `LoadBalancer` (this
///   `app/<name>/<id>`), latency `TargetResponseTime` in seconds;
/// - `Lattice`: `AWS/VpcLattice`, the single dimension `TargetGroup` (the `tg-…` id), latency
///   `RequestTime` in milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimBackend {
    Alb { load_balancer_dimension: String },
    Lattice,
}

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
    /// The target group's CloudWatch dimension value: `targetgroup/<name>/<id>` (ALB) or the
    /// target group id `tg-…` (VPC Lattice).
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
    #[error("{arn:?} is not {expected}")]
    NotARoute { arn: String, expected: &'static str },
}
