//! Resolution of a Lambda alias route, once at start: the alias exists, both versions exist and
//! are published (never `$LATEST`), the stable version is the alias's FunctionVersion unless the
//! playbook pins it, and the alias routes to no third version.
//!
//! Calls: one GetAlias (the function by the playbook's name or ARN; its answer's alias ARN
//! gives the function's unqualified ARN, used from then on), and one GetFunctionConfiguration
//! per version, whose role, dead-letter queue and state are kept ([`VersionConfig`]).

use super::arn::{self, FunctionArn};
use super::resolved::ResolvedAlias;
use super::routing::{self, AliasRouting, Versions};
use super::VersionConfig;
use crate::aws::error::service::LAMBDA;
use crate::aws::AwsError;
use crate::core::plan::LambdaAliasRoute;
use crate::traffic::{aws_error, TrafficError};
use aws_sdk_lambda::operation::get_alias::GetAliasOutput;
use aws_sdk_lambda::Client;

/// Resolves and verifies `route` (see the module doc); with the stable and the canary
/// version's configurations as their GetFunctionConfiguration answered.
pub(super) async fn resolve(
    client: &Client,
    route: &LambdaAliasRoute,
) -> Result<(ResolvedAlias, [VersionConfig; 2]), TrafficError> {
    let what = format!(
        "Lambda alias {} of function {}",
        route.alias, route.function
    );
    let out = get_alias(client, &route.function, &route.alias, &what).await?;
    let alias_arn = out.alias_arn().unwrap_or_default().to_string();
    let parsed = FunctionArn::parse(&alias_arn).ok_or_else(|| {
        AwsError::unusable(
            LAMBDA,
            "GetAlias",
            &what,
            format!("the answer has no usable alias ARN ({alias_arn:?})"),
        )
    })?;
    let live = routing_of(&out);
    let stable = route
        .stable_version
        .clone()
        .unwrap_or_else(|| live.function_version.clone());
    let resolved = ResolvedAlias {
        function_arn: parsed.unqualified.to_string(),
        function_name: parsed.name.to_string(),
        alias: route.alias.clone(),
        alias_arn: alias_arn.clone(),
        stable_version: stable,
        canary_version: route.canary_version.clone(),
    };
    check_versions(&resolved, route.stable_version.is_some())?;
    let stable = published(client, &resolved, &resolved.stable_version).await?;
    let canary = published(client, &resolved, &resolved.canary_version).await?;
    routing::live_split(&live, versions(&resolved, &resolved.resource()))?;
    Ok((resolved, [stable, canary]))
}

/// The two versions of `r`, with `resource` for messages.
pub(super) fn versions<'a>(r: &'a ResolvedAlias, resource: &'a str) -> Versions<'a> {
    Versions {
        stable: &r.stable_version,
        canary: &r.canary_version,
        resource,
    }
}

/// Both versions are published numbers, and they differ.
fn check_versions(r: &ResolvedAlias, pinned: bool) -> Result<(), TrafficError> {
    for version in [&r.stable_version, &r.canary_version] {
        if !arn::is_published_version(version) {
            return Err(TrafficError::Ambiguous {
                what: format!(
                    "{} would shift traffic to or from version {version}: an alias routes only \
                     between published versions (numbers), never $LATEST; publish the code \
                     with PublishVersion and name that version",
                    r.resource()
                ),
            });
        }
    }
    if r.stable_version == r.canary_version && !pinned {
        return Err(TrafficError::StableUnknown {
            alias_arn: r.alias_arn.clone(),
            function_arn: r.function_arn.clone(),
            alias: r.alias.clone(),
            canary_version: r.canary_version.clone(),
        });
    }
    if r.stable_version == r.canary_version {
        return Err(TrafficError::Ambiguous {
            what: format!(
                "{}: stable and canary are both version {}: the playbook's stable_version and \
                 canary_version must differ",
                r.resource(),
                r.canary_version
            ),
        });
    }
    Ok(())
}

/// One GetFunctionConfiguration of `version`: NotFound unless it was published; else what it
/// says of the version (kept for the preflight).
async fn published(
    client: &Client,
    r: &ResolvedAlias,
    version: &str,
) -> Result<VersionConfig, TrafficError> {
    let what = format!("version {version} of Lambda function {}", r.function_arn);
    let out = client
        .get_function_configuration()
        .function_name(&r.function_arn)
        .qualifier(version)
        .send()
        .await
        .map_err(|e| match e.as_service_error() {
            Some(s) if s.is_resource_not_found_exception() => {
                TrafficError::NotFound { what: what.clone() }
            }
            _ => aws_error(LAMBDA, "GetFunctionConfiguration", &what, &e),
        })?;
    if out.version() != Some(version) {
        return Err(TrafficError::NotFound { what });
    }
    Ok(VersionConfig::from(&out))
}

/// One GetAlias; NotFound when the function or the alias does not exist.
pub(crate) async fn get_alias(
    client: &Client,
    function: &str,
    alias: &str,
    what: &str,
) -> Result<GetAliasOutput, TrafficError> {
    client
        .get_alias()
        .function_name(function)
        .name(alias)
        .send()
        .await
        .map_err(|e| match e.as_service_error() {
            Some(s) if s.is_resource_not_found_exception() => TrafficError::NotFound {
                what: what.to_string(),
            },
            _ => aws_error(LAMBDA, "GetAlias", what, &e),
        })
}

/// The split-carrying part of a GetAlias answer.
pub(crate) fn routing_of(out: &GetAliasOutput) -> AliasRouting {
    let weights = out
        .routing_config()
        .and_then(|r| r.additional_version_weights())
        .map(|w| w.iter().map(|(k, v)| (k.clone(), *v)).collect())
        .unwrap_or_default();
    AliasRouting {
        revision_id: out.revision_id().map(str::to_string),
        function_version: out.function_version().unwrap_or_default().to_string(),
        weights,
    }
}
