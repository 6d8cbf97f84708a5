//! Replaying the judge over a sequence of CloudWatch periods on a simulated clock, with no AWS
//! call: [`drive`] is the runner's loop in pure form, [`model`] a seeded statistical model of a
//! route's traffic, [`history`] a route's own CloudWatch history as traffic. The judgement
//! benchmark (`examples/judgement.rs`) drives the loop on the model, `backtest` ([`backtest`])
//! on the history; [`tally`] counts how they ended.

pub mod backtest;
pub mod drive;
pub mod history;
pub mod model;
pub mod tally;

pub use drive::{replay, Ending, PeriodTraffic, Replay, Side, TrafficSource};
pub use tally::Tally;

#[cfg(test)]
mod forecast_tests;
