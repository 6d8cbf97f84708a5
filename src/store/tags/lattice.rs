//! The tags of a VPC Lattice listener or listener rule: ListTagsForResource, TagResource and
//! UntagResource on its ARN (TagResource takes any Lattice ARN, rules and listeners included).
//! TagResource replaces the values of keys that exist and adds the others; no call touches a
//! key it is not given.

use super::encode::Tags;
use super::resource::{tag_map, Resource};
use crate::store::StoreError;
use aws_sdk_vpclattice::Client;

#[derive(Clone, Debug)]
pub(super) struct LatticeTags {
    client: Client,
    resource: Resource,
}

impl LatticeTags {
    /// Described as "VPC Lattice rule arn:…" or "VPC Lattice listener arn:…".
    pub(super) fn new(client: Client, arn: String) -> LatticeTags {
        let kind = if arn.contains("/rule/") {
            "rule"
        } else {
            "listener"
        };
        let description = format!("VPC Lattice {kind} {arn}");
        let resource = Resource::new(arn, description, "vpc-lattice");
        LatticeTags { client, resource }
    }

    pub(super) fn resource(&self) -> &Resource {
        &self.resource
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let arn = self.resource.arn();
        let call = self
            .client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send();
        let out = self.resource.call("ListTagsForResource", call).await?;
        Ok(tag_map(out.tags()))
    }

    pub(super) async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        let call = self
            .client
            .tag_resource()
            .resource_arn(self.resource.arn())
            .set_tags(Some(tags.iter().cloned().collect()))
            .send();
        self.resource.call("TagResource", call).await?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        let call = self
            .client
            .untag_resource()
            .resource_arn(self.resource.arn())
            .set_tag_keys(Some(keys.to_vec()))
            .send();
        self.resource.call("UntagResource", call).await?;
        Ok(())
    }
}
