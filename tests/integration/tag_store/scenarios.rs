//! What every routed resource must do with the record in its tags, written once and run on an
//! ALB listener, an ALB rule, a Lattice listener, a Lattice rule and a Lambda alias (see
//! `resources.rs`): the one store contract.

use super::fixtures::{our_keys, record, user_tags, with_history, Target};
use canary_deploy::core::{Phase, Record, Timestamp};
use canary_deploy::store::tags::encode::encode;
use canary_deploy::store::{Store, StoreError};

/// The keys a record takes on `t` (a bare record with a SHA-256 content hash already takes two).
fn keys_of(t: &Target, rec: &Record) -> Vec<String> {
    let chunks = encode(rec, "test").expect("encode").len();
    let mut keys: Vec<String> = (0..chunks).map(|i| t.keys.chunk_key(i)).collect();
    keys.sort();
    keys
}

/// Save, load, grow, shrink: the record reads back as saved, the user's tags stay exactly as they
/// were, and a smaller record leaves no chunk of the larger one behind. Pins the calls.
pub(super) async fn lifecycle(t: &Target, name: &str) {
    let [read, add, remove] = t.raw.ops();
    let users = user_tags(3);
    t.raw.add(&users).await;
    t.calls.take();

    assert_eq!(t.store.load(name).await.unwrap(), None);
    assert_eq!(t.calls.take(), [read], "a load is one call");

    let mut small = record(name);
    t.store.save(&mut small).await.unwrap();
    assert_eq!(small.revision, 1);
    assert_eq!(
        t.calls.take(),
        [read, add],
        "a first save is a read and one write"
    );
    assert_eq!(t.store.load(name).await.unwrap(), Some(small.clone()));
    let tags = t.raw.tags().await;
    assert_eq!(our_keys(&tags), keys_of(t, &small));
    assert_eq!(without_ours(tags), users);

    let mut large = with_history(name, 60, 200);
    large.revision = small.revision;
    t.calls.take();
    t.store.save(&mut large).await.unwrap();
    assert_eq!(large.history.len(), 60, "nothing trimmed");
    assert_eq!(
        t.calls.take(),
        [read, add],
        "a growing save removes nothing"
    );
    let chunks = our_keys(&t.raw.tags().await).len();
    assert!(chunks > keys_of(t, &small).len() + 2, "{chunks} chunks");
    t.calls.take();
    assert_eq!(t.store.load(name).await.unwrap(), Some(large.clone()));

    small.revision = large.revision;
    small.phase = Phase::Promoted { at: Timestamp(5) };
    t.calls.take();
    t.store.save(&mut small).await.unwrap();
    assert_eq!(small.revision, 3);
    assert_eq!(
        t.calls.take(),
        [read, add, remove],
        "a shrinking save removes leftovers"
    );
    let tags = t.raw.tags().await;
    assert_eq!(
        our_keys(&tags),
        keys_of(t, &small),
        "no stale chunk is left"
    );
    assert_eq!(without_ours(tags), users, "the user's tags are untouched");
    assert_eq!(t.store.load(name).await.unwrap(), Some(small));
    assert_eq!(
        t.store.location(name),
        format!("tags {}* on {}", t.keys.prefix(), t.shown)
    );
}

/// 45 tags of the user's leave 5 slots: a large record loses its oldest events, nothing else.
pub(super) async fn crowded(t: &Target, name: &str) {
    let users = user_tags(45);
    t.raw.add(&users).await;
    let full = with_history(name, 100, 300);
    let mut saved = full.clone();
    t.store.save(&mut saved).await.unwrap();
    let kept = saved.history.len();
    assert!(kept > 0 && kept < 100, "kept {kept} events");
    assert_eq!(
        saved.history.back(),
        full.history.back(),
        "the newest events stay"
    );
    let tags = t.raw.tags().await;
    assert!(tags.len() <= 50, "{} tags", tags.len());
    assert_eq!(our_keys(&tags).len(), 5, "the record takes every free slot");
    assert_eq!(without_ours(tags), users);
    assert_eq!(t.store.load(name).await.unwrap(), Some(saved.clone()));
    let mut rest = saved;
    rest.history = full.history.clone();
    rest.revision = full.revision;
    assert_eq!(rest, full, "only history was trimmed");
}

/// 50 tags of the user's leave no slot: a clear error, and nothing written.
pub(super) async fn full(t: &Target, name: &str) {
    let users = user_tags(50);
    t.raw.add(&users).await;
    let mut rec = record(name);
    let mut saved = rec.clone();
    saved.revision = 1;
    let needed = keys_of(t, &saved).len();
    let err = t.store.save(&mut rec).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} has 50 tags of its own (AWS allows 50 per resource); the deployment record \
             needs {needed}: remove some tags or use --state-dir",
            t.shown
        )
    );
    assert_eq!(rec.revision, 0, "nothing saved");
    assert_eq!(t.raw.tags().await, users);
}

/// A save over a newer revision is refused and writes nothing.
pub(super) async fn conflict(t: &Target, name: &str) {
    let [read, ..] = t.raw.ops();
    let mut rec = record(name);
    t.store.save(&mut rec).await.unwrap();
    let mut stale = rec.clone();
    t.store.save(&mut rec).await.unwrap();
    let before = t.raw.tags().await;
    t.calls.take();
    let err = t.store.save(&mut stale).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                stored: 2,
                ours: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(t.calls.take(), [read], "a refused save only reads");
    assert_eq!(t.raw.tags().await, before);
    assert_eq!(stale.revision, 1);
}

/// Another playbook's unfinished deployment owns the route; an ended one is returned.
pub(super) async fn other_playbook(t: &Target) {
    let mut first = record("first");
    t.store.save(&mut first).await.unwrap();
    let err = t.store.load("second").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} carries the deployment of playbook `first` (phase pending): one route takes \
             one deployment at a time; finish or roll back `first` first",
            t.shown
        )
    );
    let mut second = record("second");
    let err = t.store.save(&mut second).await.unwrap_err();
    assert!(matches!(err, StoreError::OtherDeployment { .. }), "{err:?}");
    assert_eq!(t.store.load_any().await.unwrap(), Some(first.clone()));

    first.phase = Phase::RolledBack {
        why: "operator".into(),
        at: Timestamp(9),
    };
    t.store.save(&mut first).await.unwrap();
    assert_eq!(t.store.load("second").await.unwrap(), Some(first.clone()));
    second.revision = first.revision;
    t.store.save(&mut second).await.unwrap();
    assert_eq!(t.store.load("second").await.unwrap(), Some(second));
}

fn without_ours(
    mut tags: std::collections::BTreeMap<String, String>,
) -> std::collections::BTreeMap<String, String> {
    tags.retain(|k, _| !k.starts_with("canary-deploy:"));
    tags
}
