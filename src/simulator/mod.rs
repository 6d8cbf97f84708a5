//! The emulator's stand-in data plane: publishes the metrics a load balancer would, for an ALB
//! or a VPC Lattice route, or the metrics Lambda would for a weighted alias.
//!
//! The local emulator has no data plane, so nothing produces `AWS/ApplicationELB`,
//! `AWS/VpcLattice` or `AWS/Lambda` metrics. The simulator plays the load balancer (or Lambda's
//! alias routing): it reads the live weights of a route ([`weights`]: an ALB rule or listener, a
//! Lattice rule or listener, or a Lambda alias's versions; [`SimRoute`] for any), splits N
//! requests per second by them ([`split`]), and publishes, per target group (per version), what
//! the backend would report for those requests given each target's error rate and latency
//! profile ([`publish`], where [`SimBackend`] picks the namespace, metric names and dimensions).
//! [`target`] parses the `traffic-sim` binary's `--target` specs of every backend, [`args`] its
//! whole command line into a [`Session`], which runs the seconds.
//! Deterministic: no randomness, so tests can assert exact sums.
//!
//! Real CloudWatch refuses `PutMetricData` into `AWS/` namespaces; this is an emulator tool.

pub mod args;
#[cfg(test)]
mod args_tests;
pub mod publish;
pub mod route;
pub mod session;
pub mod split;
pub mod target;
pub mod weights;

pub use args::SimArgs;
pub use publish::{publish_second, second_counts, SecondCounts};
pub use route::SimRoute;
pub use session::{Session, Totals};
pub use split::{split_requests, Splitter};
pub use weights::lambda::{alias_weights, read_lambda_alias_weights, LambdaAliasRef};
pub use weights::lattice::{lattice_forward_weights, read_lattice_weights, LatticeRouteRef};
pub use weights::{forward_weights, read_weights, RouteRef};

/// Where the simulated traffic's metrics go: the backend's namespace and dimensions.
///
/// - `Alb`: `AWS/ApplicationELB`, dimensions `TargetGroup` + `LoadBalancer` (this
///   `app/<name>/<id>`), latency `TargetResponseTime` in seconds;
/// - `Lattice`: `AWS/VpcLattice`, the single dimension `TargetGroup` (the `tg-…` id), latency
///   `RequestTime` in milliseconds;
/// - `Lambda`: `AWS/Lambda`, dimensions `FunctionName` (this `function_name`) + `Resource`
///   (`<function_name>:<alias>`) + `ExecutedVersion` (the target's version), `Invocations`,
///   `Errors`, latency `Duration` in milliseconds; and alias-wide (`FunctionName` +
///   `Resource`) `Invocations` and `Throttles`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimBackend {
    Alb {
        load_balancer_dimension: String,
    },
    Lattice,
    Lambda {
        /// The function's name (not its ARN).
        function_name: String,
        /// The alias the invocations go through, e.g. `live`.
        alias: String,
    },
}

/// How one target group behaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetProfile {
    /// Fraction of requests that fail (0..1), in the way `failure` says.
    pub error_rate: f64,
    /// Median response time, in milliseconds.
    pub latency_ms: f64,
    /// 99th percentile response time, in milliseconds.
    pub p99_ms: f64,
    /// How the failed requests show in the metrics.
    pub failure: Failure,
}

/// How a target's failed requests show in its backend's metrics (`--target …,<failure>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Failure {
    /// The backend's error count: a 5XX response of an ALB or VPC Lattice target
    /// (`HTTPCode_Target_5XX_Count`, `HTTPCode_5XX_Count`), a function error of a Lambda
    /// version (`Errors`).
    #[default]
    Error,
    /// ALB, a target group of Lambda functions: an invocation that failed because of the
    /// function (`LambdaUserError`); the client gets the load balancer's 502, no target 5XX.
    LambdaUserError,
    /// ALB, a target group of Lambda functions: an invocation that failed inside the load
    /// balancer or Lambda (`LambdaInternalError`).
    LambdaInternalError,
    /// A Lambda alias: a request rejected for lack of concurrency before any version ran: in
    /// the alias's `Throttles`, in neither `Invocations` nor `Errors`.
    Throttle,
}

/// A target group the simulator publishes metrics for.
#[derive(Clone, Debug, PartialEq)]
pub struct SimTarget {
    /// The target group's CloudWatch dimension value: `targetgroup/<name>/<id>` (ALB), the
    /// target group id `tg-…` (VPC Lattice), or the version number, e.g. `8` (a Lambda alias's
    /// `ExecutedVersion`).
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
    /// A `traffic-sim` command line that cannot run; the message names the flag to fix.
    #[error("{0}")]
    Usage(String),
}
