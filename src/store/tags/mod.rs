//! The record store kept on the routed resource itself: the tags of the ALB or VPC Lattice
//! listener or rule whose weights the deployment shifts, or of the Lambda function whose alias
//! it shifts (keyed by alias: Lambda has no tags on aliases).
//!
//! Why tags: a scheduled job (`advance` from CI or cron) then needs no storage of its own, the
//! record travels with the route, and two playbooks cannot drive one route unnoticed. How the
//! record fits AWS's tag limits is [`encode`] (the format) and [`fit`] (50 tags per resource,
//! history trimmed first). Only keys of ours (`canary-deploy:<n>`, or `canary-deploy:<alias>:<n>`
//! on a Lambda function: [`keys`]) are ever written or removed;
//! every other tag on the resource stays exactly as it was.
//!
//! A load is one read call (DescribeTags / ListTagsForResource / ListTags). A save is a read,
//! one AddTags / TagResource with every chunk, and, when the record shrank, one RemoveTags /
//! UntagResource of our chunks beyond the new count. Each backend's file holds only its own
//! SDK calls; the tagged resource and how a failed call is worded are shared (`resource.rs`).

mod alb;
pub mod encode;
pub mod fit;
pub mod keys;
mod lambda;
mod lattice;
mod location;
mod resource;
mod target;

pub use location::RecordTags;

#[cfg(test)]
mod encode_props;
#[cfg(test)]
mod encode_tests;
#[cfg(test)]
mod fit_tests;

use super::{Store, StoreError};
use crate::core::Record;
use encode::{decode_in, Tags};
use keys::KeySpace;
use resource::Resource;

/// A [`Store`] in the tags of one ALB or VPC Lattice listener or rule, or of one Lambda alias
/// (in its function's tags).
#[derive(Clone, Debug)]
pub struct TagStore {
    backend: Backend,
    keys: KeySpace,
}

/// Where the tags are: one variant per AWS API.
#[derive(Clone, Debug)]
enum Backend {
    Alb(alb::AlbTags),
    Lattice(lattice::LatticeTags),
    Lambda(lambda::LambdaTags),
}

impl TagStore {
    /// The record in the tags of an ALB listener or listener rule (by ARN).
    pub fn alb(
        client: aws_sdk_elasticloadbalancingv2::Client,
        resource_arn: impl Into<String>,
    ) -> TagStore {
        TagStore {
            backend: Backend::Alb(alb::AlbTags::new(client, resource_arn.into())),
            keys: KeySpace::default(),
        }
    }

    /// The record in the tags of a VPC Lattice listener or listener rule (by ARN).
    pub fn lattice(
        client: aws_sdk_vpclattice::Client,
        resource_arn: impl Into<String>,
    ) -> TagStore {
        TagStore {
            backend: Backend::Lattice(lattice::LatticeTags::new(client, resource_arn.into())),
            keys: KeySpace::default(),
        }
    }

    /// The record of Lambda alias `alias` in the tags of its function (by unqualified ARN),
    /// under keys of that alias, so that two aliases of one function keep two records.
    pub fn lambda(
        client: aws_sdk_lambda::Client,
        function_arn: impl Into<String>,
        alias: impl Into<String>,
    ) -> TagStore {
        let alias = alias.into();
        TagStore {
            keys: KeySpace::alias(&alias),
            backend: Backend::Lambda(lambda::LambdaTags::new(client, function_arn.into(), &alias)),
        }
    }

    /// The ARN whose tags hold the record (a Lambda alias's: its function's).
    pub fn resource_arn(&self) -> &str {
        self.tagged().arn()
    }

    /// Whatever record the resource carries, of any playbook: for the on-call commands, which
    /// have only the ARN.
    pub async fn load_any(&self) -> Result<Option<Record>, StoreError> {
        decode_in(&self.keys, &self.read().await?, &self.tags_location())
    }

    fn tagged(&self) -> &Resource {
        match &self.backend {
            Backend::Alb(tags) => tags.resource(),
            Backend::Lattice(tags) => tags.resource(),
            Backend::Lambda(tags) => tags.resource(),
        }
    }

    /// "ALB rule arn:…", "VPC Lattice listener arn:…", "Lambda function arn:… (alias live)".
    fn resource(&self) -> &str {
        self.tagged().describe()
    }

    fn tags_location(&self) -> String {
        format!("tags {}* on {}", self.keys.prefix(), self.resource())
    }

    async fn read(&self) -> Result<Tags, StoreError> {
        match &self.backend {
            Backend::Alb(tags) => tags.read().await,
            Backend::Lattice(tags) => tags.read().await,
            Backend::Lambda(tags) => tags.read().await,
        }
    }

    async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Alb(backend) => backend.add(tags).await,
            Backend::Lattice(backend) => backend.add(tags).await,
            Backend::Lambda(backend) => backend.add(tags).await,
        }
    }

    async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        match &self.backend {
            Backend::Alb(backend) => backend.remove(keys).await,
            Backend::Lattice(backend) => backend.remove(keys).await,
            Backend::Lambda(backend) => backend.remove(keys).await,
        }
    }

    /// Refuses a stored record that another playbook's unfinished deployment owns.
    fn check_owner(&self, stored: &Record, name: &str) -> Result<(), StoreError> {
        if stored.playbook.name == name || stored.phase.is_terminal() {
            return Ok(());
        }
        Err(StoreError::OtherDeployment {
            location: self.resource().to_string(),
            playbook: stored.playbook.name.clone(),
            phase: stored.phase.name().to_string(),
        })
    }
}

impl Store for TagStore {
    /// The record on the resource. Another playbook's record is an error while its deployment
    /// is unfinished, and returned once it has ended (a new deployment starts over it).
    async fn load(&self, name: &str) -> Result<Option<Record>, StoreError> {
        let Some(stored) = self.load_any().await? else {
            return Ok(None);
        };
        self.check_owner(&stored, name)?;
        Ok(Some(stored))
    }

    /// Bumps the revision and writes the record, trimming the oldest history events of
    /// `record` itself when the tags cannot hold them all. Once the chunks are written the
    /// record is saved: a failure to remove leftover chunks (which readers ignore and the next
    /// save removes) is logged, not returned.
    async fn save(&self, record: &mut Record) -> Result<(), StoreError> {
        let location = self.tags_location();
        let existing = self.read().await?;
        if let Some(stored) = decode_in(&self.keys, &existing, &location)? {
            self.check_owner(&stored, &record.playbook.name)?;
            if stored.revision > record.revision {
                return Err(StoreError::Conflict {
                    path: location,
                    stored: stored.revision,
                    ours: record.revision,
                });
            }
        }
        let mut next = record.clone();
        next.revision += 1;
        let own = fit::own_tag_count_in(&self.keys, &existing);
        let fitted = fit::fit(&next, own, self.resource(), &location)?;
        let plan = fit::plan_write_in(&self.keys, &existing, fitted.values);
        self.remove(&plan.remove_first).await?;
        self.add(&plan.add).await?;
        record.revision = next.revision;
        for _ in 0..fitted.dropped {
            record.history.pop_front();
        }
        if fitted.dropped > 0 {
            tracing::info!(
                dropped = fitted.dropped,
                own_tags = own,
                "dropped the oldest history events to fit the record in the tags of {}",
                self.resource()
            );
        }
        if let Err(e) = self.remove(&plan.remove_after).await {
            tracing::warn!("the record is saved, but leftover chunks remain: {e}");
        }
        Ok(())
    }

    fn location(&self, _name: &str) -> String {
        self.tags_location()
    }
}
