//! Parsing and range checks of single values: durations, percents, percentiles, names,
//! statistics. Each returns a [`Bad`] (message + hint) that the caller places in the file.

use super::error::Bad;
use std::time::Duration;

/// The longest duration any field accepts.
pub(crate) const MAX_DURATION: Duration = Duration::from_secs(30 * 24 * 3600);

/// A human duration such as `30s`, `2m`, `1h 30m` or `500ms` (`0` alone is accepted too).
pub(crate) fn duration(field: &str, raw: &str) -> Result<Duration, Bad> {
    let text = raw.trim();
    match humantime::parse_duration(text) {
        Ok(d) if d > MAX_DURATION => Err(Bad::new(
            format!("`{field}: {text}` is longer than the 30 days any duration may be"),
            format!("write a shorter duration, e.g. `{field}: 1h`"),
        )),
        Ok(d) => Ok(d),
        Err(_) => {
            let hint = if text.parse::<f64>().is_ok() {
                format!("add a unit: write `{field}: {text}s` for seconds (or `m`, `h`, `ms`)")
            } else {
                format!("write a number with a unit, e.g. `{field}: 30s`, `{field}: 2m` or `{field}: 500ms`")
            };
            Err(Bad::new(
                format!("`{field}: {text}` is not a duration"),
                hint,
            ))
        }
    }
}

/// A duration that is a whole number of seconds (what plans and records store).
pub(crate) fn whole_seconds(field: &str, raw: &str) -> Result<Duration, Bad> {
    let d = duration(field, raw)?;
    if d.subsec_nanos() != 0 {
        let rounded = (d.as_secs_f64().round() as u64).max(1);
        return Err(Bad::new(
            format!("`{field}: {}` is not a whole number of seconds", raw.trim()),
            format!("write `{field}: {rounded}s`"),
        ));
    }
    Ok(d)
}

/// `d` written the way a user would (`90s` → `1m 30s`).
pub(crate) fn show_duration(d: Duration) -> String {
    humantime::format_duration(d).to_string()
}

/// A share of traffic in percent (0 < p ≤ 100, in steps of 0.1) → per-mille. `field` names the
/// key it was written under, or `None` for a bare item of `canary: [...]`.
pub(crate) fn percent_permille(field: Option<&str>, v: f64) -> Result<u16, Bad> {
    let (subject, example) = match field {
        Some(f) => (format!("`{f}: {v}`"), format!("`{f}: 10`")),
        None => (format!("step `{v}`"), "`10`".to_string()),
    };
    if !v.is_finite() || !(0.1 - 1e-9..=100.0).contains(&v) {
        return Err(Bad::new(
            format!("{subject} is outside 0.1–100 (a percent of traffic)"),
            format!("write a percent from 0.1 to 100, e.g. {example}"),
        ));
    }
    let tenths = v * 10.0;
    let rounded = tenths.round();
    if (tenths - rounded).abs() > 1e-6 {
        let fixed = match field {
            Some(f) => format!("`{f}: {}`", rounded / 10.0),
            None => format!("`{}`", rounded / 10.0),
        };
        return Err(Bad::new(
            format!("{subject} is not a multiple of 0.1 percent"),
            format!("write at most one decimal, e.g. {fixed}"),
        ));
    }
    // 1..=1000 by the checks above.
    Ok(rounded as u16)
}

/// A per-mille amount as percentage points: `250` → `25`, `5` → `0.5`.
pub(crate) fn points(permille: u16) -> String {
    if permille.is_multiple_of(10) {
        format!("{}", permille / 10)
    } else {
        format!("{}.{}", permille / 10, permille % 10)
    }
}

/// A plain number within `[min, max]`.
pub(crate) fn number_in(
    field: &str,
    v: f64,
    min: f64,
    max: f64,
    example: &str,
) -> Result<f64, Bad> {
    if !v.is_finite() || v < min || v > max {
        return Err(Bad::new(
            format!("`{field}: {v}` is outside {min}–{max}"),
            format!("write a number from {min} to {max}, e.g. `{field}: {example}`"),
        ));
    }
    Ok(v)
}

