//! The tags of an ALB listener or listener rule: DescribeTags, AddTags and RemoveTags on its ARN
//! (elbv2). AddTags replaces the values of keys that exist and adds the others; no call touches
//! a key it is not given.

use super::aws_error;
use super::encode::Tags;
use crate::store::StoreError;
use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_sdk_elasticloadbalancingv2::Client;

#[derive(Clone, Debug)]
pub(super) struct AlbTags {
    client: Client,
    arn: String,
}

impl AlbTags {
    pub(super) fn new(client: Client, arn: String) -> AlbTags {
        AlbTags { client, arn }
    }

    pub(super) fn arn(&self) -> &str {
        &self.arn
    }

    /// "ALB rule arn:…" or "ALB listener arn:…".
    pub(super) fn describe(&self) -> String {
        let kind = if self.arn.contains(":listener-rule/") {
            "rule"
        } else {
            "listener"
        };
        format!("ALB {kind} {}", self.arn)
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let out = self
            .client
            .describe_tags()
            .resource_arns(&self.arn)
            .send()
            .await
            .map_err(|e| aws_error("DescribeTags", &self.describe(), "elasticloadbalancing", &e))?;
        let tags = out
            .tag_descriptions()
            .iter()
            .filter(|d| d.resource_arn() == Some(self.arn.as_str()))
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
        self.client
            .add_tags()
            .resource_arns(&self.arn)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| aws_error("AddTags", &self.describe(), "elasticloadbalancing", &e))?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        self.client
            .remove_tags()
            .resource_arns(&self.arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| aws_error("RemoveTags", &self.describe(), "elasticloadbalancing", &e))?;
        Ok(())
    }
}
