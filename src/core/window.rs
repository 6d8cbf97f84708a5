//! The analysis window: which CloudWatch periods a tick may judge.
//!
//! The window is half-open, `[start, end)`, and aligned to the analysis period on the epoch, as
//! CloudWatch aligns its own periods. The newest period is still filling, so it is left out;
//! periods that began before the current step's weights had settled never count.

use super::plan::Analysis;
use super::types::Timestamp;
use std::time::Duration;

/// A half-open interval `[start, end)` aligned to the analysis period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    /// The length of the window.
    pub fn duration(self) -> Duration {
        self.end.since(self.start)
    }
}

/// The window a tick at `now` may judge for a step that went live at `step_since`, or `None` when
/// no complete, settled period exists yet (or the period is zero).
///
/// - `end` is `now - ingestion_delay` rounded down to a period boundary (the still-incomplete
///   period, and data CloudWatch may still be ingesting, are left out);
/// - the earliest start is `step_since + settle` rounded up to a period boundary;
/// - `start` is the later of that and `end - lookback` (rounded up, so the window never looks
///   further back than `lookback`).
pub fn analysis_window(
    analysis: &Analysis,
    step_since: Timestamp,
    now: Timestamp,
) -> Option<Window> {
    let period = millis(analysis.period)?;
    if period <= 0 {
        return None;
    }
    let end = floor_to(now.minus(analysis.ingestion_delay).as_millis(), period);
    let earliest = ceil_to(step_since.plus(analysis.settle).as_millis(), period);
    let lookback_start = ceil_to(
        end.saturating_sub(millis(analysis.lookback).unwrap_or(i64::MAX)),
        period,
    );
    let start = earliest.max(lookback_start);
    (start < end).then_some(Window {
        start: Timestamp(start),
        end: Timestamp(end),
    })
}

/// [`analysis_window`], unless its newest period was judged already (`judged_through` is the
/// end of the newest judged window): then no window, and the tick judges nothing.
pub fn new_window(
    analysis: &Analysis,
    step_since: Timestamp,
    judged_through: Option<Timestamp>,
    now: Timestamp,
) -> Option<Window> {
    analysis_window(analysis, step_since, now)
        .filter(|window| judged_through.is_none_or(|judged| window.end > judged))
}

/// The baseline window: `analysis.baseline` of complete periods ending at or before `at` (the
/// deployment's start), or `None` when the baseline is zero or shorter than a period.
pub fn before(analysis: &Analysis, at: Timestamp) -> Option<Window> {
    let period = millis(analysis.period)?;
    if period <= 0 {
        return None;
    }
    let end = floor_to(at.as_millis(), period);
    let start = ceil_to(end.saturating_sub(millis(analysis.baseline)?), period);
    (start < end).then_some(Window {
        start: Timestamp(start),
        end: Timestamp(end),
    })
}

fn millis(d: Duration) -> Option<i64> {
    i64::try_from(d.as_millis()).ok()
}

/// `t` rounded down to a multiple of `period` (`period` > 0).
fn floor_to(t: i64, period: i64) -> i64 {
    t.div_euclid(period).saturating_mul(period)
}

