//! The deployment record as resource tags, and back: pure, so every limit is a unit test.
//!
//! AWS tags are small (a value holds at most 256 characters, a resource at most 50 tags, and
//! only letters, digits, spaces and `_ . : / = + - @`), while a record with its history is a
//! few kilobytes of JSON. So the record is serialised as JSON, compressed with raw deflate,
//! written as standard base64 (`A–Z a–z 0–9 + / =`, all allowed by ELB's and Lattice's tag
//! alphabets) and cut into chunks of 256 characters under the keys `canary-deploy:0`,
//! `canary-deploy:1`, …
//!
//! The first chunk starts with a header, `<format>.<chunks>.<checksum>.`: the format version
//! (so a newer encoding is refused, never misread), how many chunks belong to this record (so
//! chunks beyond that, left by a larger earlier record, are ignored), and the first 12 hex
//! digits of the SHA-256 of the whole base64 text (so a torn or hand-edited set of chunks is
//! detected, never misread). Everything after the header's last `.` is base64 text.

use super::keys::KeySpace;
use crate::core::record::RECORD_VERSION;
use crate::core::Record;
use crate::store::format::{read_record, ReadError};
use crate::store::StoreError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// Every key of ours starts with this, followed by the chunk's index in decimal.
pub const KEY_PREFIX: &str = "canary-deploy:";
/// The most characters AWS accepts in a tag value: TagValue's `max` in the ELBv2 and VPC Lattice
/// API models (the user guides' tag restrictions say 255, the API reference and the models 256).
pub const MAX_VALUE_CHARS: usize = 256;
/// The encoding this binary writes; a higher one on a resource is refused as too new.
pub const FORMAT_VERSION: u32 = 1;
/// Hex digits of the SHA-256 kept in the header.
const CHECKSUM_HEX: usize = 12;
/// No record inflates beyond this; anything larger is garbage (or a decompression bomb).
const MAX_INFLATED_BYTES: u64 = 4 << 20;

/// A resource's tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// The key of chunk `index` (`canary-deploy:<index>`; see [`KeySpace`] for other key spaces).
pub fn chunk_key(index: usize) -> String {
    KeySpace::default().chunk_key(index)
}

/// The chunk index a key of ours names (`canary-deploy:7` → 7); None for anyone else's key.
pub fn chunk_index(key: &str) -> Option<usize> {
    KeySpace::default().chunk_index(key)
}

/// The chunk values of `record`, in key order (value `i` goes under [`chunk_key`]`(i)`).
pub fn encode(record: &Record, location: &str) -> Result<Vec<String>, StoreError> {
    let json = serde_json::to_vec(record).map_err(|e| unencodable(location, e))?;
    encode_json(&json, location)
}

/// The chunk values of a record already serialised as JSON.
pub(super) fn encode_json(json: &[u8], location: &str) -> Result<Vec<String>, StoreError> {
    let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
    deflate
        .write_all(json)
        .map_err(|e| unencodable(location, e))?;
    let compressed = deflate.finish().map_err(|e| unencodable(location, e))?;
    Ok(chunks(&STANDARD.encode(compressed)))
}

/// Cuts base64 text into chunk values, the header in front of the first.
pub(super) fn chunks(payload: &str) -> Vec<String> {
    let sum = checksum(payload);
    let header = |count: usize| format!("{FORMAT_VERSION}.{count}.{sum}.");
    // The fewest chunks that hold the header and the text (the header grows with the count).
    let mut count = 1;
    while header(count).len() + payload.len() > count * MAX_VALUE_CHARS {
        count += 1;
    }
    let mut text = header(count).into_bytes();
    text.extend_from_slice(payload.as_bytes());
    // Base64 and the header are ASCII, so bytes are characters.
    text.chunks(MAX_VALUE_CHARS)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect()
}

fn checksum(payload: &str) -> String {
    let digest = Sha256::digest(payload.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..CHECKSUM_HEX].to_string()
}

/// The record kept in `tags` (None when no key is ours). Keys of others are ignored, and so are
/// chunks of ours beyond the count in the header. `location` names the tags in errors.
pub fn decode(tags: &Tags, location: &str) -> Result<Option<Record>, StoreError> {
    decode_in(&KeySpace::default(), tags, location)
}

