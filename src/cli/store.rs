//! Where the CLI keeps a deployment's record: by default in tags on the routed resource (so a
//! scheduled job or an on-call laptop needs no storage of its own and finds the record from the
//! ARN alone), or as files under `--state-dir`.

use super::Global;
use crate::aws::Clients;
use crate::core::record::{RouteBackend, RouteIdentity};
use crate::core::Record;
use crate::store::tags::TagStore;
use crate::store::{FileStore, Store, StoreError};

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

/// The tag store of the resource `arn` (a rule or listener of an ALB or of VPC Lattice).
pub fn for_target(arn: &str, clients: &Clients) -> anyhow::Result<TagStore> {
    let backend = match arn.split(':').nth(2) {
        Some("elasticloadbalancing") => RouteBackend::Alb,
        Some("vpc-lattice") => RouteBackend::Lattice,
        _ => anyhow::bail!(
            "--target {arn} is not the ARN of an ALB or VPC Lattice rule or listener; give the \
             ARN of the resource whose weights the deployment shifts"
        ),
    };
    tags_of(backend, arn, clients)
}

/// The tag store of `arn`, a resource of `backend`.
pub fn tags_of(backend: RouteBackend, arn: &str, clients: &Clients) -> anyhow::Result<TagStore> {
    Ok(match backend {
        RouteBackend::Alb => TagStore::alb(clients.elbv2.clone(), arn),
        RouteBackend::Lattice => TagStore::lattice(clients.lattice.clone(), arn),
        RouteBackend::LambdaAlias => anyhow::bail!(
            "the deployment record of a Lambda alias route is not supported by this build yet; \
             use --state-dir"
        ),
    })
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
