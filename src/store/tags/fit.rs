//! Fitting the record into the tag slots a resource has left, and planning the tag writes.
//!
//! AWS allows 50 tags per resource; tags whose key starts with `aws:` do not count. The slots
//! of tags that are not ours are never touched, so the record gets what is left. When it does
//! not fit, the oldest history events go first (the history is a log for people; nothing else
//! in the record may be lost); when even an empty history does not fit, the error says how
//! many tags the resource has and how many the record needs.
//!
//! A save writes every chunk in one AddTags/TagResource call, then removes our chunks beyond the
//! new count (leftovers are harmless meanwhile: readers take only as many chunks as the first
//! one's header says, and the checksum catches a mix of old and new chunks).
//! Only when the resource could not hold both the new chunks and those leftovers at once (our
//! keys have gaps, e.g. a tag removed by hand) are the leftovers removed first.

use super::encode::{encode, Tags};
use super::keys::KeySpace;
use crate::core::Record;
use crate::store::StoreError;

/// Tags per resource (ELBv2 and VPC Lattice).
pub const MAX_TAGS: usize = 50;

/// Whether a key counts against [`MAX_TAGS`] (AWS's own `aws:` tags do not).
pub fn counts(key: &str) -> bool {
    !key.starts_with("aws:")
}

/// Tags on the resource that are not ours and count against the limit.
pub fn own_tag_count(tags: &Tags) -> usize {
    own_tag_count_in(&KeySpace::default(), tags)
}

/// [`own_tag_count`] beside the record under `keys` (another alias's record counts here).
pub fn own_tag_count_in(keys: &KeySpace, tags: &Tags) -> usize {
    tags.keys()
        .filter(|key| counts(key) && keys.chunk_index(key).is_none())
        .count()
}

/// A record's chunk values, with how many of its oldest history events had to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fitted {
    pub values: Vec<String>,
    pub dropped: usize,
}

/// Encodes `record` into at most `MAX_TAGS - own` chunks, dropping its oldest history events
/// (and nothing else) until it fits. `resource` names the resource in the error.
pub fn fit(
    record: &Record,
    own: usize,
    resource: &str,
    location: &str,
) -> Result<Fitted, StoreError> {
    let free = MAX_TAGS.saturating_sub(own);
    let values = encode(record, location)?;
    if values.len() <= free {
        return Ok(Fitted { values, dropped: 0 });
    }
    let mut trial = record.clone();
    trial.history.clear();
    let bare = encode(&trial, location)?;
    if bare.len() > free {
        return Err(StoreError::NoRoom {
            resource: resource.to_string(),
            own,
            needed: bare.len(),
            limit: MAX_TAGS,
        });
    }
    // Deflate makes the size step unevenly, so drop one event at a time: the fewest that fit.
    trial.history = record.history.clone();
    for dropped in 1..record.history.len() {
        trial.history.pop_front();
        let values = encode(&trial, location)?;
        if values.len() <= free {
            return Ok(Fitted { values, dropped });
        }
    }
    Ok(Fitted {
        values: bare,
        dropped: record.history.len(),
    })
}

/// The tag calls of one save, in order: `remove_first` (usually empty), `add`, `remove_after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WritePlan {
    pub remove_first: Vec<String>,
    pub add: Vec<(String, String)>,
    pub remove_after: Vec<String>,
}

/// How to replace the chunks of ours in `existing` with `values`, leaving every other tag alone.
pub fn plan_write(existing: &Tags, values: Vec<String>) -> WritePlan {
    plan_write_in(&KeySpace::default(), existing, values)
}

/// [`plan_write`] of the record under `keys`.
pub fn plan_write_in(keys: &KeySpace, existing: &Tags, values: Vec<String>) -> WritePlan {
    let count = values.len();
    let stale: Vec<String> = existing
        .keys()
        .filter(|key| keys.chunk_index(key).is_some_and(|index| index >= count))
        .cloned()
        .collect();
    let add: Vec<(String, String)> = values
        .into_iter()
        .enumerate()
        .map(|(index, value)| (keys.chunk_key(index), value))
        .collect();
    let fits_with_stale = own_tag_count_in(keys, existing) + count + stale.len() <= MAX_TAGS;
    if fits_with_stale {
        WritePlan {
            remove_first: Vec::new(),
            add,
            remove_after: stale,
        }
    } else {
        WritePlan {
            remove_first: stale,
            add,
            remove_after: Vec::new(),
        }
    }
}