/// `p99`, `p99.9`, `p50` → 99.0, 99.9, 50.0 (strictly between 0 and 100).
pub(crate) fn percentile(field: &str, raw: &str) -> Result<f64, Bad> {
    let hint = format!(
        "write `{field}: p99` (or p50, p90, p99.9: a `p` and a number above 0 and below 100)"
    );
    let bad = || {
        Bad::new(
            format!("`{field}: {raw}` is not a percentile"),
            hint.clone(),
        )
    };
    let digits = raw.strip_prefix('p').ok_or_else(bad)?;
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if !well_formed {
        return Err(bad());
    }
    match digits.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 100.0 => Ok(p),
        _ => Err(bad()),
    }
}

/// A CloudWatch statistic: Sum, Average, Minimum, Maximum, SampleCount, pNN or pNN.NN.
pub(crate) fn statistic(raw: &str) -> Result<String, Bad> {
    const NAMED: [&str; 5] = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];
    let hint = "write one of `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, or a percentile such as `p99` or `p99.9`";
    if NAMED.contains(&raw) {
        return Ok(raw.to_string());
    }
    if let Some(named) = NAMED.iter().find(|n| n.eq_ignore_ascii_case(raw)) {
        return Err(Bad::new(
            format!("statistic `{raw}` is spelled differently in CloudWatch"),
            format!("write `statistic: {named}` (CloudWatch statistics are case-sensitive)"),
        ));
    }
    if let Some(rest) = raw.strip_prefix('p') {
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let shape_ok = (1..=2).contains(&int.len())
            && int.chars().all(|c| c.is_ascii_digit())
            && (!rest.contains('.') || (1..=2).contains(&frac.len()))
            && frac.chars().all(|c| c.is_ascii_digit());
        if shape_ok && percentile("statistic", raw).is_ok() {
            return Ok(raw.to_string());
        }
    }
    Err(Bad::new(
        format!("`{raw}` is not a CloudWatch statistic"),
        hint,
    ))
}

/// A name that becomes a file name or a label: 1–64 of `A-Z a-z 0-9 - _`.
pub(crate) fn simple_name(field: &str, raw: &str, what: &str) -> Result<String, Bad> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if raw.is_empty() || raw.chars().count() > 64 || !raw.chars().all(ok_char) {
        let mut suggestion: String = raw
            .chars()
            .map(|c| if ok_char(c) { c } else { '-' })
            .take(64)
            .collect();
        let trimmed = suggestion.trim_matches('-').to_string();
        suggestion = if trimmed.is_empty() {
            "my-canary".to_string()
        } else {
            trimmed
        };
        return Err(Bad::new(
            format!("{what} `{raw}` must be 1–64 characters of letters, digits, `-` and `_`"),
            format!("write e.g. `{field}: {suggestion}`"),
        ));
    }
    Ok(raw.to_string())
}

