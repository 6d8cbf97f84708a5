//! [`AnyStore`]: the store a command chose ([`crate::session::Session`] chooses: `--state-dir`
//! files, or the tags of the route's resource), behind the one [`Store`] trait.

use super::{FileStore, Store, StoreError, TagStore};
use crate::core::Record;

/// A file store or a tag store.
pub enum AnyStore {
    File(FileStore),
    Tags(TagStore),
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
