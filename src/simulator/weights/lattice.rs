//! The live weights of a VPC Lattice route: a rule's action or a listener's default action.
//!
//! A small, independent read with the simulator's own errors: one `GetRule` (service, listener
//! and rule ids, all taken from the rule ARN by [`arn::ServicePath`]) or one `GetListener`
//! (service and listener ids from the listener ARN). The forward's weights are read by
//! [`forward::target_group_weights`], the same reading the Lattice router uses (a missing weight
//! is AWS's default, 100). A forward may name a target group by id or by ARN; the weights come
//! back by id (`tg-…`), which is also the `TargetGroup` dimension value of its metrics, so one
//! key matches `--target`, the split and the published data.

use crate::simulator::SimulatorError;
use crate::traffic::lattice::{arn, forward};
use aws_sdk_vpclattice::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_vpclattice::types::RuleAction;

const RULE_ARN: &str = "a VPC Lattice rule ARN \
    (arn:aws:vpc-lattice:REGION:ACCOUNT:service/svc-…/listener/listener-…/rule/rule-…)";
const LISTENER_ARN: &str = "a VPC Lattice listener ARN \
    (arn:aws:vpc-lattice:REGION:ACCOUNT:service/svc-…/listener/listener-…)";

/// The VPC Lattice resource whose action carries the weights, by ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LatticeRouteRef {
    /// A listener rule: its `action`.
    Rule(String),
    /// A listener: its `defaultAction`.
    Listener(String),
}

impl LatticeRouteRef {
    pub fn arn(&self) -> &str {
        match self {
            LatticeRouteRef::Rule(arn) | LatticeRouteRef::Listener(arn) => arn,
        }
    }

    /// The ids in the ARN; NotARoute unless it is an ARN of this kind (a listener ARN given as
    /// a rule, say).
    pub fn path(&self) -> Result<arn::ServicePath<'_>, SimulatorError> {
        let parsed = arn::ServicePath::parse(self.arn());
        let (path, expected) = match self {
            LatticeRouteRef::Rule(_) => (parsed.filter(|p| p.is_rule()), RULE_ARN),
            LatticeRouteRef::Listener(_) => (parsed.filter(|p| p.is_listener()), LISTENER_ARN),
        };
        path.ok_or_else(|| SimulatorError::NotARoute {
            arn: self.arn().to_string(),
            expected,
        })
    }
}

/// `(target group id, weight)` of the route's forward action: one GetRule or GetListener.
pub async fn read_lattice_weights(
    client: &aws_sdk_vpclattice::Client,
    route: &LatticeRouteRef,
) -> Result<Vec<(String, u32)>, SimulatorError> {
    let path = route.path()?;
    // `path` checked the kind: a rule ARN has both ids, a listener ARN its listener id.
    let listener_id = path.listener_id.unwrap_or_default();
    let action = match route {
        LatticeRouteRef::Rule(arn) => {
            client
                .get_rule()
                .service_identifier(path.service_id)
                .listener_identifier(listener_id)
                .rule_identifier(path.rule_id.unwrap_or_default())
                .send()
                .await
                .map_err(|e| call_error("GetRule", "rule", arn, &e))?
                .action
        }
        LatticeRouteRef::Listener(arn) => {
            client
                .get_listener()
                .service_identifier(path.service_id)
                .listener_identifier(listener_id)
                .send()
                .await
                .map_err(|e| call_error("GetListener", "listener", arn, &e))?
                .default_action
        }
    };
    lattice_forward_weights(action.as_ref()).ok_or_else(|| SimulatorError::NoForward {
        arn: route.arn().to_string(),
    })
}

/// The weights of a forward action by target group id, if the action is a forward that names
/// a target group (`None` for a fixed response or no action).
pub fn lattice_forward_weights(action: Option<&RuleAction>) -> Option<Vec<(String, u32)>> {
    let Some(RuleAction::Forward(forward)) = action else {
        return None;
    };
    let weights: Vec<(String, u32)> = forward::target_group_weights(forward)
        .into_iter()
        .map(|(identifier, weight)| (target_group_id(&identifier), weight))
        .collect();
    Some(weights).filter(|weights| !weights.is_empty())
}

