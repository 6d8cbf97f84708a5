//! The playbook's `notify:` list → [`Notification`]s: an SNS topic, a Slack incoming webhook or
//! a generic webhook, each told once per state change of the deployment. A webhook URL is a
//! secret (anyone holding it may post): `url_env` names the environment variable that holds it
//! at run time, so the playbook, the record and the messages never carry it. A literal `url` is
//! accepted for a generic webhook (warned for Slack), and must be `https://` (plain `http://`
//! only to the local machine, for tests).

use super::error::{Bad, Diag};
use super::model::Sp;
use super::values::{show_duration, whole_seconds};
use crate::core::plan::{Channel, Notification, UrlSource};
use std::time::Duration;

/// One `notify:` entry, as written.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub(crate) struct NotifyDoc {
    /// An SNS topic's ARN (`arn:aws:sns:<region>:<account>:<topic>`): Publish, with a Subject.
    #[schemars(regex(
        pattern = r"^\s*arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?\s*$"
    ))]
    pub sns: Option<Sp<String>>,
    /// A Slack incoming webhook: `{url_env: SLACK_WEBHOOK_URL}`.
    pub slack: Option<Sp<UrlDoc>>,
    /// Any HTTPS endpoint, sent the message as JSON: `{url: https://…}` or `{url_env: VAR}`.
    pub webhook: Option<Sp<UrlDoc>>,
    /// How long one delivery may take (default 5s, at most 30s).
    #[serde(default)]
    #[schemars(schema_with = "super::schema::nonzero_duration")]
    pub timeout: Option<Sp<String>>,
}

/// Where a webhook's URL comes from.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1, "maxProperties" = 1))]
pub(crate) struct UrlDoc {
    /// The URL itself (`https://…`): it is in the playbook for everyone to read.
    pub url: Option<Sp<String>>,
    /// The environment variable holding the URL when the deployment runs.
    #[schemars(regex(pattern = r"^\s*[A-Za-z_][A-Za-z0-9_]{0,127}\s*$"))]
    pub url_env: Option<Sp<String>>,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_TIMEOUT: Duration = Duration::from_secs(30);

/// The notifications of `docs`; `None` after an error.
pub(crate) fn notifications(
    d: &mut Diag,
    docs: &Sp<Vec<Sp<NotifyDoc>>>,
) -> Option<Vec<Notification>> {
    let errors_before = d.error_count();
    let mut out = Vec::new();
    for entry in &docs.value {
        if let Some(notification) = one(d, entry) {
            out.push(notification);
        }
    }
    (d.error_count() == errors_before).then_some(out)
}

fn one(d: &mut Diag, entry: &Sp<NotifyDoc>) -> Option<Notification> {
    let doc = &entry.value;
    let timeout = match &doc.timeout {
        None => Some(DEFAULT_TIMEOUT),
        Some(t) => d.check(t, timeout(&t.value)),
    };
    let channel = match (&doc.sns, &doc.slack, &doc.webhook) {
        (Some(sns), None, None) => d
            .check(sns, topic_arn(sns.value.trim()))
            .map(|topic_arn| Channel::Sns { topic_arn }),
        (None, Some(slack), None) => {
            if let Some(url) = &slack.value.url {
                d.warn(
                    url,
                    "a Slack webhook URL is a secret, and this one is in the playbook for everyone \
                     who can read it: keep it in an environment variable and write `url_env: \
                     SLACK_WEBHOOK_URL`",
                );
            }
            url(d, slack).map(|url| Channel::Slack { url })
        }
        (None, None, Some(webhook)) => url(d, webhook).map(|url| Channel::Webhook { url }),
        _ => {
            d.error(
                entry,
                "each `notify` entry is one of `sns`, `slack` or `webhook`",
                "write one per entry: `- sns: arn:aws:sns:us-east-1:123456789012:deploys`, `- \
                 slack: { url_env: SLACK_WEBHOOK_URL }`",
            );
            None
        }
    };
    Some(Notification {
        channel: channel?,
        timeout: timeout?,
    })
}

pub(crate) fn url(d: &mut Diag, doc: &Sp<UrlDoc>) -> Option<UrlSource> {
    match (&doc.value.url, &doc.value.url_env) {
        (Some(url), None) => d
            .check(url, literal_url(url.value.trim()))
            .map(UrlSource::Literal),
        (None, Some(var)) => d.check(var, env_var(var.value.trim())).map(UrlSource::Env),
        _ => {
            d.error(
                doc,
                "give the webhook's `url` or, for a secret one, `url_env` (one of the two)",
                "write `{ url_env: SLACK_WEBHOOK_URL }`, the variable holding the URL at run time",
            );
            None
        }
    }
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
            "a notification is a side note to the rollout: write e.g. `timeout: 5s`",
        ));
    }
    Ok(timeout)
}

fn topic_arn(text: &str) -> Result<String, Bad> {
    let ok = crate::arn::Arn::parse(text).is_some_and(|a| {
        a.service == "sns"
            && !a.region.is_empty()
            && a.account.len() == 12
            && !a.resource.is_empty()
    });
    match ok {
        true => Ok(text.to_string()),
        false => Err(Bad::new(
            format!("`{}` is not an SNS topic's ARN", crate::text::line(text)),
            "write e.g. `sns: arn:aws:sns:us-east-1:123456789012:deploys`",
        )),
    }
}

/// `https://…`, or `http://` to this machine only.
pub(crate) fn literal_url(text: &str) -> Result<String, Bad> {
    match url_problem(text) {
        None => Ok(text.to_string()),
        Some(why) => Err(Bad::new(
            format!("`{}` {why}", crate::text::line(text)),
            "write an https:// URL, e.g. `url: https://hooks.example.com/deploys`",
        )),
    }
}

/// Why `text` is no URL a notification may post to, in words that do not repeat it.
pub(crate) fn url_problem(text: &str) -> Option<String> {
    let parsed = match url::Url::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => return Some(format!("is not a URL ({e})")),
    };
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => None,
        "http" if local => None,
        _ => {
            Some("is not https://: a notification would cross the network in the clear".to_string())
        }
    }
}

fn env_var(text: &str) -> Result<String, Bad> {
    let ok = !text.is_empty()
        && text.len() <= 128
        && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match ok {
        true => Ok(text.to_string()),
        false => Err(Bad::new(
            format!(
                "`{}` is not an environment variable's name",
                crate::text::line(text)
            ),
            "write letters, digits and `_`, e.g. `url_env: SLACK_WEBHOOK_URL`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_https_or_local() {
        assert!(literal_url("https://hooks.example.com/x").is_ok());
        assert!(literal_url("http://127.0.0.1:8080/hook").is_ok());
        assert!(literal_url("http://hooks.example.com/x").is_err());
        assert!(literal_url("ftp://x/y").is_err());
        assert!(literal_url("not a url").is_err());
        assert!(env_var("SLACK_WEBHOOK_URL").is_ok());
        assert!(env_var("1X").is_err() && env_var("A-B").is_err());
        assert!(timeout("0s").is_err() && timeout("31s").is_err() && timeout("5s").is_ok());
    }
}
