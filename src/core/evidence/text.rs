//! How the evidence judge writes its numbers: counts with thousands separators, rates in
//! percent, evidence ratios rounded to what a reader compares.

use super::math::Counts;

/// `1210` → `1,210`; fractions are rounded to whole requests.
pub fn count(value: f64) -> String {
    let whole = if value.is_finite() {
        value.round()
    } else {
        0.0
    };
    let digits = format!("{:.0}", whole.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A fraction as a percentage with two decimals: `0.0052` → `0.52%`.
pub fn percent(rate: f64) -> String {
    format!("{:.2}%", rate * 100.0)
}

/// `14 of 1,210 (1.16%)`.
pub fn counts(c: Counts) -> String {
    match c.rate() {
        Some(rate) => format!(
            "{} of {} ({})",
            count(c.bad),
            count(c.requests),
            percent(rate)
        ),
        None => "0 of 0".to_string(),
    }
}

/// An evidence ratio: one decimal below 10, whole up to a million, then `>1,000,000`.
pub fn ratio(e: f64) -> String {
    if !e.is_finite() || e >= 1e6 {
        ">1,000,000".to_string()
    } else if e < 10.0 {
        format!("{e:.1}")
    } else {
        count(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(count(1210.0), "1,210");
        assert_eq!(count(999.4), "999");
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(count(f64::NAN), "0");
        assert_eq!(count(-4321.0), "-4,321");
        assert_eq!(percent(0.0052), "0.52%");
        assert_eq!(counts(Counts::new(1210.0, 14.0)), "14 of 1,210 (1.16%)");
        assert_eq!(counts(Counts::default()), "0 of 0");
        assert_eq!(ratio(2.345), "2.3");
        assert_eq!(ratio(212.4), "212");
        assert_eq!(ratio(f64::MAX), ">1,000,000");
    }
}
