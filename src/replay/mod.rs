//! Replaying the judge over a sequence of CloudWatch periods on a simulated clock, with no AWS
//! call: [`drive`] is the runner's loop in pure form, [`model`] a seeded statistical model of a
//! route's traffic. The judgement benchmark (`examples/judgement.rs`) drives one with the other.

pub mod drive;
pub mod model;

pub use drive::{replay, Ending, PeriodTraffic, Replay, Side, TrafficSource};

#[cfg(test)]
mod forecast_tests;
