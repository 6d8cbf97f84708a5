//! `provisioned-concurrency`: when the playbook asks for warm starts (`preflight.warm_starts`),
//! the canary's Lambda alias or version has provisioned concurrency, READY. A canary that
//! cold-starts is judged on latency its users would not see once warm, or the reverse.
//!
//! On a target group route that is each function ARN registered in the canary target group; on
//! a Lambda alias route it is the routed alias itself (GetProvisionedConcurrencyConfig with the
//! function and the alias as qualifier), whose provisioned concurrency serves both versions.

use super::gather::{sdk_error, Role, RouteFacts};
use super::{PreflightCheck, PROVISIONED_CONCURRENCY};
use crate::aws::Clients;
use crate::core::plan::PreflightPolicy;
use crate::traffic::lambda_alias::arn::FunctionArn;
use crate::traffic::lambda_alias::ResolvedAlias;

fn not_asked() -> PreflightCheck {
    PreflightCheck::skip(
        PROVISIONED_CONCURRENCY,
        "not asked for (`preflight: { warm_starts: true }` checks it)",
    )
}

pub async fn check(
    facts: &RouteFacts,
    policy: &PreflightPolicy,
    clients: &Clients,
) -> PreflightCheck {
    if !policy.warm_starts {
        return not_asked();
    }
    let Some(canary) = facts.group(Role::Canary) else {
        return PreflightCheck::fail(
            PROVISIONED_CONCURRENCY,
            "the route has no canary target group",
        );
    };
    if !canary.info.as_ref().is_ok_and(|i| i.lambda) {
        return PreflightCheck::fail(
            PROVISIONED_CONCURRENCY,
            format!(
                "`warm_starts: true` needs a Lambda canary, but {} is not a Lambda target group; \
                 remove `warm_starts`",
                canary.shown()
            ),
        );
    }
    let arns: Vec<&str> = canary
        .targets
        .iter()
        .flatten()
        .map(|t| t.id.as_str())
        .collect();
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for arn in arns {
        let parsed = FunctionArn::parse(arn);
        let Some((function, q)) = parsed
            .and_then(|f| Some((f.unqualified, f.qualifier?)))
            .filter(|(_, q)| *q != "$LATEST")
        else {
            problems.push(format!(
                "{arn} is unqualified: provisioned concurrency lives on an alias or a version"
            ));
            continue;
        };
        match judge(clients, arn, function, q).await {
            Ok(line) => good.push(line),
            Err(line) => problems.push(line),
        }
    }
    match (problems.is_empty(), good.is_empty()) {
        (true, false) => PreflightCheck::pass(PROVISIONED_CONCURRENCY, good.join("; ")),
        (true, true) => PreflightCheck::fail(
            PROVISIONED_CONCURRENCY,
            format!("{} has no registered function", canary.shown()),
        ),
        (false, _) => PreflightCheck::fail(PROVISIONED_CONCURRENCY, problems.join("; ")),
    }
}

/// The check on a Lambda alias route: the routed alias's provisioned concurrency.
pub async fn alias_check(
    alias: &ResolvedAlias,
    policy: &PreflightPolicy,
    clients: &Clients,
) -> PreflightCheck {
    if !policy.warm_starts {
        return not_asked();
    }
    match judge(clients, &alias.alias_arn, &alias.function_arn, &alias.alias).await {
        Ok(line) => PreflightCheck::pass(PROVISIONED_CONCURRENCY, line),
        Err(line) => PreflightCheck::fail(PROVISIONED_CONCURRENCY, line),
    }
}

/// GetProvisionedConcurrencyConfig of `function` at `q` (shown as `arn`), judged: the line
/// for a pass, or the failure with what to do.
async fn judge(clients: &Clients, arn: &str, function: &str, q: &str) -> Result<String, String> {
    let answer = clients
        .lambda
        .get_provisioned_concurrency_config()
        .function_name(function)
        .qualifier(q)
        .send()
        .await;
    let status = match answer {
        Ok(out) => Ok((
            out.status.map(|s| s.as_str().to_string()),
            out.status_reason,
            out.allocated_provisioned_concurrent_executions,
        )),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_provisioned_concurrency_config_not_found_exception()) =>
        {
            Err(format!(
                "{arn} has no provisioned concurrency; run `aws lambda \
                 put-provisioned-concurrency-config --function-name {function} --qualifier \
                 {q} --provisioned-concurrent-executions N` and wait for READY"
            ))
        }
        Err(e) => Err(format!(
            "{arn}: {}",
            sdk_error("GetProvisionedConcurrencyConfig", e)
        )),
    };
    evaluate(arn, status)
}

/// A provisioned-concurrency config as GetProvisionedConcurrencyConfig answers it: status,
/// status reason, allocated executions.
pub type Config = (Option<String>, Option<String>, Option<i32>);

/// The pure judgement of one config, or of the lookup's failure.
pub fn evaluate(arn: &str, config: Result<Config, String>) -> Result<String, String> {
    let (status, reason, allocated) = config?;
    match status.as_deref() {
        Some("READY") => Ok(format!(
            "{arn}: provisioned concurrency READY ({} allocated)",
            allocated.unwrap_or_default()
        )),
        other => Err(format!(
            "{arn}: provisioned concurrency is {}{}, not READY; wait for it (or remove \
             `warm_starts`)",
            other.unwrap_or("unknown"),
            reason.map_or(String::new(), |r| format!(" ({r})"))
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:1:function:f:live";

    #[test]
    fn only_ready_passes() {
        let ready = evaluate(ARN, Ok((Some("READY".into()), None, Some(5))));
        assert_eq!(
            ready,
            Ok(format!(
                "{ARN}: provisioned concurrency READY (5 allocated)"
            ))
        );
        let pending = evaluate(
            ARN,
            Ok((Some("IN_PROGRESS".into()), Some("allocating".into()), None)),
        );
        assert_eq!(
            pending,
            Err(format!(
                "{ARN}: provisioned concurrency is IN_PROGRESS (allocating), not READY; wait for \
                 it (or remove `warm_starts`)"
            ))
        );
        assert_eq!(evaluate(ARN, Err("none".into())), Err("none".into()));
    }
}
