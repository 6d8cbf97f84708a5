//! Where the deployment record lives between ticks, behind one trait.
//!
//! The orchestrator loads the record at the start of every tick and saves it after every change,
//! so a runner killed at any moment (even `kill -9`) resumes at the same step with the same bake
//! timer. Every save bumps the record's `revision`; a store refuses to overwrite a record whose
//! stored revision is newer than the one being saved, so two runners cannot silently undo each
//! other's work.
//!
//! Two stores: [`FileStore`] (a JSON file per deployment, `--state-dir`) and [`TagStore`] (the
//! record kept in the tags of the routed ALB or VPC Lattice listener or rule, so a scheduled job
//! needs no storage of its own).

mod any;
pub mod file;
pub mod format;
pub mod tags;
#[cfg(test)]
pub(crate) mod test_support;

use crate::aws::AwsError;
use crate::core::Record;
use std::future::Future;

pub use any::AnyStore;
pub use file::FileStore;
pub use tags::TagStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read the deployment record {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the deployment record {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the deployment record {path} is not valid ({why}); move it aside to start over")]
    Corrupt { path: String, why: String },
    #[error(
        "the deployment record {path} was written by a newer canary-deploy (record version \
         {found}, this binary reads up to {supported}); upgrade canary-deploy"
    )]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error(
        "the deployment record {path} changed under this runner (stored revision {stored}, this \
         runner had {ours}); another canary-deploy is acting on this deployment"
    )]
    Conflict {
        path: String,
        stored: u64,
        ours: u64,
    },
    /// The resource's tags hold the unfinished deployment of another playbook.
    #[error(
        "{location} carries the deployment of playbook `{playbook}` (phase {phase}): one route \
         takes one deployment at a time; finish or roll back `{playbook}` first"
    )]
    OtherDeployment {
        location: String,
        playbook: String,
        phase: String,
    },
    /// The record does not fit in the tag slots the resource has left, even without history.
    #[error(
        "{resource} has {own} tags of its own (AWS allows {limit} per resource); the deployment \
         record needs {needed}: remove some tags or use --state-dir"
    )]
    NoRoom {
        resource: String,
        own: usize,
        needed: usize,
        limit: usize,
    },
    /// An AWS call on the record's resource failed (after the SDK's own retries).
    #[error(
        "aws {} failed on the deployment record: {}{hint}",
        error.operation,
        error.detail()
    )]
    /// (The AWS error is carried, not chained as `source`: its words are already in this
    /// message, and a chain would print them twice.)
    Aws {
        error: Box<AwsError>,
        /// What to do about it, when the store knows better than AWS's message ("" if not).
        hint: String,
    },
}

impl StoreError {
    /// The AWS call that failed, when that is what this is.
    pub fn aws(&self) -> Option<&AwsError> {
        match self {
            StoreError::Aws { error, .. } => Some(error),
            _ => None,
        }
    }
}

pub trait Store {
    /// The record of the deployment named `name`, if there is one.
    fn load(&self, name: &str) -> impl Future<Output = Result<Option<Record>, StoreError>> + Send;
    /// Saves `record`, bumping its revision; refuses when the stored revision is newer.
    fn save(&self, record: &mut Record) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Where records live, for messages ("/path/.canary-deploy/checkout.json").
    fn location(&self, name: &str) -> String;
}
