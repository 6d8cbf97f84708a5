//! The playbook's `hooks:` → [`Hooks`]: what is called before a step's write (`pre_step`),
//! after a step has baked (`post_step`), before the canary gets all traffic
//! (`before_promote`) and after a rollback (`after_rollback`). Each hook is a Lambda function
//! (invoked synchronously; its JSON answer says pass or fail) or an HTTPS endpoint (a 2xx
//! answer passes), with a timeout per attempt and a number of retries. The URL rules are
//! `notify:`'s: `https://` (or `http://` to this machine), `url_env` for a secret one.

use super::error::{Bad, Diag};
use super::model::Sp;
use super::notify::UrlDoc;
use super::values::{show_duration, whole_seconds};
use crate::core::plan::{Hook, HookCall, Hooks};
use std::time::Duration;

/// `hooks:`, as written.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HooksDoc {
    /// Before each step's weights are written; a failure counts as a failed check.
    pub pre_step: Option<Sp<Vec<Sp<HookDoc>>>>,
    /// After a step has baked with passing checks, before the next; a failure counts as a
    /// failed check.
    pub post_step: Option<Sp<Vec<Sp<HookDoc>>>>,
    /// Before the write that gives the canary all traffic; a failure counts as a failed check.
    pub before_promote: Option<Sp<Vec<Sp<HookDoc>>>>,
    /// After a rollback is verified; a failure is a warning and never undoes the rollback.
    pub after_rollback: Option<Sp<Vec<Sp<HookDoc>>>>,
}

/// One hook, as written.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub(crate) struct HookDoc {
    /// A Lambda function (name or ARN), invoked with the deployment's state; it answers
    /// `{"pass": true}` or `{"pass": false, "reason": "…"}`.
    #[schemars(regex(
        pattern = r"^\s*(arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?\s*$"
    ))]
    pub lambda: Option<Sp<String>>,
    /// An HTTPS endpoint, posted the deployment's state as JSON: `{url: …}` or `{url_env: VAR}`.
    pub https: Option<Sp<UrlDoc>>,
    /// How long one attempt may take (default 10s, at most 5m).
    #[serde(default)]
    #[schemars(schema_with = "super::schema::nonzero_duration")]
    pub timeout: Option<Sp<String>>,
    /// How many more attempts after a failed one (default 0, at most 5).
    #[schemars(range(max = 5))]
    pub retries: Option<Sp<u32>>,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_TIMEOUT: Duration = Duration::from_secs(300);
const MAX_RETRIES: u32 = 5;

/// The hooks of `doc`; `None` after an error.
pub(crate) fn hooks(d: &mut Diag, doc: &Sp<HooksDoc>) -> Option<Hooks> {
    let errors_before = d.error_count();
    let mut list = |docs: &Option<Sp<Vec<Sp<HookDoc>>>>| -> Vec<Hook> {
        docs.iter()
            .flat_map(|l| l.value.iter())
            .filter_map(|h| hook(d, h))
            .collect()
    };
    let hooks = Hooks {
        pre_step: list(&doc.value.pre_step),
        post_step: list(&doc.value.post_step),
        before_promote: list(&doc.value.before_promote),
        after_rollback: list(&doc.value.after_rollback),
    };
    (d.error_count() == errors_before).then_some(hooks)
}

fn hook(d: &mut Diag, doc: &Sp<HookDoc>) -> Option<Hook> {
    let h = &doc.value;
    let timeout = match &h.timeout {
        None => Some(DEFAULT_TIMEOUT),
        Some(t) => d.check(t, timeout(&t.value)),
    };
    let retries = match &h.retries {
        None => Some(0),
        Some(r) if r.value > MAX_RETRIES => {
            d.error(
                r,
                format!("`retries: {}` is more than {MAX_RETRIES}", r.value),
                "a hook that fails that often is failing: write e.g. `retries: 2`",
            );
            None
        }
        Some(r) => Some(r.value),
    };
    let call = match (&h.lambda, &h.https) {
        (Some(function), None) => d
            .check(function, function_ref(function.value.trim()))
            .map(|function| HookCall::Lambda { function }),
        (None, Some(url)) => super::notify::url(d, url).map(|url| HookCall::Https { url }),
        _ => {
            d.error(
                doc,
                "each hook is one of `lambda` or `https`",
                "write e.g. `- lambda: smoke-test` or `- https: { url: https://ci.example.com/check }`",
            );
            None
        }
    };
    Some(Hook {
        call: call?,
        timeout: timeout?,
        retries: retries?,
    })
}

fn timeout(text: &str) -> Result<Duration, Bad> {
    let timeout = whole_seconds("timeout", text)?;
    if timeout.is_zero() || timeout > MAX_TIMEOUT {
        return Err(Bad::new(
            format!(
                "`timeout: {}` is outside 1s–{}",
                text.trim(),
                show_duration(MAX_TIMEOUT)
            ),
            "a hook holds the tick while it runs: write e.g. `timeout: 30s`",
        ));
    }
    Ok(timeout)
}

/// A function's name or ARN, optionally qualified (`smoke:live`).
fn function_ref(text: &str) -> Result<String, Bad> {
    let name = match crate::arn::Arn::parse(text) {
        Some(a) if a.service == "lambda" => a.resource.strip_prefix("function:"),
        Some(_) => None,
        None => Some(text),
    };
    let ok = name.is_some_and(|n| {
        let (base, qualifier) = n.split_once(':').unwrap_or((n, ""));
        (1..=64).contains(&base.len())
            && base
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && qualifier
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_$".contains(c))
    });
    match ok {
        true => Ok(text.to_string()),
        false => Err(Bad::new(
            format!("`{}` is not a Lambda function's name or ARN", crate::text::line(text)),
            "write e.g. `lambda: smoke-test` or `lambda: arn:aws:lambda:us-east-1:123456789012:function:smoke-test`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_names_or_arns() {
        assert!(function_ref("smoke-test").is_ok());
        assert!(function_ref("smoke:live").is_ok());
        assert!(function_ref("arn:aws:lambda:us-east-1:123456789012:function:smoke").is_ok());
        assert!(function_ref("arn:aws:sns:us-east-1:123456789012:t").is_err());
        assert!(function_ref("has space").is_err());
        assert!(timeout("0s").is_err() && timeout("6m").is_err() && timeout("30s").is_ok());
    }
}
