//! Notifications (`notify:`): one message per state change of a deployment (started, each
//! step, a gate holding, paused, promoted, rolled back, failed), never one per tick, to an SNS
//! topic, a Slack incoming webhook or a generic webhook. [`mod@message`] words it (pure: the
//! deployment, account and region, the weights, the evidence behind the decision, and the
//! exact commands to roll back or promote); [`mod@send`] delivers it. A delivery that fails is a
//! `notify_failed` warning and never changes the rollout.

pub mod message;
pub mod send;

pub use message::{message, wanted, Message};
pub use send::Notifier;
