//! The job summary's charts: the canary's weight, and the canary's and the stable's error rates
//! per judged window, over the minutes of the deployment, as Mermaid `xychart-beta` blocks
//! (which GitHub renders in Markdown). Only numbers and fixed words go into a chart: no text
//! from outside, so nothing in it can break the block.

use crate::core::{Event, EventKind};

/// Points kept per chart (a long deployment shows its most recent ones).
const MAX_POINTS: usize = 120;

/// The Markdown of both charts, or nothing when there is nothing to draw.
pub fn charts(events: &[Event]) -> String {
    let Some(start) = events.first().map(|e| e.at) else {
        return String::new();
    };
    let minutes = |e: &Event| e.at.since(start).as_secs_f64() / 60.0;
    let weights: Vec<(f64, f64)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::WeightsVerified { split } => {
                Some((minutes(e), split.canary_share().percent()))
            }
            _ => None,
        })
        .collect();
    // The first error-rate check's counts of each judged window (a check with a stable side).
    let rates: Vec<(f64, f64, Option<f64>)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Analysed { evidence, .. } => {
                let counts = evidence.first()?;
                let canary = counts.counts.canary.percent()?;
                let stable = counts.counts.stable.and_then(|s| s.percent());
                Some((minutes(e), canary, stable))
            }
            _ => None,
        })
        .collect();
    let mut out = String::new();
    if weights.len() >= 2 {
        let (x, y): (Vec<f64>, Vec<f64>) = last(&weights).iter().copied().unzip();
        out.push_str(&block("Canary weight (%)", &x, 0.0, 100.0, &[&y]));
    }
    if rates.len() >= 2 {
        let rates = last(&rates);
        let x: Vec<f64> = rates.iter().map(|r| r.0).collect();
        let canary: Vec<f64> = rates.iter().map(|r| r.1).collect();
        let stable: Vec<f64> = rates.iter().map(|r| r.2.unwrap_or(0.0)).collect();
        let top = canary
            .iter()
            .chain(&stable)
            .copied()
            .fold(0.0, f64::max)
            .max(0.1)
            * 1.2;
        let both = rates.iter().any(|r| r.2.is_some());
        let (title, series): (&str, Vec<&[f64]>) = match both {
            true => (
                "Error rate per window (%): canary, then stable",
                vec![&canary, &stable],
            ),
            false => ("Canary error rate per window (%)", vec![&canary]),
        };
        out.push_str(&block(title, &x, 0.0, top, &series));
    }
    out
}

fn last<T>(points: &[T]) -> &[T] {
    &points[points.len().saturating_sub(MAX_POINTS)..]
}

/// One `xychart-beta` block: the x axis in minutes, one line per series.
fn block(title: &str, x: &[f64], low: f64, high: f64, series: &[&[f64]]) -> String {
    let labels: Vec<String> = x.iter().map(|m| format!("{m:.0}")).collect();
    let mut out = format!(
        "```mermaid\nxychart-beta\n    title \"{title}\"\n    x-axis \"minutes\" [{}]\n    y-axis \"%\" {} --> {}\n",
        labels.join(", "),
        number(low),
        number(high)
    );
    for line in series {
        let values: Vec<String> = line.iter().map(|v| number(*v)).collect();
        out.push_str(&format!("    line [{}]\n", values.join(", ")));
    }
    out.push_str("```\n\n");
    out
}

/// A finite number with up to two decimals.
fn number(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::evidence::math::Counts;
    use crate::core::judge::WindowCounts;
    use crate::core::record::CheckCounts;
    use crate::core::{Split, Timestamp};

    fn at(minute: i64, kind: EventKind) -> Event {
        Event {
            at: Timestamp::from_secs(minute * 60),
            kind,
        }
    }

    fn window(canary: (f64, f64), stable: (f64, f64)) -> EventKind {
        EventKind::Analysed {
            verdict: "pass".into(),
            details: Vec::new(),
            evidence: vec![CheckCounts {
                check: "errors".into(),
                counts: WindowCounts {
                    canary: Counts::new(canary.0, canary.1),
                    stable: Some(Counts::new(stable.0, stable.1)),
                    evidence: 1.0,
                },
            }],
        }
    }

    #[test]
    fn weights_and_both_rates_are_drawn_over_the_minutes() {
        let events = vec![
            at(
                0,
                EventKind::WeightsVerified {
                    split: Split::new(900, 100),
                },
            ),
            at(2, window((100.0, 1.0), (900.0, 9.0))),
            at(
                5,
                EventKind::WeightsVerified {
                    split: Split::new(500, 500),
                },
            ),
            at(7, window((500.0, 10.0), (500.0, 5.0))),
        ];
        let out = charts(&events);
        assert!(out.contains("x-axis \"minutes\" [0, 5]"), "{out}");
        assert!(out.contains("line [10, 50]"), "{out}");
        assert!(out.contains("line [1, 2]"), "{out}");
        assert!(out.contains("line [1, 1]"), "{out}");
        assert_eq!(out.matches("```mermaid").count(), 2, "{out}");
    }

    #[test]
    fn nothing_to_draw_is_no_chart() {
        assert_eq!(charts(&[]), "");
        let one = [at(
            0,
            EventKind::WeightsVerified {
                split: Split::new(900, 100),
            },
        )];
        assert_eq!(charts(&one), "");
    }
}
