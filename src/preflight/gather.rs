//! What the preflight reads from AWS, once, in a backend-neutral shape: the route's two target
//! groups (what they are, what they are attached to) and their registered targets with their
//! health. A call that fails is kept as its error, so one unreadable thing fails the checks that
//! need it and no others.

use crate::aws::Clients;
use crate::traffic::RouteRouter;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Stable,
    Canary,
}

impl Role {
    pub fn word(self) -> &'static str {
        match self {
            Role::Stable => "stable",
            Role::Canary => "canary",
        }
    }
}

/// Where the route lives: what its target groups must belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The listener's load balancer, and its VPC (`None` when it could not be read).
    LoadBalancer { arn: String, vpc: Option<String> },
    /// The VPC Lattice service.
    Service { arn: String, label: String },
}

/// What a target group is, as its Describe/Get answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupInfo {
    /// Lambda targets (ALB target type `lambda`, Lattice type `LAMBDA`).
    pub lambda: bool,
    /// ALB: its load balancers; Lattice: the services that route to it.
    pub attached_to: Vec<String>,
    /// ALB instance/ip target groups: their VPC.
    pub vpc: Option<String>,
    /// Whether health checks are on (ALB: a Lambda target group has them off by default;
    /// Lattice: never for a Lambda one, and `healthCheck.enabled: false` turns them off).
    pub health_checks: bool,
}

/// One registered target and its health as the backend reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Instance id, IP address, or (Lambda) the function's ARN.
    pub id: String,
    /// Lowercase: `healthy`, `unhealthy`, `unavailable`, `initial`, `draining`, `unused`.
    pub state: String,
    pub reason: Option<String>,
}

/// One of the route's target groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub role: Role,
    pub arn: String,
    /// How messages name it (its name or id when known).
    pub label: String,
    pub info: Result<GroupInfo, String>,
    pub targets: Result<Vec<Target>, String>,
}

impl Group {
    /// "canary target group demo-canary".
    pub fn shown(&self) -> String {
        format!("{} target group {}", self.role.word(), self.label)
    }
}

/// The route's owner and its two target groups, stable first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteFacts {
    pub owner: Owner,
    pub groups: Vec<Group>,
    /// `elasticloadbalancing.amazonaws.com` or `vpc-lattice.amazonaws.com`: who invokes a
    /// Lambda target.
    pub invoker: &'static str,
}

impl RouteFacts {
    pub fn group(&self, role: Role) -> Option<&Group> {
        self.groups.iter().find(|g| g.role == role)
    }
}

/// The route's facts; `None` for a route without target groups (a Lambda alias).
pub async fn gather(router: &RouteRouter, clients: &Clients) -> Option<RouteFacts> {
    match router {
        RouteRouter::Alb(router) => {
            Some(super::gather_alb::gather(router.resolved(), clients).await)
        }
        RouteRouter::Lattice(router) => {
            Some(super::gather_lattice::gather(router.resolved(), clients).await)
        }
        RouteRouter::LambdaAlias(_) => None,
    }
}

/// An SDK error as one line with its cause, for messages.
pub fn sdk_error<E: std::error::Error>(operation: &str, error: E) -> String {
    format!(
        "{operation} failed: {}",
        aws_smithy_types::error::display::DisplayErrorContext(error)
    )
}
