//! The tag format at AWS's limits: 256-character values, values only in ELB's tag alphabet, stale,
//! corrupted and missing chunks, garbage and newer formats. Fitting is in `fit_tests.rs`.

use super::encode::{chunk_index, chunk_key, chunks, decode, encode, encode_json, Tags};
use crate::core::record::PlaybookId;
use crate::core::{Event, EventKind, Phase, Record, Timestamp};
use crate::store::StoreError;
use sha2::{Digest, Sha256};

pub(super) const WHERE: &str = "tags canary-deploy:* on ALB rule arn:r";
pub(super) const RESOURCE: &str = "ALB rule arn:r";

/// Text that deflate cannot shrink much: hex of chained SHA-256 digests.
pub(super) fn noise(seed: usize, len: usize) -> String {
    let mut out = String::new();
    let mut digest = Sha256::digest(seed.to_le_bytes());
    while out.len() < len {
        out.extend(digest.iter().map(|b| format!("{b:02x}")));
        digest = Sha256::digest(digest);
    }
    out.truncate(len);
    out
}

pub(super) fn record() -> Record {
    Record::new(
        PlaybookId {
            name: "checkout".into(),
            content_hash: "abc123".into(),
        },
        Timestamp(1_000),
    )
}

/// A record with `events` history events of `message_len` incompressible characters each.
pub(super) fn with_history(events: usize, message_len: usize) -> Record {
    let mut rec = record();
    for i in 0..events {
        rec.remember(Event {
            at: Timestamp(i as i64 * 60_000),
            kind: EventKind::Holding {
                why: format!("event {i}: {}", noise(i, message_len)),
            },
        });
    }
    rec
}

pub(super) fn as_tags(values: &[String]) -> Tags {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (chunk_key(i), v.clone()))
        .collect()
}

/// ELB's TagValue pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, which Lattice's docs repeat.
fn elb_tag_pattern(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c))
}

pub(super) fn assert_valid_values(values: &[String]) {
    for (i, value) in values.iter().enumerate() {
        assert!(value.chars().count() <= 256, "chunk {i}: {}", value.len());
        assert!(
            elb_tag_pattern(value),
            "chunk {i} outside the tag alphabet: {value}"
        );
        if i + 1 < values.len() {
            assert_eq!(value.len(), 256, "chunk {i} is not full");
        }
    }
}

/// `values` decode to `rec` without its `dropped` oldest events, and one event fewer dropped
/// would not have fitted in `slots` tags.
pub(super) fn assert_trimmed_exactly(
    rec: &Record,
    values: &[String],
    dropped: usize,
    slots: usize,
) {
    let mut expected = rec.clone();
    expected.history.drain(..dropped);
    assert_eq!(decode(&as_tags(values), WHERE).unwrap(), Some(expected));
    if dropped > 0 {
        let mut one_more = rec.clone();
        one_more.history.drain(..dropped - 1);
        assert!(encode(&one_more, WHERE).unwrap().len() > slots);
    }
}

#[test]
fn a_small_record_round_trips_in_one_tag() {
    let mut rec = record();
    rec.phase = Phase::Paused {
        why: "drift".into(),
        index: Some(1),
    };
    let values = encode(&rec, WHERE).unwrap();
    assert_eq!(values.len(), 1);
    assert!(values[0].starts_with("1.1."), "{}", values[0]);
    assert_valid_values(&values);
    assert_eq!(decode(&as_tags(&values), WHERE).unwrap(), Some(rec));
}

#[test]
fn no_key_of_ours_is_no_record() {
    let tags: Tags = [("team".to_string(), "payments".to_string())].into();
    assert_eq!(decode(&tags, WHERE).unwrap(), None);
    assert_eq!(decode(&Tags::new(), WHERE).unwrap(), None);
}

