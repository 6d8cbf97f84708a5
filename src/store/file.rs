//! The local file store: one JSON file per deployment under the state directory.
//!
//! Writes are atomic: the record goes to a temporary file in the same directory, is synced to
//! disk, and is renamed over the old one, so a kill at any moment leaves either the old or the
//! new record, never half of one.

use super::{Store, StoreError};
use crate::core::record::RECORD_VERSION;
use crate::core::Record;
use crate::store::format::{read_record, ReadError};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore { dir: dir.into() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    fn read(path: &Path) -> Result<Option<Record>, StoreError> {
        let shown = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Read {
                    path: shown,
                    source,
                })
            }
        };
        match read_record(&bytes) {
            Ok(record) => Ok(Some(record)),
            Err(ReadError::Corrupt(why)) => Err(StoreError::Corrupt { path: shown, why }),
            Err(ReadError::TooNew(found)) => Err(StoreError::TooNew {
                path: shown,
                found,
                supported: RECORD_VERSION,
            }),
        }
    }

    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        // Persist the rename itself; not every platform lets a directory be opened for this.
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    fn save_sync(&self, record: &mut Record) -> Result<(), StoreError> {
        let path = self.path(&record.playbook.name);
        let shown = path.display().to_string();
        if let Some(stored) = Self::read(&path)? {
            if stored.revision > record.revision {
                return Err(StoreError::Conflict {
                    path: shown,
                    stored: stored.revision,
                    ours: record.revision,
                });
            }
        }
        record.revision += 1;
        let bytes = serde_json::to_vec_pretty(record).map_err(|e| StoreError::Corrupt {
            path: shown.clone(),
            why: e.to_string(),
        })?;
        self.write_atomically(&path, &bytes)
            .map_err(|source| StoreError::Write {
                path: shown,
                source,
            })
    }
}

impl Store for FileStore {
    async fn load(&self, name: &str) -> Result<Option<Record>, StoreError> {
        Self::read(&self.path(name))
    }

    async fn save(&self, record: &mut Record) -> Result<(), StoreError> {
        self.save_sync(record)
    }

    fn location(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::Timestamp;

    fn record() -> Record {
        Record::new(
            PlaybookId {
                name: "checkout".into(),
                content_hash: "abc".into(),
            },
            Timestamp(1_000),
        )
    }

    #[tokio::test]
    async fn saves_and_loads_with_bumped_revision() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("state"));
        assert_eq!(store.load("checkout").await.unwrap(), None);
        let mut rec = record();
        store.save(&mut rec).await.unwrap();
        assert_eq!(rec.revision, 1);
        assert_eq!(store.load("checkout").await.unwrap(), Some(rec));
    }

    #[tokio::test]
    async fn refuses_to_overwrite_a_newer_revision() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let mut first = record();
        store.save(&mut first).await.unwrap();
        let mut stale = first.clone();
        store.save(&mut first).await.unwrap();
        let err = store.save(&mut stale).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    stored: 2,
                    ours: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[tokio::test]
    async fn rejects_a_record_from_a_newer_binary_and_corrupt_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        std::fs::write(dir.path().join("new.json"), r#"{"version": 99}"#).unwrap();
        let err = store.load("new").await.unwrap_err();
        assert!(err.to_string().contains("newer canary-deploy"), "{err}");
        std::fs::write(dir.path().join("bad.json"), "{not json").unwrap();
        let err = store.load("bad").await.unwrap_err();
        assert!(err.to_string().contains("move it aside"), "{err}");
    }
}
