//! Property tests of the tag format, over any record and any tags.
//!
//! What is promised, whatever the tags (and never a panic):
//! - any record encodes into values of at most 256 characters in ELB's tag alphabet, and decodes
//!   back to itself, in the resource's key space and in an alias's;
//! - a validly encoded record with its chunks changed, cut, dropped, swapped, renamed or padded
//!   (one to three times) is refused, unless what was changed is not read (a chunk beyond the
//!   count, a header field spelt differently) and the record decodes exactly as it was;
//! - tags of any keys and values decode or are refused; with no key of ours they are no record;
//! - behind a valid header and checksum, the decoder answers exactly as [`read_record`] does on
//!   the inflated bytes.

use super::encode::{chunks, decode, decode_in, encode, encode_json, Tags};
use super::encode_tests::{as_tags, assert_valid_values, WHERE};
use super::keys::KeySpace;
use crate::store::format::read_record;
use crate::store::test_support::{record, text};
use crate::store::StoreError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use proptest::prelude::*;
use proptest::sample::Index;

/// One change to a chunk value or key: which chunk, where in it, and what.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, Index, char),
    Insert(Index, Index, char),
    Cut(Index, Index),
    Drop(Index),
    Swap(Index, Index),
    Set(Index, String),
    Rename(Index, String),
    Extra(String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let c = prop_oneof![
        prop::sample::select(b"AZaz09+/=.-1".to_vec()).prop_map(char::from),
        any::<char>(),
    ];
    let idx = any::<Index>;
    prop_oneof![
        4 => (idx(), idx(), c.clone()).prop_map(|(k, at, c)| Mutation::Replace(k, at, c)),
        2 => (idx(), idx(), c).prop_map(|(k, at, c)| Mutation::Insert(k, at, c)),
        2 => (idx(), idx()).prop_map(|(k, at)| Mutation::Cut(k, at)),
        1 => idx().prop_map(Mutation::Drop),
        1 => (idx(), idx()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        1 => (idx(), text()).prop_map(|(k, v)| Mutation::Set(k, v)),
        1 => (idx(), prop::sample::select(vec!["canary-deploy:01", "canary-deploy:", "x"]))
            .prop_map(|(k, key)| Mutation::Rename(k, key.to_string())),
        1 => "[A-Za-z0-9+/=]{0,300}".prop_map(Mutation::Extra),
    ]
}

/// `values` (chunk i under `canary-deploy:i`) with `m` applied, as tags.
fn mutate(values: &mut Vec<(String, String)>, m: &Mutation) {
    let n = values.len();
    let at_char = |value: &str, at: &Index| {
        let bounds: Vec<usize> = value.char_indices().map(|(i, _)| i).collect();
        bounds
            .get(at.index(bounds.len().max(1)))
            .copied()
            .unwrap_or(value.len())
    };
    match m {
        Mutation::Replace(k, at, c) => {
            let value = &mut values[k.index(n)].1;
            let i = at_char(value, at);
            if let Some(old) = value[i..].chars().next() {
                value.replace_range(i..i + old.len_utf8(), &c.to_string());
            }
        }
        Mutation::Insert(k, at, c) => {
            let value = &mut values[k.index(n)].1;
            let i = at_char(value, at);
            value.insert(i, *c);
        }
        Mutation::Cut(k, at) => {
            let value = &mut values[k.index(n)].1;
            let i = at_char(value, at);
            value.truncate(i);
        }
        Mutation::Drop(k) => {
            values.remove(k.index(n));
        }
        Mutation::Swap(a, b) => {
            let (a, b) = (a.index(n), b.index(n));
            let value = values[a].1.clone();
            values[a].1 = std::mem::replace(&mut values[b].1, value);
        }
        Mutation::Set(k, value) => values[k.index(n)].1 = value.clone(),
        Mutation::Rename(k, key) => values[k.index(n)].0 = key.clone(),
        Mutation::Extra(value) => values.push((format!("canary-deploy:{n}"), value.clone())),
    }
}

/// Keys of ours (canonical or not), an alias's and anyone's, for arbitrary tags.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..6usize).prop_map(|i| format!("canary-deploy:{i}")),
        1 => prop::sample::select(vec![
            "canary-deploy:01",
            "canary-deploy:",
            "canary-deploy:live:0",
        ])
        .prop_map(str::to_string),
        1 => text(),
    ]
}

