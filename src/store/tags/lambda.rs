//! The tags of a Lambda function: ListTags, TagResource and UntagResource on its unqualified
//! ARN. Lambda tags functions, not aliases, so the record of one alias lives under keys of its
//! own (`canary-deploy:<alias>:<n>`, see [`super::keys`]) beside any other alias's record and
//! the user's tags. TagResource replaces the values of keys that exist and adds the others; no
//! call touches a key it is not given.

use super::encode::Tags;
use super::resource::{tag_map, Resource};
use crate::store::StoreError;
use aws_sdk_lambda::Client;

#[derive(Clone, Debug)]
pub(super) struct LambdaTags {
    client: Client,
    /// At the unqualified function ARN (TagResource refuses a qualified one).
    resource: Resource,
}

impl LambdaTags {
    /// Described as "Lambda function arn:… (alias live)".
    pub(super) fn new(client: Client, arn: String, alias: &str) -> LambdaTags {
        let description = format!("Lambda function {arn} (alias {alias})");
        let resource = Resource::new(arn, description, "lambda");
        LambdaTags { client, resource }
    }

    pub(super) fn resource(&self) -> &Resource {
        &self.resource
    }

    pub(super) async fn read(&self) -> Result<Tags, StoreError> {
        let call = self.client.list_tags().resource(self.resource.arn()).send();
        let out = self.resource.call("ListTags", call).await?;
        Ok(tag_map(out.tags()))
    }

    pub(super) async fn add(&self, tags: &[(String, String)]) -> Result<(), StoreError> {
        let call = self
            .client
            .tag_resource()
            .resource(self.resource.arn())
            .set_tags(Some(tags.iter().cloned().collect()))
            .send();
        self.resource.call("TagResource", call).await?;
        Ok(())
    }

    pub(super) async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        let call = self
            .client
            .untag_resource()
            .resource(self.resource.arn())
            .set_tag_keys(Some(keys.to_vec()))
            .send();
        self.resource.call("UntagResource", call).await?;
        Ok(())
    }
}