/// The id of a target group identifier that may be an id or an ARN.
fn target_group_id(identifier: &str) -> String {
    arn::target_group_id(identifier)
        .unwrap_or(identifier)
        .to_string()
}

/// `ResourceNotFoundException` is NotFound (the rule or listener is gone); anything else a
/// failed call.
fn call_error<E, R>(
    operation: &'static str,
    what: &'static str,
    arn: &str,
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> SimulatorError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: std::fmt::Debug,
{
    if err.code() == Some("ResourceNotFoundException") {
        SimulatorError::NotFound {
            what,
            arn: arn.to_string(),
        }
    } else {
        SimulatorError::Call {
            service: "vpc-lattice",
            operation,
            message: DisplayErrorContext(err).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_vpclattice::types::{FixedResponseAction, ForwardAction, WeightedTargetGroup};

    const PREFIX: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:";
    const SERVICE: &str = "service/svc-0123456789abcdef0";
    const LISTENER: &str = "listener/listener-0123456789abcdef1";
    const RULE: &str = "rule/rule-0123456789abcdef2";

    fn group(identifier: &str, weight: Option<i32>) -> WeightedTargetGroup {
        WeightedTargetGroup::builder()
            .target_group_identifier(identifier)
            .set_weight(weight)
            .build()
            .expect("identifier set")
    }

    fn forward_to(groups: Vec<WeightedTargetGroup>) -> RuleAction {
        RuleAction::Forward(
            ForwardAction::builder()
                .set_target_groups(Some(groups))
                .build()
                .expect("target groups set"),
        )
    }

    #[test]
    fn weights_come_back_by_target_group_id_whether_written_by_id_or_arn() {
        let action = forward_to(vec![
            group("tg-00000000000000001", Some(60)),
            group(
                &format!("{PREFIX}targetgroup/tg-00000000000000002"),
                Some(40),
            ),
            group("tg-00000000000000003", None),
        ]);
        assert_eq!(
            lattice_forward_weights(Some(&action)),
            Some(vec![
                ("tg-00000000000000001".to_string(), 60),
                ("tg-00000000000000002".to_string(), 40),
                ("tg-00000000000000003".to_string(), forward::DEFAULT_WEIGHT),
            ])
        );
    }

    #[test]
    fn no_forward_or_an_empty_one_has_no_weights() {
        let fixed = RuleAction::FixedResponse(
            FixedResponseAction::builder()
                .status_code(404)
                .build()
                .expect("status set"),
        );
        assert_eq!(lattice_forward_weights(Some(&fixed)), None);
        assert_eq!(lattice_forward_weights(None), None);
        assert_eq!(lattice_forward_weights(Some(&forward_to(vec![]))), None);
    }

    #[test]
    fn route_arns_give_their_ids_and_the_wrong_kind_is_refused() {
        let rule = format!("{PREFIX}{SERVICE}/{LISTENER}/{RULE}");
        let listener = format!("{PREFIX}{SERVICE}/{LISTENER}");
        let rule_route = LatticeRouteRef::Rule(rule.clone());
        let path = rule_route.path().expect("a rule");
        assert_eq!(
            (path.service_id, path.listener_id, path.rule_id),
            (
                "svc-0123456789abcdef0",
                Some("listener-0123456789abcdef1"),
                Some("rule-0123456789abcdef2")
            )
        );
        let listener_route = LatticeRouteRef::Listener(listener.clone());
        let path = listener_route.path().expect("a listener");
        assert_eq!(path.listener_id, Some("listener-0123456789abcdef1"));
        for wrong in [
            LatticeRouteRef::Rule(listener.clone()),
            LatticeRouteRef::Listener(rule.clone()),
            LatticeRouteRef::Listener(format!("{PREFIX}{SERVICE}")),
            LatticeRouteRef::Rule(
                "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3".into(),
            ),
        ] {
            let err = wrong.path().expect_err("wrong kind");
            assert!(matches!(err, SimulatorError::NotARoute { .. }), "{err}");
            assert!(err.to_string().contains(wrong.arn()), "{err}");
        }
    }
}
