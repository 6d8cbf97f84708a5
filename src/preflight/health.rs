//! `canary-healthy-targets` and `stable-healthy-targets`: each target group has at least
//! `preflight.min_healthy_targets` targets that can serve. The canary must, or its first step
//! fails every request sent to it; the stable one must, because a rollback puts everything on it.
//!
//! What counts, besides `healthy`, as AWS documents the states:
//! - A target group without health checks (a Lambda one by default; on VPC Lattice any one with
//!   `healthCheck.enabled: false`): its targets are `unavailable` (ALB reason
//!   `Target.HealthCheckDisabled`; Lattice UNAVAILABLE, "health checks are unavailable"), which
//!   means "registered, not health-checked", so they count as registered.
//! - A canary target group that no listener rule (Lattice: no service) uses yet, the usual state
//!   of a canary before its first weight: the load balancer does not health-check it, so its
//!   targets are `unused` (ALB reason `Target.NotInUse`; Lattice UNUSED, "target group is not
//!   used in a service"). They count as "registered, not yet health-checked", and the message
//!   says so: checks start with the first weighted write, and the rollout's checks judge the
//!   canary from there. In a target group a load balancer does use, ALB's `Target.NotInUse`
//!   means the target's Availability Zone is not enabled: that target does not count, and the
//!   message says why. The stable target group always serves traffic, so only `healthy` (or
//!   unchecked) counts there.

use super::gather::{Group, Owner, Role, RouteFacts, Target};
use super::{PreflightCheck, CANARY_HEALTHY_TARGETS, STABLE_HEALTHY_TARGETS};
use crate::core::plan::{PreflightKind, PreflightPolicy};

/// Which load balancer reports the states (their reasons differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Alb,
    Lattice,
}

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
    let backend = match facts.owner {
        Owner::LoadBalancer { .. } => Backend::Alb,
        Owner::Service { .. } => Backend::Lattice,
    };
    evaluate(name, group, policy.min_healthy_targets, backend)
}

/// How a target counts toward the minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Serving {
    Healthy,
    /// Its target group has no health checks.
    Unchecked,
    /// Its (canary) target group is used by nothing yet, so nothing checks it yet.
    NotYetChecked,
}

/// The pure judgement of one target group's targets against `min`.
pub fn evaluate(name: PreflightKind, group: &Group, min: u32, backend: Backend) -> PreflightCheck {
    let targets = match &group.targets {
        Ok(targets) => targets,
        Err(why) => {
            return PreflightCheck::fail(
                name,
                format!("cannot read the targets of {}: {why}", group.shown()),
            )
        }
    };
    let counted: Vec<Serving> = targets
        .iter()
        .filter_map(|t| serves(t, group, backend))
        .collect();
    let count = |kind: Serving| counted.iter().filter(|s| **s == kind).count();
    let unchecked_word = match group.info.as_ref().is_ok_and(|i| i.lambda) {
        true => "registered (Lambda, no health checks)",
        false => "registered (no health checks)",
    };
    let mut parts: Vec<String> = [
        (Serving::Healthy, "healthy"),
        (Serving::Unchecked, unchecked_word),
        (Serving::NotYetChecked, "registered, not yet health-checked"),
    ]
    .iter()
    .filter(|(kind, _)| count(*kind) > 0)
    .map(|(kind, word)| format!("{} {word}", count(*kind)))
    .collect();
    if parts.is_empty() {
        let word = match checked(group) {
            true => "healthy",
            false => unchecked_word,
        };
        parts.push(format!("0 {word}"));
    }
    let has = format!("{} has {} target(s)", group.shown(), parts.join(" and "));
    if counted.len() as u64 >= u64::from(min) {
        let note = match count(Serving::NotYetChecked) {
            0 => String::new(),
            _ => format!("; {}", not_yet_checked(backend)),
        };
        return PreflightCheck::pass(name, format!("{has} (at least {min} needed){note}"));
    }
    let listed = match targets.is_empty() {
        true => "no targets are registered".to_string(),
        false => {
            let states: Vec<String> = targets.iter().map(show).collect();
            format!("its targets: {}", states.join(", "))
        }
    };
    let hint = match targets.iter().any(|t| zone_not_enabled(t, group, backend)) {
        true => {
            "; Target.NotInUse in a target group that a load balancer uses means the target's \
             Availability Zone is not enabled for it: enable the zone, or register targets in an \
             enabled one"
        }
        false => "",
    };
    PreflightCheck::fail(
        name,
        format!(
            "{has} but at least {min} are needed ({listed}); register healthy targets in it, or \
             set `preflight: {{ min_healthy_targets: N }}`{hint}"
        ),
    )
}

/// Whether the group's targets are health-checked (unknown counts as checked).
fn checked(group: &Group) -> bool {
    !matches!(&group.info, Ok(info) if !info.health_checks)
}

/// Whether the group is used by no load balancer (Lattice: no service), as far as known.
fn unused_group(group: &Group) -> bool {
    group.info.as_ref().is_ok_and(|i| i.attached_to.is_empty())
}

fn serves(target: &Target, group: &Group, backend: Backend) -> Option<Serving> {
    let not_in_use = match backend {
        Backend::Alb => target.state == "unused" && target.reason.as_deref() == Some(NOT_IN_USE),
        Backend::Lattice => target.state == "unused",
    };
    match target.state.as_str() {
        "healthy" => Some(Serving::Healthy),
        "unavailable" if !checked(group) => Some(Serving::Unchecked),
        _ if not_in_use && group.role == Role::Canary && unused_group(group) => {
            Some(Serving::NotYetChecked)
        }
        _ => None,
    }
}

const NOT_IN_USE: &str = "Target.NotInUse";

/// ALB's `Target.NotInUse` in a target group that a load balancer uses.
fn zone_not_enabled(target: &Target, group: &Group, backend: Backend) -> bool {
    backend == Backend::Alb
        && target.reason.as_deref() == Some(NOT_IN_USE)
        && group.info.as_ref().is_ok_and(|i| !i.attached_to.is_empty())
}

fn not_yet_checked(backend: Backend) -> &'static str {
    match backend {
        Backend::Alb => {
            "not yet health-checked: no listener rule uses the target group yet (unused, \
             Target.NotInUse), so the load balancer starts checking it with the first weighted \
             write, and the rollout's checks judge the canary from there"
        }
        Backend::Lattice => {
            "not yet health-checked: no service routes to the target group yet (UNUSED), so VPC \
             Lattice starts checking it with the first weighted write, and the rollout's checks \
             judge the canary from there"
        }
    }
}

fn show(target: &Target) -> String {
    match &target.reason {
        Some(reason) => format!("{} {} ({reason})", target.id, target.state),
        None => format!("{} {}", target.id, target.state),
    }
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
