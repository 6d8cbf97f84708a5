//! Resolution of the playbook's ALB route (names or ARNs) to verified ARNs, once at start.
//!
//! Names go through DescribeLoadBalancers(Names) → DescribeListeners(LoadBalancerArn, matching
//! the port) → DescribeRules(ListenerArn, matching the priority), and DescribeTargetGroups(Names).
//! ARNs given directly are checked to exist with one Describe each. Both target groups must be
//! attached to the listener's load balancer, or to nothing yet (a canary target group is often
//! attached only by the first weighted write). The same DescribeTargetGroups tells which target
//! groups hold Lambda functions (their failed invocations are errors the metrics must count).

use super::arn;
use crate::aws::error::service::ELBV2;
use crate::core::plan::{AlbRoute, AlbTarget, TargetGroupRef};
use crate::traffic::{aws_error, TrafficError};
use aws_sdk_elasticloadbalancingv2::types::{Listener, Rule, TargetGroup, TargetTypeEnum};
use aws_sdk_elasticloadbalancingv2::Client;

/// The route as verified ARNs. The metrics layer builds CloudWatch dimensions from it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResolvedAlb {
    pub load_balancer_arn: String,
    pub listener_arn: String,
    /// The listener rule carrying the weights; `None` for the listener's default action.
    pub rule_arn: Option<String>,
    pub stable_arn: String,
    pub canary_arn: String,
    /// Whether the stable target group's `TargetType` is `lambda` (read by the
    /// DescribeTargetGroups of resolution): its failed invocations count as errors.
    pub stable_is_lambda: bool,
    /// Whether the canary target group's `TargetType` is `lambda`.
    pub canary_is_lambda: bool,
}

impl ResolvedAlb {
    /// CloudWatch's `LoadBalancer` dimension value, `app/<name>/<id>`. (Resolution guarantees
    /// the ARN parses; an unparsable one would be returned as is.)
    pub fn load_balancer_dimension(&self) -> String {
        arn::load_balancer_dimension(&self.load_balancer_arn)
            .unwrap_or_else(|| self.load_balancer_arn.clone())
    }

    /// CloudWatch's `TargetGroup` dimension value, `targetgroup/<name>/<id>`, of a target group
    /// ARN (usually `stable_arn` or `canary_arn`); an unparsable ARN is returned as is.
    pub fn target_group_dimension(&self, target_group_arn: &str) -> String {
        arn::target_group_dimension(target_group_arn)
            .unwrap_or_else(|| target_group_arn.to_string())
    }

    /// The resource whose actions carry the weights, for messages: "rule arn:…" or
    /// "listener arn:… (default action)".
    pub fn resource(&self) -> String {
        match &self.rule_arn {
            Some(rule) => format!("rule {rule}"),
            None => format!("listener {} (default action)", self.listener_arn),
        }
    }
}

/// Resolves and verifies `route`. Costs 3–6 Describe calls, once per run.
pub(super) async fn resolve(
    client: &Client,
    route: &AlbRoute,
) -> Result<ResolvedAlb, TrafficError> {
    let (load_balancer_arn, listener_arn, rule_arn) = match &route.target {
        AlbTarget::ListenerArn(listener_arn) => {
            let listener_arn = listener_arn.as_str();
            let listener = listener_by_arn(client, listener_arn).await?;
            let load_balancer_arn = listener
                .load_balancer_arn
                .or_else(|| arn::load_balancer_arn(listener_arn))
                .ok_or_else(|| not_an_arn("listener", listener_arn))?;
            (load_balancer_arn, listener_arn.to_string(), None)
        }
        AlbTarget::Listener {
            load_balancer,
            port,
        } => {
            let load_balancer_arn = load_balancer_by_name(client, load_balancer).await?;
            let listener =
                listener_by_port(client, load_balancer, &load_balancer_arn, *port).await?;
            (load_balancer_arn, listener, None)
        }
        AlbTarget::RuleArn(rule_arn) => {
            let rule_arn = rule_arn.as_str();
            let rule = rule_by_arn(client, rule_arn).await?;
            let listener_arn =
                arn::listener_arn(rule_arn).ok_or_else(|| not_an_arn("listener rule", rule_arn))?;
            let load_balancer_arn = arn::load_balancer_arn(rule_arn)
                .ok_or_else(|| not_an_arn("listener rule", rule_arn))?;
            // The default rule is the listener's default action, changed through ModifyListener.
            let rule_arn = (rule.is_default != Some(true)).then(|| rule_arn.to_string());
            (load_balancer_arn, listener_arn, rule_arn)
        }
        AlbTarget::Rule {
            load_balancer,
            port,
            priority,
        } => {
            let load_balancer_arn = load_balancer_by_name(client, load_balancer).await?;
            let listener =
                listener_by_port(client, load_balancer, &load_balancer_arn, *port).await?;
            let rule = rule_by_priority(client, &listener, *priority).await?;
            (load_balancer_arn, listener, Some(rule))
        }
    };

    let stable = target_group(client, &route.stable, "stable").await?;
    let canary = target_group(client, &route.canary, "canary").await?;
    let stable_arn = stable.target_group_arn.clone().unwrap_or_default();
    let canary_arn = canary.target_group_arn.clone().unwrap_or_default();
    if stable_arn == canary_arn {
        return Err(TrafficError::Ambiguous {
            what: format!(
                "stable and canary are the same target group {stable_arn}: give the canary its \
                 own target group"
            ),
        });
    }
    check_attached(&stable, &stable_arn, &load_balancer_arn)?;
    check_attached(&canary, &canary_arn, &load_balancer_arn)?;

    Ok(ResolvedAlb {
        load_balancer_arn,
        listener_arn,
        rule_arn,
        stable_arn,
        canary_arn,
        stable_is_lambda: is_lambda(&stable),
        canary_is_lambda: is_lambda(&canary),
    })
}