/// Values a chunk could hold: anything, a header and base64, or long runs.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => text(),
        2 => "1\\.[0-9]{1,3}\\.[0-9a-fA-F]{12}\\.[A-Za-z0-9+/=]{0,300}",
        1 => "[0-9]{1,25}\\.[0-9]{1,25}\\.[0-9a-f]{0,13}\\.?[A-Za-z0-9+/=.]{0,40}",
        1 => (0..20_000usize).prop_map(|n| "A".repeat(n)),
    ]
}

fn ours(tags: &Tags) -> bool {
    tags.keys()
        .any(|key| KeySpace::default().chunk_index(key).is_some())
}

/// The decoder's answer and `read_record`'s agree: the same record, or both refused.
fn agree(decoded: Result<Option<crate::core::Record>, StoreError>, json: &[u8]) -> bool {
    match (decoded, read_record(json)) {
        (Ok(Some(a)), Ok(b)) => a == b,
        (
            Err(StoreError::TooNew { found, .. }),
            Err(crate::store::format::ReadError::TooNew(f)),
        ) => found == f,
        (Err(StoreError::Corrupt { .. }), Err(crate::store::format::ReadError::Corrupt(_))) => true,
        _ => false,
    }
}

proptest! {
    #[test]
    fn any_record_round_trips(
        record in record(),
        alias in prop::option::of("[a-z][a-z0-9-]{0,9}"),
    ) {
        let values = encode(&record, WHERE).unwrap();
        assert_valid_values(&values);
        let keys = alias.as_deref().map_or_else(KeySpace::default, KeySpace::alias);
        let tags: Tags = values
            .iter()
            .enumerate()
            .map(|(i, v)| (keys.chunk_key(i), v.clone()))
            .collect();
        prop_assert_eq!(decode_in(&keys, &tags, WHERE).unwrap(), Some(record));
    }

    #[test]
    fn a_mutated_record_is_refused_or_read_as_it_was(
        record in record(),
        mutations in prop::collection::vec(mutation(), 1..=3),
    ) {
        let mut values: Vec<(String, String)> =
            as_tags(&encode(&record, WHERE).unwrap()).into_iter().collect();
        values.sort_by_key(|(key, _)| super::encode::chunk_index(key));
        for m in &mutations {
            if values.is_empty() {
                break;
            }
            mutate(&mut values, m);
        }
        let tags: Tags = values.into_iter().collect();
        match decode(&tags, WHERE) {
            Ok(Some(read)) => prop_assert_eq!(read, record),
            Ok(None) => prop_assert!(!ours(&tags)),
            Err(_) => {}
        }
    }

    #[test]
    fn any_tags_decode_or_are_refused(
        tags in prop::collection::btree_map(key(), value(), 0..6),
    ) {
        let decoded = decode(&tags, WHERE);
        if !ours(&tags) {
            prop_assert!(matches!(decoded, Ok(None)), "{:?}", decoded);
        }
    }

    #[test]
    fn behind_a_valid_checksum_the_answer_is_read_records(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            text().prop_map(String::into_bytes),
            Just(br#"{"version": 99}"#.to_vec()),
        ],
    ) {
        let tags = as_tags(&encode_json(&bytes, WHERE).unwrap());
        prop_assert!(agree(decode(&tags, WHERE), &bytes));
        // The same bytes as base64 but not deflate: refused, never read.
        let raw = as_tags(&chunks(&STANDARD.encode(&bytes)));
        let _ = decode(&raw, WHERE);
    }
}