/// `t` rounded up to a multiple of `period` (`period` > 0), saturating near `i64::MAX`.
fn ceil_to(t: i64, period: i64) -> i64 {
    let floor = floor_to(t, period);
    if floor == t {
        t
    } else {
        floor.saturating_add(period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::NoDataPolicy;

    fn analysis(period: u64, lookback: u64, settle: u64) -> Analysis {
        Analysis {
            interval: Duration::from_secs(60),
            period: Duration::from_secs(period),
            lookback: Duration::from_secs(lookback),
            settle: Duration::from_secs(settle),
            ingestion_delay: Duration::ZERO,
            min_requests: 0,
            no_data: NoDataPolicy::Hold,
            failure_threshold: 1,
            ..crate::core::step::test_support::analysis()
        }
    }

    fn secs(s: i64) -> Timestamp {
        Timestamp::from_secs(s)
    }

    fn window(start: i64, end: i64) -> Option<Window> {
        Some(Window {
            start: secs(start),
            end: secs(end),
        })
    }

    #[test]
    fn a_period_already_judged_is_not_judged_again() {
        let a = analysis(60, 300, 0);
        let first = analysis_window(&a, secs(0), secs(36_030)).unwrap();
        // A second tick in the same minute finds no new complete period.
        assert_eq!(new_window(&a, secs(0), Some(first.end), secs(36_050)), None);
        // The next minute's tick judges again.
        assert_eq!(
            new_window(&a, secs(0), Some(first.end), secs(36_060)),
            window(35_760, 36_060)
        );
        assert_eq!(new_window(&a, secs(0), None, secs(36_030)), Some(first));
    }

    #[test]
    fn end_leaves_out_the_incomplete_period() {
        let a = analysis(60, 300, 0);
        // 10:00:30 → the minute 10:00 is still filling; the window ends at 10:00.
        assert_eq!(
            analysis_window(&a, secs(0), secs(36_030)),
            window(35_700, 36_000)
        );
        // Exactly on a boundary, the period that just ended is complete.
        assert_eq!(
            analysis_window(&a, secs(0), secs(36_000)),
            window(35_700, 36_000)
        );
    }

    #[test]
    fn lookback_limits_the_start() {
        let a = analysis(60, 120, 0);
        assert_eq!(analysis_window(&a, secs(0), secs(1_000)), window(840, 960));
    }

    #[test]
    fn lookback_not_a_multiple_of_the_period_never_looks_further_back() {
        let a = analysis(60, 90, 0);
        assert_eq!(analysis_window(&a, secs(0), secs(1_000)), window(900, 960));
    }

    #[test]
    fn settle_rounds_up_to_the_next_period() {
        // Step went live at 100 s, settle 30 s → settled at 130 s → first full period at 180 s.
        let a = analysis(60, 3_600, 30);
        assert_eq!(analysis_window(&a, secs(100), secs(250)), window(180, 240));
        assert_eq!(analysis_window(&a, secs(100), secs(600)), window(180, 600));
    }

    #[test]
    fn settle_on_a_boundary_starts_there() {
        let a = analysis(60, 3_600, 20);
        assert_eq!(analysis_window(&a, secs(100), secs(185)), window(120, 180));
    }

    #[test]
    fn no_window_before_a_complete_settled_period() {
        let a = analysis(60, 300, 30);
        // Settled at 130 s → first period [180, 240) is complete only at 240 s.
        assert_eq!(analysis_window(&a, secs(100), secs(239)), None);
        assert_eq!(analysis_window(&a, secs(100), secs(240)), window(180, 240));
        // A step that only just went live has nothing yet.
        assert_eq!(analysis_window(&a, secs(100), secs(100)), None);
    }

    #[test]
    fn clock_before_the_step_gives_no_window() {
        let a = analysis(60, 300, 0);
        assert_eq!(analysis_window(&a, secs(600), secs(300)), None);
    }

    #[test]
    fn zero_period_or_zero_lookback_gives_no_window() {
        assert_eq!(
            analysis_window(&analysis(0, 300, 0), secs(0), secs(600)),
            None
        );
        assert_eq!(
            analysis_window(&analysis(60, 0, 0), secs(0), secs(600)),
            None
        );
    }

    #[test]
    fn sub_minute_periods_align_too() {
        let a = analysis(10, 30, 5);
        // Step at 1001 s, settled 1006 → 1010; now 1047 → end 1040; lookback → 1010.
        let w = analysis_window(&a, secs(1_001), secs(1_047));
        assert_eq!(w, window(1_010, 1_040));
        assert_eq!(w.map(Window::duration), Some(Duration::from_secs(30)));
    }

    #[test]
    fn millisecond_clock_is_aligned() {
        let a = analysis(60, 120, 0);
        let w = analysis_window(&a, Timestamp(1), Timestamp(180_999));
        assert_eq!(
            w,
            Some(Window {
                start: Timestamp(60_000),
                end: Timestamp(180_000)
            })
        );
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let a = analysis(60, u64::MAX / 2_000, u64::MAX / 2_000);
        assert_eq!(
            analysis_window(&a, Timestamp(i64::MAX - 5), Timestamp(i64::MAX)),
            None
        );
        assert_eq!(analysis_window(&a, Timestamp(i64::MIN), Timestamp(0)), None);
        let b = analysis(60, u64::MAX / 2_000, 0);
        assert!(analysis_window(&b, Timestamp(i64::MIN), Timestamp(i64::MAX)).is_some());
    }

    #[test]
    fn the_ingestion_delay_holds_back_the_newest_periods() {
        let mut a = analysis(60, 300, 0);
        a.ingestion_delay = Duration::from_secs(60);
        // At 10:05:30 the newest complete period ends 10:05 but may still be filling:
        // with a one-minute delay the window ends at 10:04.
        assert_eq!(analysis_window(&a, secs(0), secs(330)), window(0, 240));
        // A step that went live at 10:03 has nothing judgeable before 10:05.
        assert_eq!(analysis_window(&a, secs(180), secs(299)), None);
        assert_eq!(analysis_window(&a, secs(180), secs(300)), window(180, 240));
    }
}