/// Whether the target group's targets are Lambda functions.
fn is_lambda(group: &TargetGroup) -> bool {
    group.target_type == Some(TargetTypeEnum::Lambda)
}

fn not_an_arn(kind: &str, value: &str) -> TrafficError {
    TrafficError::NotFound {
        what: format!("{kind} \"{value}\" (not a {kind} ARN)"),
    }
}

async fn load_balancer_by_name(client: &Client, name: &str) -> Result<String, TrafficError> {
    let what = || TrafficError::NotFound {
        what: format!("load balancer \"{name}\""),
    };
    let out = client
        .describe_load_balancers()
        .names(name)
        .send()
        .await
        .map_err(|e| {
            let missing = e
                .as_service_error()
                .is_some_and(|s| s.is_load_balancer_not_found_exception());
            if missing {
                what()
            } else {
                aws_error(
                    ELBV2,
                    "DescribeLoadBalancers",
                    &format!("load balancer \"{name}\""),
                    &e,
                )
            }
        })?;
    match out.load_balancers() {
        [one] => one.load_balancer_arn.clone().ok_or_else(what),
        [] => Err(what()),
        many => Err(TrafficError::Ambiguous {
            what: format!("{} load balancers are named \"{name}\"", many.len()),
        }),
    }
}

pub(crate) async fn listener_by_arn(
    client: &Client,
    listener_arn: &str,
) -> Result<Listener, TrafficError> {
    if arn::listener_arn(listener_arn).as_deref() != Some(listener_arn) {
        return Err(not_an_arn("listener", listener_arn));
    }
    let what = || TrafficError::NotFound {
        what: format!("listener {listener_arn}"),
    };
    let out = client
        .describe_listeners()
        .listener_arns(listener_arn)
        .send()
        .await
        .map_err(|e| {
            let missing = e
                .as_service_error()
                .is_some_and(|s| s.is_listener_not_found_exception());
            if missing {
                what()
            } else {
                aws_error(
                    ELBV2,
                    "DescribeListeners",
                    &format!("listener {listener_arn}"),
                    &e,
                )
            }
        })?;
    out.listeners
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(what)
}

/// The ARN of the load balancer's listener on `port` (DescribeListeners, all pages).
async fn listener_by_port(
    client: &Client,
    load_balancer: &str,
    load_balancer_arn: &str,
    port: u16,
) -> Result<String, TrafficError> {
    let mut ports = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = client
            .describe_listeners()
            .load_balancer_arn(load_balancer_arn)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| aws_error(ELBV2, "DescribeListeners", load_balancer_arn, &e))?;
        for listener in out.listeners() {
            if listener.port() == Some(i32::from(port)) {
                if let Some(arn) = listener.listener_arn() {
                    return Ok(arn.to_string());
                }
            }
            ports.extend(listener.port());
        }
        match out.next_marker {
            Some(next) if !next.is_empty() => marker = Some(next),
            _ => break,
        }
    }
    ports.sort_unstable();
    let has = if ports.is_empty() {
        "it has no listeners".to_string()
    } else {
        let list: Vec<String> = ports.iter().map(i32::to_string).collect();
        format!("it has listeners on ports {}", list.join(", "))
    };
    Err(TrafficError::NotFound {
        what: format!("listener on port {port} of load balancer \"{load_balancer}\" ({has})"),
    })
}

