//! The tags of a VPC Lattice listener or listener rule: ListTagsForResource, TagResource and
//! UntagResource on its ARN (TagResource takes any Lattice ARN, rules and listeners included).
//! TagResource replaces the values of keys that exist and adds the others; no call touches a
//! key it is not given.

use super::aws_error;
use super::encode::Tags;
use crate::store::StoreError;
use aws_sdk_vpclattice::Client;

#[derive(Clone, Debug)]
pub(super) struct LatticeTags {
    client: Client,
    arn: String,
}

impl LatticeTags {
    pub(super) fn new(client: Client, arn: String) -> LatticeTags {
        LatticeTags { client, arn }
    }

    pub(super) fn arn(&self) -> &str {
        &self.arn
    }

    /// "VPC Lattice rule arn:…" or "VPC Lattice listener arn:…".
    pub(super) fn describe(&self) -> String {
        let kind = if self.arn.contains("/rule/") {
            "rule"
        } else {
            "listener"
        };
        format!("VPC Lattice {kind} {}", self.arn)
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let out = self
            .client
            .list_tags_for_resource()
            .resource_arn(&self.arn)
            .send()
            .await
            .map_err(|e| aws_error("ListTagsForResource", &self.describe(), "vpc-lattice", &e))?;
        Ok(out
            .tags()
            .map(|tags| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    pub(super) async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        self.client
            .tag_resource()
            .resource_arn(&self.arn)
            .set_tags(Some(tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| aws_error("TagResource", &self.describe(), "vpc-lattice", &e))?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        self.client
            .untag_resource()
            .resource_arn(&self.arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| aws_error("UntagResource", &self.describe(), "vpc-lattice", &e))?;
        Ok(())
    }
}
