//! `provisioned-concurrency`: when the playbook asks for warm starts (`preflight.warm_starts`),
//! the canary's Lambda alias or version has provisioned concurrency, READY. A canary that
//! cold-starts is judged on latency its users would not see once warm, or the reverse.
//!
//! On a target group route that is each function ARN registered in the canary target group; on
//! a Lambda alias route it is the routed alias itself (GetProvisionedConcurrencyConfig with the
//! function and the alias as qualifier), whose provisioned concurrency serves both versions.

use super::gather::{Role, RouteFacts};
use super::gather_lambda::{Config, FunctionFacts, Read};
use super::{PreflightCheck, PROVISIONED_CONCURRENCY};
use crate::core::plan::PreflightPolicy;
use crate::traffic::lambda_alias::arn::FunctionArn;
use crate::traffic::lambda_alias::ResolvedAlias;

fn not_asked() -> PreflightCheck {
    PreflightCheck::skip(
        PROVISIONED_CONCURRENCY,
        "not asked for (`preflight: { warm_starts: true }` checks it)",
    )
}

pub fn check(
    facts: &RouteFacts,
    policy: &PreflightPolicy,
    functions: &FunctionFacts,
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
        let Some((function, q)) = FunctionArn::parse(arn).and_then(|f| f.pinned()) else {
            problems.push(format!(
                "{arn} is unqualified: provisioned concurrency lives on an alias or a version"
            ));
            continue;
        };
        match judge(functions.concurrency.get(arn), arn, function, q) {
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
pub fn alias_check(
    alias: &ResolvedAlias,
    policy: &PreflightPolicy,
    functions: &FunctionFacts,
) -> PreflightCheck {
    if !policy.warm_starts {
        return not_asked();
    }
    let read = functions.concurrency.get(&alias.alias_arn);
    match judge(read, &alias.alias_arn, &alias.function_arn, &alias.alias) {
        Ok(line) => PreflightCheck::pass(PROVISIONED_CONCURRENCY, line),
        Err(line) => PreflightCheck::fail(PROVISIONED_CONCURRENCY, line),
    }
}

/// The provisioned concurrency read of `function` at `q` (shown as `arn`), judged: the line
/// for a pass, or the failure with what to do.
fn judge(
    read: Option<&Read<Config>>,
    arn: &str,
    function: &str,
    q: &str,
) -> Result<String, String> {
    let config = match read {
        Some(Read::Found(config)) => Ok(config.clone()),
        Some(Read::Missing) => Err(format!(
            "{arn} has no provisioned concurrency; run `aws lambda \
             put-provisioned-concurrency-config --function-name {function} --qualifier {q} \
             --provisioned-concurrent-executions N` and wait for READY"
        )),
        Some(Read::Failed(why)) => Err(format!("{arn}: {why}")),
        None => Err(format!("{arn}: its provisioned concurrency was not read")),
    };
    evaluate(arn, config)
}

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
