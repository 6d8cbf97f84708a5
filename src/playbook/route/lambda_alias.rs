//! `route: { lambda_alias: … }` → [`Route::LambdaAlias`]: the function (name or unqualified
//! ARN), the alias whose routing config carries the weights, and the two published versions.
//!
//! Everything AWS's own patterns (botocore's Lambda model) would refuse is refused here, before
//! any call: function names and ARNs (`FunctionName`, and no qualifier: the alias is its own
//! field), alias names (`Alias`: 1–128 of `[a-zA-Z0-9-_]`, not all digits), and versions
//! (published numbers only: an alias's extra version is `[0-9]+`, and `$LATEST` can never be
//! weighted). Whether they exist is checked by the router at start.

use super::super::error::{Bad, Diag, Pos};
use super::super::model::{LambdaAliasDoc, Sp};
use crate::arn::Arn;
use crate::core::plan::{LambdaAliasRoute, Route};

const FUNCTION_HINT: &str = "write the function's name (`checkout`) or its unqualified ARN (`arn:aws:lambda:us-east-1:123456789012:function:checkout`), and the alias under `alias:`";
const VERSION_HINT: &str = "write a published version number in quotes, e.g. `canary_version: \"8\"` (PublishVersion returns it); an alias cannot weight $LATEST";

pub(super) fn lambda_alias_route(d: &mut Diag, doc: &Sp<LambdaAliasDoc>) -> Option<Route> {
    let at = Pos::from(doc);
    let l = &doc.value;
    let function = required(d, at, "function", &l.function, "the function's name or ARN")
        .and_then(|v| d.check(v, function(&v.value)));
    let alias = required(
        d,
        at,
        "alias",
        &l.alias,
        "the alias callers invoke, e.g. `live`",
    )
    .and_then(|v| d.check(v, alias(&v.value)));
    let canary = required(
        d,
        at,
        "canary_version",
        &l.canary_version,
        "the new version",
    )
    .and_then(|v| d.check(v, version("canary_version", &v.value)));
    let stable = match &l.stable_version {
        None => Some(None),
        Some(v) => d.check(v, version("stable_version", &v.value)).map(Some),
    };
    let (function, alias, canary, stable) = (function?, alias?, canary?, stable?);
    if stable.as_ref() == Some(&canary) {
        if let Some(value) = &l.canary_version {
            d.error(
                value,
                format!("`stable_version` and `canary_version` are both version {canary}"),
                "the canary must be another published version than the stable one; write the new version's number under `canary_version:`",
            );
        }
        return None;
    }
    Some(Route::LambdaAlias(LambdaAliasRoute {
        function,
        alias,
        canary_version: canary,
        stable_version: stable,
    }))
}

fn required<'a>(
    d: &mut Diag,
    at: Pos,
    field: &str,
    value: &'a Option<Sp<String>>,
    what: &str,
) -> Option<&'a Sp<String>> {
    if value.is_none() {
        d.error(
            at,
            format!("`lambda_alias` needs `{field}:`, {what}"),
            format!("add `{field}:` under `lambda_alias:`"),
        );
    }
    value.as_ref()
}

fn name_chars(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A function name (1–64 of `[a-zA-Z0-9-_]`) or an unqualified function ARN.
fn function(value: &str) -> Result<String, Bad> {
    if value.starts_with("arn:") {
        let parsed = Arn::parse(value);
        let parts: Vec<&str> = parsed.map_or(Vec::new(), |a| a.resource.split(':').collect());
        let shape = parsed.is_some_and(|a| {
            (a.partition == "aws" || a.partition.starts_with("aws-"))
                && a.service == "lambda"
                && !a.region.is_empty()
                && a.account.len() == 12
                && a.account.bytes().all(|b| b.is_ascii_digit())
        }) && parts.len() >= 2
            && parts[0] == "function"
            && name_chars(parts[1])
            && parts[1].len() <= 64;
        if !shape || parts.len() > 3 {
            return Err(Bad::new(
                format!("`{value}` is not a Lambda function ARN"),
                FUNCTION_HINT,
            ));
        }
        if let Some(qualifier) = parts.get(2) {
            return Err(Bad::new(
                format!("`{value}` is a qualified ARN (it names `{qualifier}`); `function` takes the function itself"),
                "drop the `:<qualifier>` from the ARN and write the alias under `alias:` and the versions under `stable_version:`/`canary_version:`",
            ));
        }
        return Ok(value.to_string());
    }
    if let Some((name, qualifier)) = value.split_once(':') {
        return Err(Bad::new(
            format!("`{value}` names `{name}` with the qualifier `{qualifier}`; `function` takes the function itself"),
            "write the function's name alone and the alias under `alias:`",
        ));
    }
    if !name_chars(value) || value.len() > 64 {
        return Err(Bad::new(
            format!("`{value}` is not a Lambda function name (1–64 letters, digits, `-` and `_`)"),
            FUNCTION_HINT,
        ));
    }
    Ok(value.to_string())
}

/// An alias name: 1–128 of `[a-zA-Z0-9-_]`, not all digits (that would be a version).
fn alias(value: &str) -> Result<String, Bad> {
    if !name_chars(value) || value.len() > 128 {
        return Err(Bad::new(
            format!("`{value}` is not a Lambda alias name (1–128 letters, digits, `-` and `_`)"),
            "write the alias's name, e.g. `alias: live`",
        ));
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Bad::new(
            format!("`{value}` is a version number, not an alias name"),
            "write the alias callers invoke, e.g. `alias: live`, and the versions under `stable_version:`/`canary_version:`",
        ));
    }
    Ok(value.to_string())
}

/// A published version: a number, never `$LATEST`.
fn version(field: &str, value: &str) -> Result<String, Bad> {
    if value == "$LATEST" {
        return Err(Bad::new(
            format!("`{field}` is $LATEST, which an alias cannot weight"),
            VERSION_HINT,
        ));
    }
    let number =
        !value.is_empty() && value.len() <= 10 && value.bytes().all(|b| b.is_ascii_digit());
    if !number || value.starts_with('0') {
        return Err(Bad::new(
            format!("`{field}` is `{value}`, not a published version number"),
            VERSION_HINT,
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
#[path = "lambda_alias_tests.rs"]
mod tests;
