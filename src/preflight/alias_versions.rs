//! `lambda-alias-versions`: on a Lambda alias route, the two versions can share the alias's
//! traffic. Resolution already holds both to be published numbers; this check judges each
//! version's configuration (the GetFunctionConfiguration per version that resolution made,
//! kept by the router rather than asked again) and fails when the versions differ in
//! execution role or dead-letter queue, or when either cannot serve.
//!
//! Why: AWS's Lambda developer guide, on traffic shifting with aliases, says an alias that
//! points to two versions needs both versions to "have the same IAM execution role" and "the
//! same Dead Letter Queues configuration (or no DLQ configuration)", and cannot point to
//! `$LATEST` (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html>,
//! the page's earlier version; the current page, configuring-alias-routing.html, could not be
//! retrieved to confirm its exact wording). Without this check the mismatch surfaces only when
//! the first step's UpdateAlias is refused, after the deployment has begun. And "functions can
//! only be successfully invoked while active": a `Pending` version is not invoked yet, a
//! `Failed` one never will be, and invoking an `Inactive` one fails while Lambda re-creates its
//! resources (it goes to `Pending`, then `Active`)
//! (<https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html>, which also describes
//! `LastUpdateStatus: Failed` as an update Lambda abandoned). A canary that cannot be invoked
//! would be rolled back for errors that are not its code's.
//!
//! The judgement is [`judge`], a pure function over what the two calls returned.

use super::{PreflightCheck, LAMBDA_ALIAS_VERSIONS};
use crate::traffic::lambda_alias::LambdaAliasRouter;
pub use crate::traffic::lambda_alias::VersionConfig;

/// One version as read: its number, its word (`stable` or `canary`), its config or why it
/// could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRead {
    pub word: &'static str,
    pub version: String,
    pub config: Result<VersionConfig, String>,
}

impl VersionRead {
    /// "canary version 8".
    fn shown(&self) -> String {
        format!("{} version {}", self.word, self.version)
    }
}

/// The check on a Lambda alias route: both versions' configurations, as resolution read them
/// (one GetFunctionConfiguration each), judged.
pub fn check(router: &LambdaAliasRouter) -> PreflightCheck {
    let alias = router.resolved();
    let configs = router.version_configs();
    let read = |word, version: &String, index: usize| VersionRead {
        word,
        version: version.clone(),
        config: configs.map(|c| c[index].clone()).ok_or_else(|| {
            "its configuration was not read (a route rebuilt from its record)".to_string()
        }),
    };
    let stable = read("stable", &alias.stable_version, 0);
    let canary = read("canary", &alias.canary_version, 1);
    judge(&alias.function_arn, &stable, &canary)
}

/// The pure judgement of the two versions of `function` (its unqualified ARN, for commands).
pub fn judge(function: &str, stable: &VersionRead, canary: &VersionRead) -> PreflightCheck {
    let mut problems = Vec::new();
    for read in [stable, canary] {
        match &read.config {
            Ok(config) => problems.extend(serving(function, read, config)),
            Err(why) => problems.push(format!("{}: {why}", read.shown())),
        }
    }
    let (Ok(s), Ok(c)) = (&stable.config, &canary.config) else {
        return PreflightCheck::fail(LAMBDA_ALIAS_VERSIONS, problems.join("; "));
    };
    let role = |r: &Option<String>| r.clone().unwrap_or_else(|| "no role".to_string());
    if s.role != c.role {
        problems.push(format!(
            "{} runs with execution role {}, {} with {}: an alias routes only between versions \
             with the same execution role; publish the canary from code with the stable \
             version's role, or update the role (`aws lambda update-function-configuration \
             --function-name {function} --role {}`) and publish again (`aws lambda \
             publish-version --function-name {function}`), and name that version as \
             `canary_version`",
            stable.shown(),
            role(&s.role),
            canary.shown(),
            role(&c.role),
            role(&s.role)
        ));
    }
    let dlq = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_string());
    if s.dlq != c.dlq {
        problems.push(format!(
            "{} has dead-letter queue {}, {} has {}: an alias routes only between versions \
             with the same dead-letter queue configuration (or none on both); publish the \
             canary with the stable version's dead-letter queue configuration and name that \
             version as `canary_version`",
            stable.shown(),
            dlq(&s.dlq),
            canary.shown(),
            dlq(&c.dlq)
        ));
    }
    if !problems.is_empty() {
        return PreflightCheck::fail(LAMBDA_ALIAS_VERSIONS, problems.join("; "));
    }
    PreflightCheck::pass(
        LAMBDA_ALIAS_VERSIONS,
        format!(
            "{} and {} are Active, with the same execution role {} and dead-letter queue {}",
            stable.shown(),
            canary.shown(),
            role(&s.role),
            dlq(&s.dlq)
        ),
    )
}

/// Why `read` cannot serve its share, if it cannot: its State, then its LastUpdateStatus.
fn serving(function: &str, read: &VersionRead, config: &VersionConfig) -> Vec<String> {
    let shows = |field: &str, value: &str| {
        format!(
            "`aws lambda get-function-configuration --function-name {function} --qualifier {}` \
             shows \"{field}\": \"{value}\"",
            read.version
        )
    };
    let mut problems = Vec::new();
    let state = config.state.as_deref().unwrap_or("unknown");
    if state != "Active" {
        let reason = reasons(&[
            ("StateReasonCode", &config.state_reason_code),
            ("StateReason", &config.state_reason),
        ]);
        let what = match state {
            "Inactive" => {
                "Lambda reclaimed its resources after it sat idle; invoking it re-activates it \
                 (that invocation fails while the version is Pending), so invoke it once and \
                 wait until its State is Active"
            }
            "Pending" => "Lambda is still creating its resources; wait until its State is Active",
            "Failed" => {
                "Lambda could not create its resources; fix the cause and publish a new version"
            }
            _ => "only an Active version can be invoked; wait until its State is Active",
        };
        problems.push(format!(
            "{} is {state}, not Active ({}{reason}): {what}",
            read.shown(),
            shows("State", state)
        ));
    }
    if config.last_update_status.as_deref() == Some("Failed") {
        let reason = reasons(&[
            (
                "LastUpdateStatusReasonCode",
                &config.last_update_reason_code,
            ),
            ("LastUpdateStatusReason", &config.last_update_reason),
        ]);
        problems.push(format!(
            "{}'s last update failed ({}{reason}): fix the cause and publish a new version",
            read.shown(),
            shows("LastUpdateStatus", "Failed")
        ));
    }
    problems
}

/// ", StateReasonCode: Idle, StateReason: …" for the fields that are present.
fn reasons(fields: &[(&str, &Option<String>)]) -> String {
    fields
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!(", {name}: {v}")))
        .collect()
}

#[cfg(test)]
#[path = "alias_versions_tests.rs"]
mod tests;
