//! Delivering a [`Message`] to each of the playbook's channels, each within its own timeout.
//! Webhook posts follow no redirect (a URL that holds a secret is not handed on) and pass on a
//! 2xx answer only. A failure says which channel (never its URL) and why, and is the caller's to
//! report as a warning: it never stops the rollout.

use super::Message;
use crate::core::plan::{Channel, Notification, UrlSource};
use crate::text::line;

/// The playbook's channels and the clients that reach them.
#[derive(Clone, Debug)]
pub struct Notifier {
    channels: Vec<Notification>,
    sns: aws_sdk_sns::Client,
    http: reqwest::Client,
}

impl Notifier {
    pub fn new(channels: Vec<Notification>, sns: aws_sdk_sns::Client) -> Result<Notifier, String> {
        let http = crate::webhook::client()?;
        Ok(Notifier {
            channels,
            sns,
            http,
        })
    }

    /// Sends `message` to every channel, one after another; the failures, as (channel, why).
    pub async fn send(&self, message: &Message) -> Vec<(String, String)> {
        let mut failed = Vec::new();
        for notification in &self.channels {
            let sent = tokio::time::timeout(notification.timeout, self.one(notification, message))
                .await
                .unwrap_or_else(|_| {
                    Err(format!(
                        "no answer within {}",
                        humantime::format_duration(notification.timeout)
                    ))
                });
            if let Err(why) = sent {
                failed.push((notification.channel.shown(), line(&why)));
            }
        }
        failed
    }

    async fn one(&self, notification: &Notification, message: &Message) -> Result<(), String> {
        match &notification.channel {
            Channel::Sns { topic_arn } => self
                .sns
                .publish()
                .topic_arn(topic_arn)
                .subject(&message.subject)
                .message(message.text())
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    crate::aws::AwsError::from_sdk(
                        crate::aws::error::service::SNS,
                        "Publish",
                        format!("topic {topic_arn}"),
                        &e,
                    )
                    .to_string()
                }),
            Channel::Slack { url } => {
                let body = serde_json::json!({ "text": message.slack_text() });
                self.post(url, &body).await
            }
            Channel::Webhook { url } => {
                let mut body = message.fields.clone();
                body["text"] = serde_json::Value::from(message.text());
                self.post(url, &body).await
            }
        }
    }

    async fn post(&self, url: &UrlSource, body: &serde_json::Value) -> Result<(), String> {
        crate::webhook::post_json(&self.http, url, body, "webhook").await
    }
}
