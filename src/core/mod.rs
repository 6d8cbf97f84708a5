//! The state machine and the judgement, as plain functions over plain data.
//!
//! Core decides; it never does. No `async`, no AWS types, no clock: the shell passes the record,
//! what it observed and `now`, and performs the actions core returns. Every rollback rule lives
//! here, so every rollback rule is a unit test.

pub mod agree;
pub mod evidence;
pub mod failure;
pub mod forecast;
pub mod judge;
pub mod lane;
pub mod lease;
pub mod next;
pub mod observe;
pub mod plan;
pub mod record;
pub mod start;
pub mod step;
pub mod switch;
pub mod types;
pub mod window;

pub use failure::{write_failed, WriteFailure};
pub use judge::{judge, CheckOutcome, CheckResult, Judgement, Verdict};
pub use observe::{AlarmObservation, AlarmState, Observed, SlowCounts, Traffic};
pub use plan::Plan;
pub use record::{Event, EventKind, Phase, Record};
pub use step::{operate, step, Action, Inputs, OperatorAction, OperatorCommand, WriteGuard};
pub use types::{Share, Split, Timestamp};
pub use window::{analysis_window, Window};
