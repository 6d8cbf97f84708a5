//! The clock is an input: `run` asks a [`Clock`] for the time and for its sleeps, so tests can
//! drive a rollout with a clock of their own.

use crate::core::Timestamp;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub trait Clock: Sync {
    fn now(&self) -> Timestamp;
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// Wall-clock time and real sleeps.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Timestamp(i64::try_from(millis).unwrap_or(i64::MAX))
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}
