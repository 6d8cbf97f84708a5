//! `hooks:`: what is called around the steps, and when (see [`crate::hook`]).

use super::humantime_serde_secs;
use super::UrlSource;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The playbook's hooks, by when they run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hooks {
    pub pre_step: Vec<Hook>,
    pub post_step: Vec<Hook>,
    pub before_promote: Vec<Hook>,
    pub after_rollback: Vec<Hook>,
}

impl Hooks {
    pub fn is_empty(&self) -> bool {
        HookPoint::ALL.iter().all(|p| self.at(*p).is_empty())
    }

    pub fn at(&self, point: HookPoint) -> &[Hook] {
        match point {
            HookPoint::PreStep => &self.pre_step,
            HookPoint::PostStep => &self.post_step,
            HookPoint::BeforePromote => &self.before_promote,
            HookPoint::AfterRollback => &self.after_rollback,
        }
    }
}

/// When a hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookPoint {
    /// Before a runner writes a step's weights.
    PreStep,
    /// After a step has baked with passing checks (and its gate opened), before the next.
    PostStep,
    /// Before the write that gives the canary all traffic.
    BeforePromote,
    /// After a rollback is written and verified (a failure never undoes it).
    AfterRollback,
}

impl HookPoint {
    pub const ALL: [HookPoint; 4] = [
        HookPoint::PreStep,
        HookPoint::PostStep,
        HookPoint::BeforePromote,
        HookPoint::AfterRollback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HookPoint::PreStep => "pre_step",
            HookPoint::PostStep => "post_step",
            HookPoint::BeforePromote => "before_promote",
            HookPoint::AfterRollback => "after_rollback",
        }
    }
}

/// One hook: what it calls, how long one attempt may take, and how many more attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    pub call: HookCall,
    #[serde(with = "humantime_serde_secs")]
    pub timeout: Duration,
    pub retries: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookCall {
    /// Invoke this function (name or ARN, qualified or not) synchronously; its JSON answer
    /// `{"pass": bool, "reason": "…"}` decides.
    Lambda { function: String },
    /// POST the state as JSON; a 2xx answer passes.
    Https { url: UrlSource },
}

impl Hook {
    /// "lambda smoke-test", "https (url_env HOOK_URL)", "https hooks.example.com": never a URL's
    /// path or query (they may hold a secret).
    pub fn shown(&self) -> String {
        match &self.call {
            HookCall::Lambda { function } => format!("lambda {function}"),
            HookCall::Https {
                url: UrlSource::Env(var),
            } => format!("https (url_env {var})"),
            HookCall::Https {
                url: UrlSource::Literal(url),
            } => {
                let host = url::Url::parse(url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default();
                format!("https {host}")
            }
        }
    }
}
