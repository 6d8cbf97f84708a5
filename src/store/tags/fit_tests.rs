//! Fitting the record into a resource's free tag slots (50 per resource): a full history,
//! 49 user tags, no slot at all, and the tag writes of a save.

use super::encode::{chunk_index, chunk_key, decode, encode, Tags};
use super::encode_tests::{
    as_tags, assert_trimmed_exactly, assert_valid_values, noise, record, with_history, RESOURCE,
    WHERE,
};
use super::fit::{fit, own_tag_count, plan_write, MAX_TAGS};
use crate::core::record::HISTORY_LIMIT;
use crate::core::Phase;
use crate::core::Timestamp;
use crate::store::StoreError;

#[test]
fn a_full_history_round_trips_or_is_trimmed_to_fit_exactly() {
    for message_len in [40, 120, 400] {
        let rec = with_history(HISTORY_LIMIT, message_len);
        let fitted = fit(&rec, 0, RESOURCE, WHERE).unwrap();
        assert!(fitted.values.len() <= MAX_TAGS);
        assert_valid_values(&fitted.values);
        assert_trimmed_exactly(&rec, &fitted.values, fitted.dropped, MAX_TAGS);
        if message_len == 40 {
            assert_eq!(fitted.dropped, 0, "100 short events fit in 50 tags");
        }
        if message_len == 400 {
            assert!(fitted.dropped > 0, "100 long events do not fit in 50 tags");
            assert_eq!(
                fitted.values.len(),
                MAX_TAGS,
                "the trimmed record uses every slot"
            );
        }
    }
}

#[test]
fn trimming_drops_only_the_oldest_history_events() {
    let mut rec = with_history(HISTORY_LIMIT, 300);
    rec.phase = Phase::Stepping {
        index: 2,
        since: Timestamp(5),
    };
    rec.revision = 41;
    let fitted = fit(&rec, 30, RESOURCE, WHERE).unwrap();
    assert!(fitted.values.len() <= 20 && fitted.dropped > 0);
    let back = decode(&as_tags(&fitted.values), WHERE).unwrap().unwrap();
    assert_eq!(back.history.front(), rec.history.get(fitted.dropped));
    assert_eq!(back.history.back(), rec.history.back());
    let mut rest = back.clone();
    rest.history = rec.history.clone();
    assert_eq!(rest, rec, "nothing but history differs");
}

#[test]
fn forty_nine_user_tags_leave_one_slot() {
    let small = record();
    let fitted = fit(&small, 49, RESOURCE, WHERE).unwrap();
    assert_eq!((fitted.values.len(), fitted.dropped), (1, 0));
    assert_eq!(
        decode(&as_tags(&fitted.values), WHERE).unwrap(),
        Some(small)
    );
    for events in [1, HISTORY_LIMIT] {
        let full = with_history(events, 16);
        let fitted = fit(&full, 49, RESOURCE, WHERE).unwrap();
        assert_eq!(fitted.values.len(), 1);
        assert!(fitted.values[0].len() <= 256);
        assert_trimmed_exactly(&full, &fitted.values, fitted.dropped, 1);
    }
}

#[test]
fn no_slot_left_is_a_clear_error() {
    let err = fit(&record(), 50, RESOURCE, WHERE).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ALB rule arn:r has 50 tags of its own (AWS allows 50 per resource); the deployment \
         record needs 1: remove some tags or use --state-dir"
    );
    // A record that needs two tags even without history, with one slot free.
    let mut big = with_history(10, 50);
    big.phase = Phase::Paused {
        why: noise(7, 400),
        index: None,
    };
    let mut bare = big.clone();
    bare.history.clear();
    let needed = encode(&bare, WHERE).unwrap().len();
    assert!(needed >= 2, "{needed}");
    let err = fit(&big, 49, RESOURCE, WHERE).unwrap_err();
    match err {
        StoreError::NoRoom {
            own: 49,
            needed: n,
            limit: 50,
            ..
        } => assert_eq!(n, needed),
        other => panic!("{other:?}"),
    }
}

#[test]
fn own_tags_exclude_ours_and_aws_tags() {
    let mut tags = as_tags(&encode(&record(), WHERE).unwrap());
    tags.insert("canary-deploy:7".into(), "stale".into());
    tags.insert("aws:cloudformation:stack-name".into(), "s".into());
    tags.insert("team".into(), "payments".into());
    tags.insert("canary-deploy:note".into(), "a user's tag".into());
    assert_eq!(own_tag_count(&tags), 2);
}

#[test]
fn a_write_replaces_our_chunks_and_leaves_other_tags_alone() {
    let mut existing = as_tags(&["a".repeat(10), "b".into(), "c".into()]);
    existing.insert("team".into(), "payments".into());
    let plan = plan_write(&existing, vec!["x".into()]);
    assert_eq!(plan.add, vec![(chunk_key(0), "x".to_string())]);
    assert!(plan.remove_first.is_empty());
    assert_eq!(plan.remove_after, vec![chunk_key(1), chunk_key(2)]);

    let grown = plan_write(&existing, vec!["x".into(); 4]);
    assert_eq!(grown.add.len(), 4);
    assert!(grown.remove_first.is_empty() && grown.remove_after.is_empty());
}

#[test]
fn leftovers_that_would_overflow_are_removed_first() {
    // 47 user tags and a lone leftover chunk 5: writing 3 chunks next to it would make 51.
    let mut existing: Tags = (0..47).map(|i| (format!("user-{i}"), "v".into())).collect();
    existing.insert(chunk_key(5), "stale".into());
    let plan = plan_write(&existing, vec!["x".into(); 3]);
    assert_eq!(plan.remove_first, vec![chunk_key(5)]);
    assert!(plan.remove_after.is_empty());
    assert!(plan.add.iter().all(|(key, _)| chunk_index(key).is_some()));
}
