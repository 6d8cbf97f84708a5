//! Assertions on a router's [`TrafficError`], shared by the per-backend router tests: which
//! variant it is, and how its message begins (what a user reads first).

use canary_deploy::traffic::TrafficError;

/// Asserts that `err` is the [`TrafficError`] variant `kind`, showing it if not.
#[track_caller]
pub fn assert_kind(err: &TrafficError, kind: &str) {
    let debug = format!("{err:?}");
    assert!(debug.starts_with(&format!("{kind} {{")), "{debug}");
}

/// Asserts that `err` reads `prefix` first, showing it if not.
#[track_caller]
pub fn assert_starts_with(err: &TrafficError, prefix: &str) {
    assert!(err.to_string().starts_with(prefix), "{err}");
}
