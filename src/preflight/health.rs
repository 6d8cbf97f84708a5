//! `canary-healthy-targets` and `stable-healthy-targets`: each target group has at least
//! `preflight.min_healthy_targets` targets that can serve. The canary must, or its first step
//! fails every request sent to it; the stable one must, because a rollback puts everything on it.
//!
//! A Lambda target group has health checks off by default: AWS then reports its function as
//! `unavailable` (ALB reason `Target.HealthCheckDisabled`; Lattice likewise), which means
//! "registered, not health-checked", so it counts as serving there.

use super::gather::{Group, Role, RouteFacts, Target};
use super::{PreflightCheck, CANARY_HEALTHY_TARGETS, STABLE_HEALTHY_TARGETS};
use crate::core::plan::PreflightPolicy;

pub fn check(facts: &RouteFacts, role: Role, policy: &PreflightPolicy) -> PreflightCheck {
    let name = match role {
        Role::Canary => CANARY_HEALTHY_TARGETS,
        Role::Stable => STABLE_HEALTHY_TARGETS,
    };
    let Some(group) = facts.group(role) else {
        return PreflightCheck::fail(
            name,
            format!("the route has no {} target group", role.word()),
        );
    };
    evaluate(name, group, policy.min_healthy_targets)
}

/// The pure judgement of one target group's targets against `min`.
pub fn evaluate(name: &'static str, group: &Group, min: u32) -> PreflightCheck {
    let targets = match &group.targets {
        Ok(targets) => targets,
        Err(why) => {
            return PreflightCheck::fail(
                name,
                format!("cannot read the targets of {}: {why}", group.shown()),
            )
        }
    };
    let unchecked_lambda = group
        .info
        .as_ref()
        .is_ok_and(|info| info.lambda && !info.health_checks);
    let serving = targets
        .iter()
        .filter(|t| serves(t, unchecked_lambda))
        .count();
    let word = if unchecked_lambda {
        "registered (Lambda, no health checks)"
    } else {
        "healthy"
    };
    if serving as u64 >= u64::from(min) {
        return PreflightCheck::pass(
            name,
            format!(
                "{} has {serving} {word} target(s) (at least {min} needed)",
                group.shown()
            ),
        );
    }
    let listed = match targets.is_empty() {
        true => "no targets are registered".to_string(),
        false => {
            let states: Vec<String> = targets.iter().map(show).collect();
            format!("its targets: {}", states.join(", "))
        }
    };
    PreflightCheck::fail(
        name,
        format!(
            "{} has {serving} {word} target(s) but at least {min} are needed ({listed}); register \
             healthy targets in it, or set `preflight: {{ min_healthy_targets: N }}`",
            group.shown()
        ),
    )
}

fn serves(target: &Target, unchecked_lambda: bool) -> bool {
    target.state == "healthy" || (unchecked_lambda && target.state == "unavailable")
}

fn show(target: &Target) -> String {
    match &target.reason {
        Some(reason) => format!("{} {} ({reason})", target.id, target.state),
        None => format!("{} {}", target.id, target.state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::gather::GroupInfo;
    use crate::preflight::Outcome;

    fn target(id: &str, state: &str, reason: Option<&str>) -> Target {
        Target {
            id: id.into(),
            state: state.into(),
            reason: reason.map(str::to_string),
        }
    }

    fn group(lambda: bool, targets: Vec<Target>) -> Group {
        Group {
            role: Role::Canary,
            arn: "arn:tg".into(),
            label: "demo-canary".into(),
            info: Ok(GroupInfo {
                lambda,
                attached_to: Vec::new(),
                vpc: None,
                health_checks: !lambda,
            }),
            targets: Ok(targets),
        }
    }

    #[test]
    fn healthy_targets_are_counted_against_the_minimum() {
        let g = group(
            false,
            vec![
                target("i-1", "healthy", None),
                target("i-2", "unhealthy", Some("Target.Timeout")),
            ],
        );
        assert_eq!(
            evaluate(CANARY_HEALTHY_TARGETS, &g, 1).outcome,
            Outcome::Pass
        );
        let failed = evaluate(CANARY_HEALTHY_TARGETS, &g, 2);
        assert_eq!(failed.outcome, Outcome::Fail);
        assert_eq!(
            failed.message,
            "canary target group demo-canary has 1 healthy target(s) but at least 2 are needed \
             (its targets: i-1 healthy, i-2 unhealthy (Target.Timeout)); register healthy \
             targets in it, or set `preflight: { min_healthy_targets: N }`"
        );
    }

    #[test]
    fn an_empty_group_says_nothing_is_registered() {
        let failed = evaluate(CANARY_HEALTHY_TARGETS, &group(false, Vec::new()), 1);
        assert!(
            failed.message.contains("(no targets are registered)"),
            "{}",
            failed.message
        );
    }

    #[test]
    fn an_unchecked_lambda_function_counts_as_serving() {
        let arn = "arn:aws:lambda:us-east-1:1:function:f:live";
        let g = group(
            true,
            vec![target(
                arn,
                "unavailable",
                Some("Target.HealthCheckDisabled"),
            )],
        );
        let check = evaluate(CANARY_HEALTHY_TARGETS, &g, 1);
        assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
        let g = group(false, vec![target("i-1", "unavailable", None)]);
        assert_eq!(
            evaluate(CANARY_HEALTHY_TARGETS, &g, 1).outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn zero_needed_always_passes() {
        assert_eq!(
            evaluate(STABLE_HEALTHY_TARGETS, &group(false, Vec::new()), 0).outcome,
            Outcome::Pass
        );
    }
}
