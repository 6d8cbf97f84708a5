//! The runner that needs no runner: one `advance` tick per invocation of an AWS Lambda function,
//! invoked by an EventBridge Scheduler schedule every `analysis.interval`.
//!
//! - [`event`]: what the schedule sends (the playbook inline or as an `s3://` URI pinned by its
//!   SHA-256, and which schedule sent it), refused with a reason before any tick;
//! - [`tick`]: the handler, the same record, lease and exit semantics as `advance`; it deletes
//!   the schedule that invoked it once the deployment has ended;
//! - [`schedule`]: the recurring schedule itself, which `canary-deploy schedule` creates,
//!   updates and deletes and `status` reads;
//! - [`warm`]: what a warm execution environment keeps between ticks (the resolved route);
//! - `lambda` (the `lambda` feature): the Lambda Runtime API loop around [`tick`], which the
//!   binary serves when it runs as a function's bootstrap.

pub mod event;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod outcome;
pub mod schedule;
pub mod tick;
pub mod warm;

pub use event::RunnerEvent;
pub use outcome::Outcome;
