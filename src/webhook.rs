//! The one way canary-deploy posts JSON to a URL it was given (a notification's webhook, an
//! HTTPS hook): no redirect followed (a URL that holds a secret is not handed on), no pooled
//! connection reused (posts are minutes apart, and a POST on a connection the server closed
//! meanwhile would be lost), a 2xx answer only. Errors never repeat the URL, which may be a
//! secret.

use crate::core::plan::UrlSource;

/// The client every post goes through.
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .user_agent(concat!("canary-deploy/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot set up the HTTPS client: {e}"))
}

/// POSTs `body` to `url` (read from its variable at this moment for `url_env`); `what` names
/// it in errors ("webhook", "hook").
pub async fn post_json(
    http: &reqwest::Client,
    url: &UrlSource,
    body: &serde_json::Value,
    what: &str,
) -> Result<(), String> {
    let url = match url {
        UrlSource::Literal(url) => url.clone(),
        UrlSource::Env(var) => std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("{var} is not set: it holds the {what}'s URL"))?,
    };
    crate::playbook::check_webhook_url(url.trim())
        .map_err(|why| format!("the {what}'s URL is unusable: {why}"))?;
    let answer = http
        .post(url.trim())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| format!("cannot reach the {what}: {}", e.without_url()))?;
    let status = answer.status();
    match status.is_success() {
        true => Ok(()),
        false => Err(format!("answered HTTP {}", status.as_u16())),
    }
}
