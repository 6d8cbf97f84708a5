//! Workflow commands and their escaping.

use super::super::test_support::*;
use super::*;

#[test]
fn a_rollback_or_a_failure_is_an_error_and_a_pause_a_warning() {
    let rolled_back = EventKind::RolledBack {
        why: "errors: 5XX 4.8% > 1%\nsecond line".to_string(),
    };
    assert_eq!(
        annotation(&rolled_back, Some("checkout")).unwrap(),
        "::error title=canary checkout rolled back::errors: 5XX 4.8%25 > 1%25 second line"
    );
    let failed = EventKind::Failed {
        why: "rollback write failed".to_string(),
    };
    assert_eq!(
        annotation(&failed, None).unwrap(),
        "::error title=canary failed::rollback write failed"
    );
    let paused = EventKind::Paused {
        why: "weights changed outside canary-deploy".to_string(),
    };
    assert_eq!(
        annotation(&paused, Some("checkout")).unwrap(),
        "::warning title=canary checkout paused::weights changed outside canary-deploy; \
         traffic stays on the last verified weights until resume or rollback"
    );
    assert_eq!(annotation(&EventKind::Promoted, None), None);
    assert_eq!(annotation(&step(0, 50), None), None);
}
