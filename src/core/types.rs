//! The small value types every layer shares: time, traffic shares and raw backend weights.
//!
//! Core reasons in one unit, the canary's [`Share`] of traffic in per-mille (0–1000), so a
//! playbook can say 0.5 % and the ALB's 0–999 weights can still express it exactly. Each traffic
//! backend converts a share into its own raw [`Split`] and back.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time, in milliseconds since the Unix epoch. Core never reads a clock: the shell
/// passes `now` in, which is what lets tests run a 30-minute rollout in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn from_secs(secs: i64) -> Self {
        Timestamp(secs.saturating_mul(1000))
    }
    pub fn as_millis(self) -> i64 {
        self.0
    }
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }
    pub fn plus(self, d: std::time::Duration) -> Self {
        Timestamp(self.0.saturating_add(duration_millis(d)))
    }
    pub fn minus(self, d: std::time::Duration) -> Self {
        Timestamp(self.0.saturating_sub(duration_millis(d)))
    }
    /// Time elapsed since `earlier`; zero when `earlier` is in the future.
    pub fn since(self, earlier: Timestamp) -> std::time::Duration {
        std::time::Duration::from_millis(self.0.saturating_sub(earlier.0).max(0) as u64)
    }

    /// "2025-11-21T14:03:07Z": RFC 3339 in UTC, to the second (the one formatter every message,
    /// table and JSON document uses; a time before 1970 shows as 1970).
    pub fn rfc3339(self) -> String {
        let secs = u64::try_from(self.as_secs()).unwrap_or(0);
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        humantime::format_rfc3339_seconds(at).to_string()
    }

    /// "2025-11-21 14:03:07" (UTC), for tables.
    pub fn utc(self) -> String {
        self.rfc3339()
            .replacen('T', " ", 1)
            .trim_end_matches('Z')
            .to_string()
    }

    /// "14:03:07" (UTC), for progress lines.
    pub fn clock(self) -> String {
        let full = self.rfc3339();
        full.get(11..19).map_or(full.clone(), str::to_string)
    }

    /// "14:03:07Z": [`Timestamp::clock`] with its zone, for lines that stand alone (the event
    /// log of `run`, the live view).
    pub fn clock_zoned(self) -> String {
        format!("{}Z", self.clock())
    }
}

fn duration_millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The canary's share of traffic in per-mille: 0 is all traffic on stable, 1000 all on canary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Share(u16);

impl Share {
    pub const STABLE_ONLY: Share = Share(0);
    pub const CANARY_ONLY: Share = Share(1000);

    /// A share from per-mille; `None` above 1000.
    pub fn from_permille(permille: u16) -> Option<Share> {
        (permille <= 1000).then_some(Share(permille))
    }
    pub fn permille(self) -> u16 {
        self.0
    }
    /// The share as a percentage (0.0–100.0).
    pub fn percent(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}%", self.0 / 10)
        } else {
            write!(f, "{}.{}%", self.0 / 10, self.0 % 10)
        }
    }
}

/// The raw weights of the two named targets as the backend stores them (ALB and Lattice: 0–999
/// each; Lambda alias: parts per million), and the weight on any target group that is neither
/// (`others`: someone else's, since canary-deploy never sends traffic there). Drift is detected
/// by comparing these exactly, so a target group added beside the two is drift too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Split {
    pub stable: u32,
    pub canary: u32,
    /// The summed weight of the live forward action's other target groups (0 on a Lambda
    /// alias, whose routing names only two versions).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub others: u32,
}

fn is_zero(weight: &u32) -> bool {
    *weight == 0
}

impl Split {
    /// The stable's and the canary's raw weights, nothing elsewhere.
    pub const fn new(stable: u32, canary: u32) -> Split {
        Split {
            stable,
            canary,
            others: 0,
        }
    }

    /// This split with `others` on the other target groups.
    pub const fn with_others(self, others: u32) -> Split {
        Split { others, ..self }
    }

    /// The canary's share of all the traffic, rounded to the nearest per-mille. All zero reads
    /// as stable-only (nothing flows to the canary).
    ///
    /// ```
    /// use canary_deploy::core::{Share, Split};
    ///
    /// let live = Split::new(950, 50);
    /// assert_eq!(Some(live.canary_share()), Share::from_permille(50));
    /// assert_eq!(live.canary_share().to_string(), "5%");
    /// ```
    pub fn canary_share(self) -> Share {
        let total = u64::from(self.stable) + u64::from(self.canary) + u64::from(self.others);
        if total == 0 {
            return Share::STABLE_ONLY;
        }
        let permille = (u64::from(self.canary) * 1000 + total / 2) / total;
        Share(permille.min(1000) as u16)
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stable {} / canary {}", self.stable, self.canary)?;
        if self.others > 0 {
            write!(f, " / other target groups {}", self.others)?;
        }
        write!(f, " ({} canary)", self.canary_share())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_displays_tenths_only_when_needed() {
        assert_eq!(Share(50).to_string(), "5%");
        assert_eq!(Share(5).to_string(), "0.5%");
        assert_eq!(Share(1000).to_string(), "100%");
    }

    #[test]
    fn split_rounds_to_nearest_permille() {
        assert_eq!(Split::new(2, 1).canary_share().permille(), 333);
        assert_eq!(Split::new(0, 0).canary_share(), Share::STABLE_ONLY);
        assert_eq!(Split::new(0, 999).canary_share(), Share::CANARY_ONLY);
    }

    #[test]
    fn timestamp_since_never_goes_negative() {
        assert_eq!(Timestamp(5).since(Timestamp(10)).as_millis(), 0);
        assert_eq!(Timestamp(10_000).since(Timestamp(4_000)).as_secs(), 6);
    }
}

#[cfg(test)]
mod time_format_tests {
    use super::Timestamp;

    #[test]
    fn one_instant_reads_the_same_in_every_format() {
        let at = Timestamp::from_secs(1_763_733_787); // 2025-11-21 14:03:07 UTC
        assert_eq!(at.rfc3339(), "2025-11-21T14:03:07Z");
        assert_eq!(at.utc(), "2025-11-21 14:03:07");
        assert_eq!(at.clock(), "14:03:07");
        assert_eq!(Timestamp(1_763_733_787_999).clock(), "14:03:07");
        assert_eq!(Timestamp::from_secs(-5).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_secs(951_782_400).utc(),
            "2000-02-29 00:00:00"
        );
    }
}
