//! Table rows, cells and times.

use super::super::test_support::*;
use super::*;

#[test]
fn a_step_pairs_with_its_weights_in_either_order() {
    // A tick emits the verified write before the step's event; the history has them the
    // other way round.
    for events in [
        vec![event(0, verified(950, 50)), event(0, step(0, 50))],
        vec![event(0, step(0, 50)), event(0, verified(950, 50))],
    ] {
        let (weights, _) = tables(&events, Some(3));
        assert_eq!(
            weights,
            vec!["| 2025-11-21 14:00:00 | 1/3 | 950 | 50 | 5% |\n".to_string()]
        );
    }
    // A write recovered on a later tick (no step event) keeps the step it belongs to; an
    // operator's promotion writes without a step.
    let events = [
        event(0, step(1, 100)),
        event(60, verified(900, 100)),
        event(90, verified(0, 999)),
        event(90, EventKind::Promoted),
    ];
    let (weights, _) = tables(&events, None);
    assert_eq!(
        weights,
        vec![
            "| 2025-11-21 14:00:00 | 2 | 900 | 100 | 10% |\n".to_string(),
            "| 2025-11-21 14:01:30 | promote | 0 | 999 | 100% |\n".to_string(),
        ]
    );
}

#[test]
fn cells_cannot_break_the_table() {
    assert_eq!(cell("a | b\r\nc <b>"), "a \\| b c &lt;b&gt;");
}

#[test]
fn times_read_as_utc_dates() {
    assert_eq!(utc(Timestamp(0)), "1970-01-01 00:00:00");
    assert_eq!(utc(at(187)), "2025-11-21 14:03:07");
    assert_eq!(
        utc(Timestamp::from_secs(951_782_400)),
        "2000-02-29 00:00:00"
    );
    assert_eq!(utc(Timestamp::from_secs(-1)), "1969-12-31 23:59:59");
}
