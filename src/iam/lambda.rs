//! The Lambda grants: a Lambda alias route's own calls, and the preflight's reads of the Lambda
//! functions registered behind an ALB's or a Lattice service's target groups.
//!
//! Lambda authorizes an action on a function by the ARN the call names: the function's, or a
//! version's or an alias's (`function:NAME:QUALIFIER`), "restricted to a specific function by
//! function, version, or alias ARN"
//! (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html>). So each
//! grant is on the ARN its call names:
//! - alias route, resolution: GetAlias on the alias, GetFunctionConfiguration on each version
//!   (the preflight's `lambda-alias-versions` judges those answers); read GetAlias, write
//!   UpdateAlias (alias); the record ListTags, TagResource and UntagResource on the unqualified
//!   function (Lambda tags functions, not aliases);
//! - alias route, preflight with `warm_starts`: GetProvisionedConcurrencyConfig on the alias;
//! - target groups, preflight: GetPolicy on each registered function ARN as registered
//!   (`lambda-invoke-permission`), and with `warm_starts` GetProvisionedConcurrencyConfig on
//!   the canary group's qualified ARNs (`provisioned-concurrency`). A check the playbook skips
//!   makes no call and gets no grant.
//!
//! The alias calls are also granted on the unqualified function ARN: which of the two IAM
//! matches for an alias action is not spelled out per action, and both name one function.

use super::grants::{grant, RouteGrants, Scope};
use super::{Grant, TargetFunction};
use crate::core::plan::{LambdaAliasRoute, Plan, PreflightKind};
use crate::preflight::{LAMBDA_INVOKE_PERMISSION, PROVISIONED_CONCURRENCY};
use crate::traffic::lambda_alias::arn::FunctionArn;
use crate::traffic::lambda_alias::ResolvedAlias;

fn lambda(action: &str) -> String {
    format!("lambda:{action}")
}

/// Whether the plan's preflight runs `name` (its playbook does not skip it).
fn runs(plan: &Plan, name: PreflightKind) -> bool {
    !plan.preflight.skip.contains(&name)
}

/// A Lambda alias route: exact ARNs when resolved or when the playbook gives the function's
/// ARN and both versions, patterns otherwise.
pub(super) fn alias_route(
    plan: &Plan,
    route: &LambdaAliasRoute,
    resolved: Option<&ResolvedAlias>,
) -> RouteGrants {
    let function = match resolved {
        Some(resolved) => resolved.function_arn.clone(),
        None if route.function.starts_with("arn:") => route.function.clone(),
        None => format!("arn:aws:lambda:*:*:function:{}", route.function),
    };
    let alias = format!("{function}:{}", route.alias);
    let versions = match resolved {
        Some(resolved) => vec![resolved.stable_arn(), resolved.canary_arn()],
        None => {
            let stable = route.stable_version.as_deref().unwrap_or("*");
            vec![
                format!("{function}:{stable}"),
                format!("{function}:{}", route.canary_version),
            ]
        }
    };
    let mut grants = Vec::new();
    for resource in [&alias, &function] {
        grants.push(grant("ReadAlias", &lambda("GetAlias"), resource));
        grants.push(grant("WriteWeights", &lambda("UpdateAlias"), resource));
    }
    for version in &versions {
        grants.push(grant(
            "ReadVersions",
            &lambda("GetFunctionConfiguration"),
            version,
        ));
    }
    if plan.preflight.warm_starts && runs(plan, PROVISIONED_CONCURRENCY) {
        grants.push(grant(
            "Preflight",
            &lambda("GetProvisionedConcurrencyConfig"),
            &alias,
        ));
    }
    let record = vec![
        grant("ReadDeploymentRecord", &lambda("ListTags"), &function),
        grant("WriteDeploymentRecord", &lambda("TagResource"), &function),
        grant("WriteDeploymentRecord", &lambda("UntagResource"), &function),
    ];
    RouteGrants {
        grants,
        record,
        scope: Scope::of(&[&function]),
    }
}

/// The preflight's calls on the functions behind the route's target groups: exactly those
/// `functions` when the route was resolved (`Some`), else a pattern on every function of the
/// route's region and account, since only the target groups' targets say which they are.
pub(super) fn target_functions(
    plan: &Plan,
    functions: Option<&[TargetFunction]>,
    scope: &Scope,
) -> Vec<Grant> {
    let everything = || format!("{}function:*", scope.prefix("lambda"));
    let mut out = Vec::new();
    if runs(plan, LAMBDA_INVOKE_PERMISSION) {
        match functions {
            Some(functions) => out.extend(
                functions
                    .iter()
                    .map(|f| grant("Preflight", &lambda("GetPolicy"), &f.arn)),
            ),
            None => out.push(grant("Preflight", &lambda("GetPolicy"), &everything())),
        }
    }
    if plan.preflight.warm_starts && runs(plan, PROVISIONED_CONCURRENCY) {
        let config = lambda("GetProvisionedConcurrencyConfig");
        match functions {
            Some(functions) => out.extend(
                functions
                    .iter()
                    .filter(|f| f.canary && has_qualifier(&f.arn))
                    .map(|f| grant("Preflight", &config, &f.arn)),
            ),
            None => out.push(grant("Preflight", &config, &everything())),
        }
    }
    out
}

/// Whether a function ARN names a version or an alias other than `$LATEST` (the provisioned
/// concurrency check calls only those).
fn has_qualifier(arn: &str) -> bool {
    FunctionArn::parse(arn)
        .and_then(|f| f.qualifier)
        .is_some_and(|q| q != "$LATEST")
}
