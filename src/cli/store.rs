//! Where the CLI keeps a deployment's record: by default in tags on the routed resource (so a
//! scheduled job or an on-call laptop needs no storage of its own and finds the record from the
//! ARN alone), or as files under `--state-dir`.

use super::Global;
use crate::aws::Clients;
use crate::core::record::{RouteBackend, RouteIdentity};
use crate::core::Record;
use crate::store::tags::TagStore;
use crate::store::{FileStore, Store, StoreError};
use crate::traffic::lambda_alias::arn::{is_published_version, FunctionArn};

/// The store the command line chose.
pub enum AnyStore {
    File(FileStore),
    Tags(TagStore),
}

impl AnyStore {
    /// `--state-dir` files, or else the tags of the route's resource.
    pub fn for_route(
        global: &Global,
        route: &RouteIdentity,
        clients: &Clients,
    ) -> anyhow::Result<AnyStore> {
        Ok(match &global.state_dir {
            Some(dir) => AnyStore::File(FileStore::new(dir)),
            None => AnyStore::Tags(tags_of(route.backend, route.resource_arn(), clients)?),
        })
    }
}

/// The tag store of the resource `arn` (a rule or listener of an ALB or of VPC Lattice, or a
/// Lambda alias).
pub fn for_target(arn: &str, clients: &Clients) -> anyhow::Result<TagStore> {
    let backend = match arn.split(':').nth(2) {
        Some("elasticloadbalancing") => RouteBackend::Alb,
        Some("vpc-lattice") => RouteBackend::Lattice,
        Some("lambda") => RouteBackend::LambdaAlias,
        _ => anyhow::bail!(
            "--target {arn} is not the ARN of an ALB or VPC Lattice rule or listener, nor of a \
             Lambda alias; give the ARN of the resource whose weights the deployment shifts"
        ),
    };
    tags_of(backend, arn, clients)
}

/// The tag store of `arn`, a resource of `backend`. For a Lambda alias, `arn` is the alias's
/// ARN and the record lives in its function's tags, under keys of that alias.
pub fn tags_of(backend: RouteBackend, arn: &str, clients: &Clients) -> anyhow::Result<TagStore> {
    Ok(match backend {
        RouteBackend::Alb => TagStore::alb(clients.elbv2.clone(), arn),
        RouteBackend::Lattice => TagStore::lattice(clients.lattice.clone(), arn),
        RouteBackend::LambdaAlias => {
            let (function_arn, alias) = alias_of(arn)?;
            TagStore::lambda(clients.lambda.clone(), function_arn, alias)
        }
    })
}

/// The unqualified function ARN and the alias name of a Lambda alias ARN.
fn alias_of(arn: &str) -> anyhow::Result<(&str, &str)> {
    match FunctionArn::parse(arn) {
        Some(FunctionArn {
            unqualified,
            qualifier: Some(alias),
            ..
        }) if alias != "$LATEST" && !is_published_version(alias) => Ok((unqualified, alias)),
        _ => anyhow::bail!(
            "{arn} is not the ARN of a Lambda alias (arn:aws:lambda:<region>:<account>:\
             function:<name>:<alias>); give the alias's ARN, not the function's or a version's"
        ),
    }
}

impl Store for AnyStore {
    async fn load(&self, name: &str) -> Result<Option<Record>, StoreError> {
        match self {
            AnyStore::File(store) => store.load(name).await,
            AnyStore::Tags(store) => store.load(name).await,
        }
    }

    async fn save(&self, record: &mut Record) -> Result<(), StoreError> {
        match self {
            AnyStore::File(store) => store.save(record).await,
            AnyStore::Tags(store) => store.save(record).await,
        }
    }

    fn location(&self, name: &str) -> String {
        match self {
            AnyStore::File(store) => store.location(name),
            AnyStore::Tags(store) => store.location(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::alias_of;

    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:checkout";

    #[test]
    fn an_alias_arn_names_its_function_and_alias() {
        let arn = format!("{FUNCTION}:live");
        assert_eq!(alias_of(&arn).unwrap(), (FUNCTION, "live"));
    }

    #[test]
    fn a_function_or_version_arn_is_not_an_alias() {
        for arn in [
            FUNCTION.to_string(),
            format!("{FUNCTION}:7"),
            format!("{FUNCTION}:$LATEST"),
        ] {
            let err = alias_of(&arn).unwrap_err().to_string();
            assert!(err.contains("is not the ARN of a Lambda alias"), "{err}");
        }
    }
}