/// [`decode`] of the record under `keys`.
pub fn decode_in(
    keys: &KeySpace,
    tags: &Tags,
    location: &str,
) -> Result<Option<Record>, StoreError> {
    let corrupt = |location: &str, why: String| corrupt(keys, location, why);
    let chunk_key = |index: usize| keys.chunk_key(index);
    let ours: BTreeMap<usize, &str> = tags
        .iter()
        .filter_map(|(key, value)| Some((keys.chunk_index(key)?, value.as_str())))
        .collect();
    let Some((&first_index, _)) = ours.first_key_value() else {
        return Ok(None);
    };
    let first = ours.get(&0).ok_or_else(|| {
        corrupt(
            location,
            format!(
                "{} is missing but {} is there",
                chunk_key(0),
                chunk_key(first_index)
            ),
        )
    })?;
    let header = Header::parse(first, keys, location)?;
    let mut payload = header.text.to_string();
    for index in 1..header.count {
        let chunk = ours.get(&index).ok_or_else(|| {
            corrupt(
                location,
                format!(
                    "{} of {} chunks is missing (a torn write, or a tag removed by hand)",
                    chunk_key(index),
                    header.count
                ),
            )
        })?;
        payload.push_str(chunk);
    }
    if checksum(&payload) != header.checksum {
        return Err(corrupt(
            location,
            format!(
                "the {} chunks do not match their checksum (a torn write, or tags edited by hand)",
                header.count
            ),
        ));
    }
    let compressed = STANDARD
        .decode(payload.as_bytes())
        .map_err(|e| corrupt(location, format!("not base64: {e}")))?;
    let mut json = Vec::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(MAX_INFLATED_BYTES)
        .read_to_end(&mut json)
        .map_err(|e| corrupt(location, format!("not deflate: {e}")))?;
    parse_record(&json, keys, location).map(Some)
}

/// The header of the first chunk, and the base64 text after it.
struct Header<'a> {
    count: usize,
    checksum: &'a str,
    text: &'a str,
}

impl<'a> Header<'a> {
    fn parse(first: &'a str, keys: &KeySpace, location: &str) -> Result<Header<'a>, StoreError> {
        let bad = |why: &str| corrupt(keys, location, format!("{}: {why}", keys.chunk_key(0)));
        let mut fields = first.splitn(4, '.');
        let version: u32 = fields
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| bad("no format version"))?;
        if version > FORMAT_VERSION {
            return Err(StoreError::TooNew {
                path: location.to_string(),
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if version != FORMAT_VERSION {
            return Err(bad(&format!("unknown format version {version}")));
        }
        let count: usize = fields
            .next()
            .and_then(|c| c.parse().ok())
            .filter(|c| *c >= 1)
            .ok_or_else(|| bad("no chunk count"))?;
        let checksum = fields
            .next()
            .filter(|c| c.len() == CHECKSUM_HEX && c.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| bad("no checksum"))?;
        let text = fields.next().ok_or_else(|| bad("no data"))?;
        Ok(Header {
            count,
            checksum,
            text,
        })
    }
}

/// The record in `json`, refusing one from a newer binary as the file store does.
fn parse_record(json: &[u8], keys: &KeySpace, location: &str) -> Result<Record, StoreError> {
    read_record(json).map_err(|e| match e {
        ReadError::Corrupt(why) => corrupt(keys, location, why),
        ReadError::TooNew(found) => StoreError::TooNew {
            path: location.to_string(),
            found,
            supported: RECORD_VERSION,
        },
    })
}

/// Tags of ours that are not a record; the way out is to remove them.
fn corrupt(keys: &KeySpace, location: &str, why: String) -> StoreError {
    StoreError::Corrupt {
        path: location.to_string(),
        why: format!("{why}; removing the {}* tags starts over", keys.prefix()),
    }
}

/// A record that cannot be serialised (not expected: it is plain data).
fn unencodable(location: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        path: location.to_string(),
        why: format!("cannot encode it: {e}"),
    }
}
