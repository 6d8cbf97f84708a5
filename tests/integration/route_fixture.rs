//! One trait over the emulator fixtures of every backend, so a behaviour that must hold for
//! every route (starting from an existing split, a rollout, a rollback) is written once and run
//! on each: [`for_backends!`] turns `async fn name(backend: Backend)` into one test per backend.

use crate::emulator::{
    demo_alb, demo_alb_lambda, demo_lambda, demo_lattice, DemoAlb, DemoLambda, DemoLattice,
};

/// A route in the emulator that a playbook can name.
pub trait RouteFixture: Send + Sync {
    /// A playbook named `name` on this route, followed by `rest` (steps, analysis, checks).
    fn playbook(&self, name: &str, rest: &str) -> String;

    /// The ARN of the resource whose forward carries the weights (and whose tags keep the
    /// deployment record).
    fn resource_arn(&self) -> String;
}

impl RouteFixture for DemoAlb {
    fn playbook(&self, name: &str, rest: &str) -> String {
        DemoAlb::playbook(self, name, rest)
    }

    fn resource_arn(&self) -> String {
        self.listener_arn.clone()
    }
}

impl RouteFixture for DemoLattice {
    fn playbook(&self, name: &str, rest: &str) -> String {
        DemoLattice::playbook(self, name, rest)
    }

    fn resource_arn(&self) -> String {
        self.listener_arn.clone()
    }
}

impl RouteFixture for DemoLambda {
    fn playbook(&self, name: &str, rest: &str) -> String {
        format!(
            "name: {name}\nroute:\n  lambda_alias:\n    function: {}\n    alias: {}\n    canary_version: \"{}\"\n{rest}",
            self.function_arn, self.alias, self.canary_version
        )
    }

    fn resource_arn(&self) -> String {
        self.alias_arn.clone()
    }
}

/// An ALB listener rule at priority 10 (`path-pattern /api/*`) forwarding to the stable
/// target group, on a fresh [`DemoAlb`]: the route is the rule, not the default action.
pub struct OnAlbRule {
    pub alb: DemoAlb,
    pub rule_arn: String,
}

impl OnAlbRule {
    async fn new(alb: DemoAlb) -> OnAlbRule {
        use aws_sdk_elasticloadbalancingv2::types::{
            Action, ActionTypeEnum, PathPatternConditionConfig, RuleCondition,
        };
        let clients = canary_deploy::aws::Clients::new(&crate::emulator::sdk_config().await);
        let path = PathPatternConditionConfig::builder()
            .values("/api/*")
            .build();
        let out = clients
            .elbv2
            .create_rule()
            .listener_arn(&alb.listener_arn)
            .priority(10)
            .conditions(
                RuleCondition::builder()
                    .field("path-pattern")
                    .path_pattern_config(path)
                    .build(),
            )
            .actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Forward)
                    .target_group_arn(&alb.stable_arn)
                    .build(),
            )
            .send()
            .await
            .expect("CreateRule for the route");
        let rule_arn = out.rules.unwrap_or_default()[0]
            .rule_arn
            .clone()
            .expect("the rule's ARN");
        OnAlbRule { alb, rule_arn }
    }
}

impl RouteFixture for OnAlbRule {
    fn playbook(&self, name: &str, rest: &str) -> String {
        format!(
            "name: {name}\nroute:\n  alb:\n    rule: {}\n    stable: {}\n    canary: {}\n{rest}",
            self.rule_arn, self.alb.stable_arn, self.alb.canary_arn
        )
    }

    fn resource_arn(&self) -> String {
        self.rule_arn.clone()
    }
}

/// The Lattice fixture's rule rather than its listener's default action.
pub struct OnRule(pub DemoLattice);

impl RouteFixture for OnRule {
    fn playbook(&self, name: &str, rest: &str) -> String {
        self.0.playbook_on_rule(name, rest)
    }

    fn resource_arn(&self) -> String {
        self.0.rule_arn.clone()
    }
}

/// The kinds of route a behaviour is tested on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An ALB listener's default action.
    Alb,
    /// An ALB listener's default action whose target groups hold Lambda functions.
    AlbLambda,
    /// An ALB listener rule (priority 10, a path pattern).
    AlbRule,
    /// A VPC Lattice listener's default action.
    Lattice,
    /// A VPC Lattice listener rule (with a path and a header match).
    LatticeRule,
    /// A Lambda alias shifting invocations from one published version to another.
    LambdaAlias,
}

impl Backend {
    /// A fresh fixture of this backend; `name` must be unique per test (and 3–30 characters of
    /// a-z, 0-9 and single hyphens).
    pub async fn fixture(self, name: &str) -> Box<dyn RouteFixture> {
        match self {
            Backend::Alb => Box::new(demo_alb(name).await),
            Backend::AlbLambda => Box::new(demo_alb_lambda(name).await),
            Backend::AlbRule => Box::new(OnAlbRule::new(demo_alb(name).await).await),
            Backend::Lattice => Box::new(demo_lattice(&format!("lat-{name}"), None).await),
            Backend::LatticeRule => {
                Box::new(OnRule(demo_lattice(&format!("latr-{name}"), None).await))
            }
            Backend::LambdaAlias => {
                // A fresh function name per fixture, even if two tests share a name.
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Box::new(demo_lambda(&format!("lam{n}-{name}")).await)
            }
        }
    }
}

/// `for_backends!(alb => Alb, lattice => Lattice; [test_a, test_b])` makes, for each
/// `module => Backend` pair, a module of `#[tokio::test]`s calling `test_a(Backend::Alb)`…
macro_rules! for_backends {
    ($($module:ident => $backend:ident),+ ; $tests:tt) => {
        $( crate::route_fixture::for_backends!(@one $module $backend $tests); )+
    };
    (@one $module:ident $backend:ident [$($test:ident),* $(,)?]) => {
        mod $module {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(crate::route_fixture::Backend::$backend).await
                }
            )*
        }
    };
}
pub(crate) use for_backends;
