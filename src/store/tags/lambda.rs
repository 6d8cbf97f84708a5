//! The tags of a Lambda function: ListTags, TagResource and UntagResource on its unqualified
//! ARN. Lambda tags functions, not aliases, so the record of one alias lives under keys of its
//! own (`canary-deploy:<alias>:<n>`, see [`super::keys`]) beside any other alias's record and
//! the user's tags. TagResource replaces the values of keys that exist and adds the others; no
//! call touches a key it is not given.

use super::aws_error;
use super::encode::Tags;
use crate::store::StoreError;
use aws_sdk_lambda::Client;

#[derive(Clone, Debug)]
pub(super) struct LambdaTags {
    client: Client,
    /// The unqualified function ARN (TagResource refuses a qualified one).
    arn: String,
    alias: String,
}

impl LambdaTags {
    pub(super) fn new(client: Client, arn: String, alias: String) -> LambdaTags {
        LambdaTags { client, arn, alias }
    }

    pub(super) fn arn(&self) -> &str {
        &self.arn
    }

    /// "Lambda function arn:… (alias live)".
    pub(super) fn describe(&self) -> String {
        format!("Lambda function {} (alias {})", self.arn, self.alias)
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let out = self
            .client
            .list_tags()
            .resource(&self.arn)
            .send()
            .await
            .map_err(|e| aws_error("ListTags", &self.describe(), "lambda", &e))?;
        Ok(out
            .tags()
            .map(|tags| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    pub(super) async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        self.client
            .tag_resource()
            .resource(&self.arn)
            .set_tags(Some(tags.iter().cloned().collect()))
            .send()
            .await
            .map_err(|e| aws_error("TagResource", &self.describe(), "lambda", &e))?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        self.client
            .untag_resource()
            .resource(&self.arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| aws_error("UntagResource", &self.describe(), "lambda", &e))?;
        Ok(())
    }
}
