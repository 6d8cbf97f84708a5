//! The tags of an ALB listener or listener rule: DescribeTags, AddTags and RemoveTags on its ARN
//! (elbv2). AddTags replaces the values of keys that exist and adds the others; no call touches
//! a key it is not given.

use super::encode::Tags;
use super::resource::Resource;
use crate::store::StoreError;
use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_sdk_elasticloadbalancingv2::Client;

#[derive(Clone, Debug)]
pub(super) struct AlbTags {
    client: Client,
    resource: Resource,
}

impl AlbTags {
    /// Described as "ALB rule arn:…" or "ALB listener arn:…".
    pub(super) fn new(client: Client, arn: String) -> AlbTags {
        let kind = if arn.contains(":listener-rule/") {
            "rule"
        } else {
            "listener"
        };
        let description = format!("ALB {kind} {arn}");
        let resource = Resource::new(arn, description, "elasticloadbalancing");
        AlbTags { client, resource }
    }

    pub(super) fn resource(&self) -> &Resource {
        &self.resource
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let arn = self.resource.arn();
        let call = self.client.describe_tags().resource_arns(arn).send();
        let out = self.resource.call("DescribeTags", call).await?;
        let tags = out
            .tag_descriptions()
            .iter()
            .filter(|d| d.resource_arn() == Some(arn))
            .flat_map(|d| d.tags())
            .filter_map(|t| {
                let key = t.key()?.to_string();
                Some((key, t.value().unwrap_or_default().to_string()))
            })
            .collect();
        Ok(tags)
    }

    pub(super) async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        let tags = tags
            .iter()
            .map(|(key, value)| Tag::builder().key(key).value(value).build())
            .collect();
        let call = self
            .client
            .add_tags()
            .resource_arns(self.resource.arn())
            .set_tags(Some(tags))
            .send();
        self.resource.call("AddTags", call).await?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        let call = self
            .client
            .remove_tags()
            .resource_arns(self.resource.arn())
            .set_tag_keys(Some(keys.to_vec()))
            .send();
        self.resource.call("RemoveTags", call).await?;
        Ok(())
    }
}
