//! What the shell observed for one tick, in plain data: the input of [`super::judge()`].
//!
//! `metrics/` fills these from CloudWatch; tests build them by hand. Values are already summed
//! (counts) or maximised (latency) over the analysis window; `None` means CloudWatch returned no
//! datapoint, which is an observation ("no data"), not an error.

use serde::{Deserialize, Serialize};

/// One entry per check of the plan, in the plan's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Observed {
    ErrorRate {
        canary: Traffic,
        stable: Traffic,
    },
    Latency {
        /// Canary requests in the window (for `min_requests`).
        canary_requests: Option<f64>,
        /// Worst canary latency percentile over the window, in milliseconds.
        canary_ms: Option<f64>,
        /// Worst stable latency percentile over the window, in milliseconds.
        stable_ms: Option<f64>,
        /// The requests slower than the check's threshold, when the evidence judge asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slow: Option<SlowCounts>,
    },
    /// A Lambda alias's requests over the window, both versions together: those that ran
    /// (`Invocations`) and those rejected for lack of concurrency (`Throttles`, counted in
    /// neither `Invocations` nor `Errors`).
    Throttles {
        invocations: Option<f64>,
        throttles: Option<f64>,
    },
    /// A custom metric aggregated over the window (Sum/SampleCount summed, others the worst
    /// period for the check's comparison).
    Value(Option<f64>),
    Alarms(Vec<AlarmObservation>),
    /// The source could not answer for this check (e.g. the alarm does not exist).
    Unavailable {
        why: String,
    },
}

/// Requests slower than a latency threshold over the window (CloudWatch's trimmed count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlowCounts {
    /// The canary's slow requests (its requests are the observation's `canary_requests`).
    pub canary: Option<f64>,
    /// The stable's requests (`requests`) and slow ones (`errors`), for the vs-stable check.
    pub stable: Option<Traffic>,
}

/// Request and 5XX counts of one target over the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    pub requests: Option<f64>,
    /// ALB omits the 5XX metric while there are no errors: `None` with requests present is 0.
    pub errors: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlarmObservation {
    pub name: String,
    pub state: AlarmState,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}
