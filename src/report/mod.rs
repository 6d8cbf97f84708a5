//! Turns the event stream into something a person or a program reads.
//!
//! The orchestrator only emits [`Event`]s into an [`EventSink`]; the CLI picks the sink: human
//! text for a terminal, or JSON lines (`--output json`) for pipelines; inside GitHub Actions it
//! wraps either in [`GithubReporter`] for a job step summary and annotations. Sinks write to any
//! `io::Write` the CLI hands them, so the library itself never prints. Text from outside in an
//! event or a record reaches no output raw: every sink writes it through [`crate::text`] (the
//! property tests in `property_tests.rs` hold each sink to it over arbitrary text).

pub mod github;
pub mod human;
pub mod json;
pub mod live;
pub mod schema;

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod snapshot_tests;

use crate::core::{Event, Plan, Record, Timestamp};

pub use github::GithubReporter;
pub use human::HumanReporter;
pub use json::JsonReporter;

/// How a command reports: human text, or JSON lines (`--output`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Human,
    Json,
}

/// The sink for `output` on standard output; inside GitHub Actions (`GITHUB_ACTIONS=true` and
/// `GITHUB_STEP_SUMMARY` set) it is wrapped to write a step summary and annotations too.
pub fn reporter(output: Output) -> Box<dyn EventSink> {
    let chosen: Box<dyn EventSink> = match output {
        Output::Human => Box::new(HumanReporter::new(std::io::stdout())),
        Output::Json => Box::new(JsonReporter::new(std::io::stdout())),
    };
    github::wrap_from_env(chosen)
}

/// `run`'s sink: the live view on a terminal ([`live`]), else [`reporter`]'s.
pub fn run_reporter(output: Output) -> Box<dyn EventSink> {
    if output == Output::Human && live::wanted() {
        return github::wrap_from_env(Box::new(live::LiveReporter::new()));
    }
    reporter(output)
}

/// Receives what happens during a tick, and the state after each tick.
pub trait EventSink: Send {
    fn emit(&mut self, event: &Event);
    /// Called after every tick of `run`, with the record as saved.
    fn progress(&mut self, _record: &Record, _plan: &Plan, _now: Timestamp) {}
    /// `run` waits on a paused deployment (paused for `why`) until someone resumes, rolls back
    /// or promotes it.
    fn waiting(&mut self, _why: &str) {}
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