#[test]
fn keys_of_ours_are_canonical_indexes() {
    assert_eq!(chunk_index("canary-deploy:0"), Some(0));
    assert_eq!(chunk_index("canary-deploy:49"), Some(49));
    for other in [
        "canary-deploy:",
        "canary-deploy:07",
        "canary-deploy:x",
        "Canary-deploy:1",
    ] {
        assert_eq!(chunk_index(other), None, "{other}");
    }
    assert!(chunk_key(49).len() <= 128 && !chunk_key(0).starts_with("aws:"));
}

#[test]
fn values_are_exactly_256_characters_at_the_boundary() {
    // Header "1.1.<12 hex>." is 17 characters: 239 more fill one value exactly.
    let one = chunks(&"A".repeat(239));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].len(), 256);
    let two = chunks(&"A".repeat(240));
    assert_eq!(two.len(), 2);
    assert_eq!((two[0].len(), two[1].len()), (256, 1));
    // The header grows to "1.10.…" at ten chunks: 10 × 256 − 18 characters fill ten values.
    let ten = chunks(&"A".repeat(10 * 256 - 18));
    assert_eq!(ten.len(), 10);
    assert!(ten.iter().all(|v| v.len() == 256));
    assert_eq!(chunks(&"A".repeat(10 * 256 - 17)).len(), 11);
}

#[test]
fn stale_chunks_of_a_larger_record_are_ignored() {
    let large = encode(&with_history(30, 200), WHERE).unwrap();
    assert!(large.len() >= 3, "{}", large.len());
    let small_record = record();
    let small = encode(&small_record, WHERE).unwrap();
    let mut tags = as_tags(&large);
    tags.extend(as_tags(&small));
    tags.insert("team".into(), "payments".into());
    assert_eq!(decode(&tags, WHERE).unwrap(), Some(small_record));
}

#[test]
fn a_corrupted_or_missing_chunk_is_detected() {
    let values = encode(&with_history(30, 200), WHERE).unwrap();
    let mut edited = as_tags(&values);
    let chunk = edited.get_mut(&chunk_key(1)).unwrap();
    let flipped = if chunk.starts_with('A') { "B" } else { "A" };
    chunk.replace_range(0..1, flipped);
    let err = decode(&edited, WHERE).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("checksum"), "{err}");
    assert!(err.to_string().contains(WHERE), "{err}");

    let mut torn = as_tags(&values);
    torn.remove(&chunk_key(2));
    let err = decode(&torn, WHERE).unwrap_err().to_string();
    assert!(
        err.contains("canary-deploy:2 of") && err.contains("missing"),
        "{err}"
    );

    let mut headless = as_tags(&values);
    headless.remove(&chunk_key(0));
    let err = decode(&headless, WHERE).unwrap_err().to_string();
    assert!(err.contains("canary-deploy:0 is missing"), "{err}");
}

#[test]
fn garbage_is_corrupt_and_a_newer_format_is_too_new() {
    let tag = |value: &str| -> Tags { [(chunk_key(0), value.to_string())].into() };
    for garbage in [
        "hello",
        "1.x.abc.AAAA",
        "1.1.zzzzzzzzzzzz.AAAA",
        "1.1.0123456789ab",
    ] {
        let err = decode(&tag(garbage), WHERE).unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt { .. }),
            "{garbage}: {err:?}"
        );
    }
    // A valid checksum over text that is not base64, then not deflate.
    for payload in ["not*base64", "AAAA"] {
        let values = chunks(payload);
        let err = decode(&as_tags(&values), WHERE).unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt { .. }),
            "{payload}: {err:?}"
        );
    }
    let err = decode(&tag("2.1.0123456789ab.AAAA"), WHERE).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let newer_record = encode_json(br#"{"version": 99}"#, WHERE).unwrap();
    let err = decode(&as_tags(&newer_record), WHERE).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    let not_a_record = encode_json(br#"{"version": 1}"#, WHERE).unwrap();
    let err = decode(&as_tags(&not_a_record), WHERE).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}