pub(crate) async fn rule_by_arn(client: &Client, rule_arn: &str) -> Result<Rule, TrafficError> {
    if arn::listener_arn(rule_arn).is_none() || !rule_arn.contains(":listener-rule/") {
        return Err(not_an_arn("listener rule", rule_arn));
    }
    let what = || TrafficError::NotFound {
        what: format!("listener rule {rule_arn}"),
    };
    let out = client
        .describe_rules()
        .rule_arns(rule_arn)
        .send()
        .await
        .map_err(|e| {
            let missing = e
                .as_service_error()
                .is_some_and(|s| s.is_rule_not_found_exception());
            if missing {
                what()
            } else {
                aws_error(ELBV2, "DescribeRules", &format!("rule {rule_arn}"), &e)
            }
        })?;
    out.rules
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(what)
}

/// The ARN of the listener's rule with `priority` (DescribeRules, all pages).
async fn rule_by_priority(
    client: &Client,
    listener_arn: &str,
    priority: u32,
) -> Result<String, TrafficError> {
    let wanted = priority.to_string();
    let mut priorities = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = client
            .describe_rules()
            .listener_arn(listener_arn)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    ELBV2,
                    "DescribeRules",
                    &format!("listener {listener_arn}"),
                    &e,
                )
            })?;
        for rule in out.rules() {
            if rule.priority() == Some(wanted.as_str()) {
                if let Some(arn) = rule.rule_arn() {
                    return Ok(arn.to_string());
                }
            }
            priorities.extend(rule.priority().map(str::to_string));
        }
        match out.next_marker {
            Some(next) if !next.is_empty() => marker = Some(next),
            _ => break,
        }
    }
    let has = if priorities.is_empty() {
        "it has no rules".to_string()
    } else {
        format!("its rules have priorities {}", priorities.join(", "))
    };
    Err(TrafficError::NotFound {
        what: format!("rule with priority {priority} on listener {listener_arn} ({has})"),
    })
}

pub(crate) async fn target_group(
    client: &Client,
    reference: &TargetGroupRef,
    role: &str,
) -> Result<TargetGroup, TrafficError> {
    let (request, shown) = match reference {
        TargetGroupRef::Name(name) => (
            client.describe_target_groups().names(name),
            format!("{role} target group \"{name}\""),
        ),
        TargetGroupRef::Arn(tg_arn) => {
            let tg_arn = tg_arn.as_str();
            if arn::target_group_dimension(tg_arn).is_none() {
                return Err(not_an_arn(&format!("{role} target group"), tg_arn));
            }
            (
                client.describe_target_groups().target_group_arns(tg_arn),
                format!("{role} target group {tg_arn}"),
            )
        }
    };
    let what = || TrafficError::NotFound {
        what: shown.clone(),
    };
    let out = request.send().await.map_err(|e| {
        let missing = e
            .as_service_error()
            .is_some_and(|s| s.is_target_group_not_found_exception());
        if missing {
            what()
        } else {
            aws_error(ELBV2, "DescribeTargetGroups", &shown, &e)
        }
    })?;
    let mut groups = out.target_groups.unwrap_or_default();
    match groups.len() {
        1 if groups[0].target_group_arn.is_some() => Ok(groups.remove(0)),
        0 | 1 => Err(what()),
        n => Err(TrafficError::Ambiguous {
            what: format!("{n} target groups match the {shown}"),
        }),
    }
}

/// A target group must serve the listener's load balancer, or nothing yet.
fn check_attached(
    group: &TargetGroup,
    group_arn: &str,
    load_balancer_arn: &str,
) -> Result<(), TrafficError> {
    let attached = group.load_balancer_arns();
    if attached.is_empty() || attached.iter().any(|a| a == load_balancer_arn) {
        return Ok(());
    }
    Err(TrafficError::WrongLoadBalancer {
        target_group: group_arn.to_string(),
        load_balancer: load_balancer_arn.to_string(),
        attached_to: attached.join(", "),
    })
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
