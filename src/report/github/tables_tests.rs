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
fn details_cannot_break_the_table_or_link_anywhere() {
    let events = [event(
        0,
        analysed("fail", &["a | b\r\nc <b>", "![x](http://evil)"]),
    )];
    let (_, verdicts) = tables(&events, None);
    assert_eq!(
        verdicts,
        vec![
            "| 2025-11-21 14:00:00 | – | ❌ fail | a \\| b c &lt;b&gt;<br>\\!\\[x\\]\\(http\\://evil\\) |\n"
                .to_string()
        ]
    );
}

#[test]
fn times_read_as_utc_dates() {
    assert_eq!(Timestamp(0).utc(), "1970-01-01 00:00:00");
    assert_eq!(at(187).utc(), "2025-11-21 14:03:07");
}
