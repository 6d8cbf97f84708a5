//! The Lambda target checks, for a target group whose target is a function.
//!
//! `lambda-qualified-arn`: the registered ARN names an alias or a version. An unqualified ARN
//! (or `:$LATEST`) runs whatever was deployed last, so the canary changes under the analysis.
//!
//! `lambda-invoke-permission`: the function's resource policy (for that qualifier) lets the
//! load balancer's service principal invoke it, scoped with an `AWS:SourceArn` condition to that
//! target group: AWS's confused-deputy advice, and what a rollback to the stable group needs.

use super::gather::{Group, RouteFacts};
use super::gather_lambda::{FunctionFacts, Read};
use super::{PreflightCheck, LAMBDA_INVOKE_PERMISSION, LAMBDA_QUALIFIED_ARN};
use crate::traffic::lambda_alias::arn::FunctionArn;
use serde_json::Value;

/// The function ARNs registered in each Lambda target group of the route.
fn lambda_targets(facts: &RouteFacts) -> Vec<(&Group, Vec<&str>)> {
    facts
        .groups
        .iter()
        .filter(|g| g.info.as_ref().is_ok_and(|i| i.lambda))
        .map(|g| {
            let ids = g.targets.iter().flatten().map(|t| t.id.as_str()).collect();
            (g, ids)
        })
        .collect()
}

const NOT_LAMBDA: &str = "not applicable: no Lambda target group on this route";

pub fn qualified_check(facts: &RouteFacts) -> PreflightCheck {
    let groups = lambda_targets(facts);
    if groups.is_empty() {
        return PreflightCheck::skip(LAMBDA_QUALIFIED_ARN, NOT_LAMBDA);
    }
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for (group, arns) in groups {
        for arn in arns {
            let parsed = FunctionArn::parse(arn);
            match parsed.as_ref().and_then(|f| f.qualifier) {
                Some(q) if q != "$LATEST" => good.push(format!("{} → {arn}", group.shown())),
                _ => {
                    let function = parsed.map_or(arn, |f| f.unqualified);
                    problems.push(format!(
                        "{} registers {arn}, which runs $LATEST (a moving target); register an \
                         alias or version ARN instead ({function}:live or {function}:<version>)",
                        group.shown(),
                    ))
                }
            }
        }
    }
    match problems.is_empty() {
        true => PreflightCheck::pass(LAMBDA_QUALIFIED_ARN, good.join("; ")),
        false => PreflightCheck::fail(LAMBDA_QUALIFIED_ARN, problems.join("; ")),
    }
}

pub fn permission_check(facts: &RouteFacts, functions: &FunctionFacts) -> PreflightCheck {
    let groups = lambda_targets(facts);
    if groups.is_empty() {
        return PreflightCheck::skip(LAMBDA_INVOKE_PERMISSION, NOT_LAMBDA);
    }
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for (group, arns) in groups {
        for arn in arns {
            let policy = match functions.policies.get(arn) {
                Some(Read::Found(policy)) => policy.as_str(),
                Some(Read::Missing) => "",
                Some(Read::Failed(why)) => {
                    problems.push(format!("{}: {why}", group.shown()));
                    continue;
                }
                None => {
                    problems.push(format!("{}: {arn}'s policy was not read", group.shown()));
                    continue;
                }
            };
            match judge_policy(policy, facts.invoker, &group.arn) {
                Ok(()) => good.push(format!(
                    "{arn} lets {} invoke it from {}",
                    facts.invoker,
                    group.shown()
                )),
                Err(why) => problems.push(format!(
                    "{arn} (the {}): {why}; run `aws lambda add-permission --function-name {arn} \
                     --statement-id {} --action lambda:InvokeFunction --principal {} \
                     --source-arn {}`",
                    group.shown(),
                    statement_id(facts.invoker),
                    facts.invoker,
                    group.arn
                )),
            }
        }
    }
    match problems.is_empty() {
        true => PreflightCheck::pass(LAMBDA_INVOKE_PERMISSION, good.join("; ")),
        false => PreflightCheck::fail(LAMBDA_INVOKE_PERMISSION, problems.join("; ")),
    }
}

fn statement_id(invoker: &str) -> &'static str {
    match invoker.starts_with("vpc-lattice") {
        true => "vpc-lattice",
        false => "elb",
    }
}

/// Whether the resource policy `policy` (GetPolicy's JSON; empty: none) allows `principal` to
/// invoke the function with `AWS:SourceArn` scoped to `source_arn`.
pub fn judge_policy(policy: &str, principal: &str, source_arn: &str) -> Result<(), String> {
    if policy.trim().is_empty() {
        return Err("the function has no resource policy".to_string());
    }
    let doc: Value =
        serde_json::from_str(policy).map_err(|e| format!("its policy is not JSON ({e})"))?;
    let statements = match &doc["Statement"] {
        Value::Array(items) => items.clone(),
        one @ Value::Object(_) => vec![one.clone()],
        _ => Vec::new(),
    };
    let invokers: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Effect"] == "Allow" && allows_principal(&s["Principal"], principal))
        .filter(|s| {
            any_of(&s["Action"], |a| {
                matches!(a, "lambda:InvokeFunction" | "lambda:*" | "*")
            })
        })
        .collect();
    if invokers.is_empty() {
        return Err(format!(
            "its resource policy does not let {principal} invoke it"
        ));
    }
    if invokers
        .iter()
        .any(|s| scoped_to(&s["Condition"], source_arn))
    {
        return Ok(());
    }
    Err(format!(
        "its resource policy lets {principal} invoke it without an `AWS:SourceArn` condition \
         naming this target group (AWS's confused-deputy advice: scope it to the target group)"
    ))
}

fn allows_principal(value: &Value, principal: &str) -> bool {
    match value {
        Value::String(s) => s == "*" || s == principal,
        Value::Object(map) => map
            .get("Service")
            .is_some_and(|v| any_of(v, |s| s == principal)),
        _ => false,
    }
}

fn scoped_to(condition: &Value, source_arn: &str) -> bool {
    let Value::Object(operators) = condition else {
        return false;
    };
    operators.iter().any(|(operator, keys)| {
        let exact = matches!(operator.as_str(), "ArnEquals" | "StringEquals");
        let like = matches!(operator.as_str(), "ArnLike" | "StringLike");
        let Value::Object(keys) = keys else {
            return false;
        };
        keys.iter().any(|(key, value)| {
            key.eq_ignore_ascii_case("aws:SourceArn")
                && any_of(value, |v| {
                    (exact || like) && (v == source_arn || (like && glob(v, source_arn)))
                })
        })
    })
}

/// IAM's `*` and `?` wildcards (ArnLike/StringLike).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(&p, &t)
}

fn any_of(value: &Value, test: impl Fn(&str) -> bool) -> bool {
    match value {
        Value::String(s) => test(s),
        Value::Array(items) => items.iter().filter_map(Value::as_str).any(test),
        _ => false,
    }
}

#[cfg(test)]
#[path = "lambda_tests.rs"]
mod tests;