/// Closest of `candidates` to `word` by edit distance, if reasonably close.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(duration("bake", "30s").unwrap(), Duration::from_secs(30));
        assert_eq!(duration("bake", "2m").unwrap(), Duration::from_secs(120));
        assert_eq!(
            duration("bake", "1h 30m").unwrap(),
            Duration::from_secs(5400)
        );
        assert_eq!(
            duration("max", "500ms").unwrap(),
            Duration::from_millis(500)
        );
        assert_eq!(duration("settle", "0").unwrap(), Duration::ZERO);
    }

    #[test]
    fn bare_numbers_get_a_unit_hint() {
        let bad = duration("bake", "30").unwrap_err();
        assert_eq!(bad.message, "`bake: 30` is not a duration");
        assert!(bad.hint.contains("`bake: 30s`"), "{}", bad.hint);
        assert!(duration("bake", "-5s").is_err());
        assert!(duration("bake", "soon")
            .unwrap_err()
            .hint
            .contains("`bake: 2m`"));
    }

    #[test]
    fn durations_are_bounded() {
        assert!(duration("bake", "31days").is_err());
        assert!(duration("bake", "18446744073709551615s").is_err());
        assert!(duration("bake", "99999999999999999999s").is_err());
    }

    #[test]
    fn whole_seconds_rejects_fractions_with_a_rounded_hint() {
        assert_eq!(
            whole_seconds("bake", "2m").unwrap(),
            Duration::from_secs(120)
        );
        let bad = whole_seconds("bake", "1500ms").unwrap_err();
        assert!(bad.hint.contains("`bake: 2s`"), "{}", bad.hint);
        assert!(whole_seconds("bake", "100ms")
            .unwrap_err()
            .hint
            .contains("`bake: 1s`"));
    }

    #[test]
    fn percents_become_permille() {
        assert_eq!(percent_permille(Some("percent"), 5.0).unwrap(), 50);
        assert_eq!(percent_permille(Some("percent"), 0.5).unwrap(), 5);
        assert_eq!(percent_permille(Some("percent"), 100.0).unwrap(), 1000);
        assert_eq!(percent_permille(Some("percent"), 33.3).unwrap(), 333);
        assert!(percent_permille(Some("percent"), 0.0).is_err());
        assert!(percent_permille(Some("percent"), 100.5).is_err());
        assert!(percent_permille(Some("percent"), f64::NAN).is_err());
        assert!(percent_permille(Some("percent"), 1e300).is_err());
        assert!(percent_permille(Some("percent"), 1e-300).is_err());
        assert!(percent_permille(Some("percent"), 0.04).is_err());
        let bad = percent_permille(Some("percent"), 12.34).unwrap_err();
        assert!(bad.message.contains("multiple of 0.1"));
        assert!(bad.hint.contains("12.3"));
    }

    #[test]
    fn points_show_tenths_only_when_needed() {
        assert_eq!(points(250), "25");
        assert_eq!(points(5), "0.5");
        assert_eq!(points(1000), "100");
    }

    #[test]
    fn percentiles_parse() {
        assert_eq!(percentile("percentile", "p99").unwrap(), 99.0);
        assert_eq!(percentile("percentile", "p99.9").unwrap(), 99.9);
        assert_eq!(percentile("percentile", "p50").unwrap(), 50.0);
        for bad in [
            "99", "p100", "p0", "P99", "p", "p9x", "p.5", "p5.", "p1.2.3", "p-1", "",
        ] {
            assert!(percentile("percentile", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn statistics_are_cloudwatch_spellings() {
        for ok in [
            "Sum",
            "Average",
            "Minimum",
            "Maximum",
            "SampleCount",
            "p99",
            "p99.9",
            "p50",
            "p5",
            "p99.99",
        ] {
            assert_eq!(statistic(ok).unwrap(), ok);
        }
        assert!(statistic("average")
            .unwrap_err()
            .hint
            .contains("`statistic: Average`"));
        for bad in ["Avg", "p100", "p999", "p99.999", "p", "tm99", ""] {
            assert!(statistic(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_file_safe() {
        assert_eq!(
            simple_name("name", "checkout-canary_2", "name").unwrap(),
            "checkout-canary_2"
        );
        let bad = simple_name("name", "team/checkout", "name").unwrap_err();
        assert!(bad.hint.contains("`name: team-checkout`"), "{}", bad.hint);
        assert!(simple_name("name", "", "name").is_err());
        assert!(simple_name("name", &"a".repeat(65), "name").is_err());
        assert!(simple_name("name", "ünïcode", "name").is_err());
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        let fields = ["interval", "period", "lookback", "settle"];
        assert_eq!(closest("intervl", &fields), Some("interval"));
        assert_eq!(closest("perod", &fields), Some("period"));
        assert_eq!(closest("zzzzzzzz", &fields), None);
    }
}
