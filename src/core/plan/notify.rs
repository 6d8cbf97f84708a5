//! `notify:`: where state changes are told (see [`crate::notify`]).

use super::humantime_serde_secs;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One `notify:` entry: where a message goes, and how long a delivery may take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub channel: Channel,
    #[serde(with = "humantime_serde_secs")]
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// SNS Publish to this topic.
    Sns { topic_arn: String },
    /// A Slack incoming webhook (its `text` payload).
    Slack { url: UrlSource },
    /// Any HTTPS endpoint, sent the message as JSON.
    Webhook { url: UrlSource },
}

impl Channel {
    /// "sns arn:…", "slack", "webhook": names a channel in messages without its URL (a secret).
    pub fn shown(&self) -> String {
        match self {
            Channel::Sns { topic_arn } => format!("sns {topic_arn}"),
            Channel::Slack { url } => format!("slack{}", url.shown()),
            Channel::Webhook { url } => format!("webhook{}", url.shown()),
        }
    }
}

/// A webhook's URL, or the environment variable that holds it at run time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlSource {
    Literal(String),
    Env(String),
}

impl UrlSource {
    /// " (url_env SLACK_WEBHOOK_URL)", or "" for a literal URL (never shown: it may be a secret).
    fn shown(&self) -> String {
        match self {
            UrlSource::Env(var) => format!(" (url_env {var})"),
            UrlSource::Literal(_) => String::new(),
        }
    }
}
