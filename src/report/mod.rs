//! Turns the event stream into something a person or a program reads.
//!
//! The orchestrator only emits [`Event`]s into an [`EventSink`]; the CLI picks the sink: human
//! text for a terminal, or JSON lines (`--output json`) for pipelines; inside GitHub Actions it
//! wraps either in [`GithubReporter`] for a job step summary and annotations. Sinks write to any
//! `io::Write` the CLI hands them, so the library itself never prints.

pub mod github;
pub mod human;
pub mod json;

use crate::core::{Event, Plan, Record, Timestamp};

pub use github::GithubReporter;
pub use human::HumanReporter;
pub use json::JsonReporter;

/// Receives what happens during a tick, and the state after each tick.
pub trait EventSink: Send {
    fn emit(&mut self, event: &Event);
    /// Called after every tick of `run`, with the record as saved.
    fn progress(&mut self, _record: &Record, _plan: &Plan, _now: Timestamp) {}
}

/// A sink that drops everything (library callers and tests that only look at the record).
#[derive(Debug, Default)]
pub struct Discard;

impl EventSink for Discard {
    fn emit(&mut self, _event: &Event) {}
}

/// A sink that keeps every event, for tests and for callers that report at the end.
#[derive(Debug, Default)]
pub struct Collect(pub Vec<Event>);

impl EventSink for Collect {
    fn emit(&mut self, event: &Event) {
        self.0.push(event.clone());
    }
}
