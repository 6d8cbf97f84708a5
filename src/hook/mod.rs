//! Calling the playbook's hooks (`hooks:`): a Lambda function invoked synchronously, whose JSON
//! answer `{"pass": bool, "reason": "…"}` decides, or an HTTPS endpoint posted the state as
//! JSON, whose 2xx answer passes. Each attempt has the hook's timeout; a failed one is tried
//! again `retries` times. What a failure says names the hook (never a URL) and why, kept to
//! one line: it becomes a check's detail and an event.

use crate::core::plan::{Hook, HookCall, HookPoint, UrlSource};
use crate::core::Record;
use crate::text::line;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;

/// The clients hooks are called with.
#[derive(Clone, Debug)]
pub struct HookRunner {
    lambda: aws_sdk_lambda::Client,
    http: reqwest::Client,
}

/// The hook event format this release sends.
pub const HOOK_FORMAT: u32 = 1;

impl HookRunner {
    pub fn new(lambda: aws_sdk_lambda::Client) -> Result<HookRunner, String> {
        let http = crate::webhook::client()?;
        Ok(HookRunner { lambda, http })
    }

    /// Calls `hook` with `payload`: `Ok` when an attempt passes, else the last attempt's why.
    pub async fn call(&self, hook: &Hook, payload: &serde_json::Value) -> Result<(), String> {
        let mut why = String::new();
        for attempt in 0..=hook.retries {
            let tried = tokio::time::timeout(hook.timeout, self.attempt(hook, payload)).await;
            match tried {
                Ok(Ok(())) => return Ok(()),
                Ok(Err(failed)) => why = failed,
                Err(_) => {
                    why = format!(
                        "no answer within {}",
                        humantime::format_duration(hook.timeout)
                    )
                }
            }
            if attempt < hook.retries {
                tokio::time::sleep(std::time::Duration::from_millis(200 << attempt.min(4))).await;
            }
        }
        let tries = match hook.retries {
            0 => String::new(),
            n => format!(" ({} attempts)", n + 1),
        };
        Err(line(&format!("{why}{tries}")))
    }

    async fn attempt(&self, hook: &Hook, payload: &serde_json::Value) -> Result<(), String> {
        match &hook.call {
            HookCall::Lambda { function } => self.invoke(function, payload).await,
            HookCall::Https { url } => self.post(url, payload).await,
        }
    }

    async fn invoke(&self, function: &str, payload: &serde_json::Value) -> Result<(), String> {
        let out = self
            .lambda
            .invoke()
            .function_name(function)
            .invocation_type(InvocationType::RequestResponse)
            .payload(Blob::new(payload.to_string()))
            .send()
            .await
            .map_err(|e| {
                crate::aws::AwsError::from_sdk(
                    crate::aws::error::service::LAMBDA,
                    "Invoke",
                    format!("function {function}"),
                    &e,
                )
                .to_string()
            })?;
        let answer = out
            .payload()
            .map(|p| p.as_ref().to_vec())
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&answer);
        if let Some(error) = out.function_error() {
            return Err(format!("the function failed ({error}): {}", cut(&text)));
        }
        verdict(&text)
    }

    async fn post(&self, url: &UrlSource, payload: &serde_json::Value) -> Result<(), String> {
        crate::webhook::post_json(&self.http, url, payload, "hook").await
    }
}

/// A function's answer: `{"pass": true}` passes; `{"pass": false, "reason": …}` fails with it.
fn verdict(answer: &str) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(answer)
        .map_err(|_| format!("the answer is not JSON: {}", cut(answer)))?;
    let reason = value["reason"].as_str().map(line);
    match value["pass"].as_bool() {
        Some(true) => Ok(()),
        Some(false) => Err(reason.unwrap_or_else(|| "it answered pass: false".to_string())),
        None => Err(format!(
            "the answer has no `pass` (true or false): {}",
            cut(answer)
        )),
    }
}

/// At most 300 characters of `text`, on one line.
fn cut(text: &str) -> String {
    let kept: String = text.chars().take(300).collect();
    line(&kept)
}

/// What a hook is sent: the deployment's state at `point`, about step `index` (0-based).
pub fn payload(point: HookPoint, index: usize, record: &Record) -> serde_json::Value {
    serde_json::json!({
        "canary_deploy": HOOK_FORMAT,
        "hook": point.as_str(),
        "deployment": record.playbook.name,
        "revision": record.playbook.content_hash,
        "phase": record.phase.name(),
        "step": index + 1,
        "weights": record.written,
        "resource": record.route.as_ref().map(|r| r.resource_arn().to_string()),
        "evidence": record.last_verdict.as_ref().map(|v| v.details.clone()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_answers_pass_or_fail_with_a_reason() {
        assert!(verdict(r#"{"pass": true}"#).is_ok());
        assert_eq!(
            verdict(r#"{"pass": false, "reason": "smoke: 3 of 20 failed\n::error::x"}"#),
            Err("smoke: 3 of 20 failed ::error::x".to_string())
        );
        assert!(verdict(r#"{"ok": true}"#)
            .unwrap_err()
            .contains("no `pass`"));
        assert!(verdict("nope").unwrap_err().contains("not JSON"));
    }
}
