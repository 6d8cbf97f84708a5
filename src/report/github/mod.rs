//! GitHub Actions: a job step summary and workflow-command annotations, around another reporter.
//!
//! A scheduled job's log is read by nobody; the run page is. So inside GitHub Actions the CLI
//! wraps its human or JSON reporter in [`GithubReporter`], which passes every call through
//! unchanged and also keeps what it sees. When it is dropped (the command has ended), it appends
//! one Markdown summary to `$GITHUB_STEP_SUMMARY`: the outcome, the weight timeline, each verdict
//! and the final phase. A rollback or a failure is printed as an `::error` workflow command, a
//! pause as a `::warning`, so they show as annotations on the run; they wait for the end of the
//! tick (its progress report names the deployment) or of the command, whichever comes first.
//!
//! Annotations go to stderr (the runner reads workflow commands from both streams), which keeps
//! stdout clean for `--output json`. Everything is formatted by pure functions
//! ([`Summary::render`], [`annotation`]); the only file IO is [`append`]. Text from outside
//! goes through the one sanitizer, [`crate::text`]: one line and workflow-command escaping in an
//! annotation, Markdown that renders as the text itself in the summary.
//!
//! This file holds the decorator and the file append; `summary` renders the Markdown (with the
//! rows and cells of its tables in `tables`), and `annotations` the workflow commands.

mod annotations;
mod chart;
mod failure;
mod summary;
mod tables;

pub use annotations::annotation;
pub use failure::{failure_annotations, failure_summary, report_summary};
pub use summary::Summary;

use super::EventSink;
use crate::core::{Event, EventKind, Plan, Record, Timestamp};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `inner`, wrapped in a [`GithubReporter`] when running in GitHub Actions with a step summary.
pub fn wrap_from_env(inner: Box<dyn EventSink>) -> Box<dyn EventSink> {
    let github_actions = std::env::var("GITHUB_ACTIONS").ok();
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY");
    match summary_file(github_actions.as_deref(), summary.as_deref()) {
        Some(path) => Box::new(GithubReporter::new(inner, path)),
        None => inner,
    }
}

/// Inside GitHub Actions, a failed `command`'s annotations (to stderr) and job summary.
pub fn report_failure(command: &str, error: &anyhow::Error) {
    let github_actions = std::env::var("GITHUB_ACTIONS").ok();
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY");
    if github_actions.as_deref() != Some("true") {
        return;
    }
    let mut stderr = std::io::stderr();
    for line in failure_annotations(command, error) {
        let _ = writeln!(stderr, "{line}");
    }
    if let Some(path) = summary_file(github_actions.as_deref(), summary.as_deref()) {
        if let Err(e) = append(&path, &failure_summary(command, error)) {
            tracing::warn!(
                "could not write the GitHub step summary to {}: {e}",
                path.display()
            );
        }
    }
}

/// Inside GitHub Actions, what a reporting command (`plan`, `status`, …) printed, as its job
/// summary.
pub fn report_to_summary(command: &str, lines: &[String]) {
    let github_actions = std::env::var("GITHUB_ACTIONS").ok();
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY");
    if let Some(path) = summary_file(github_actions.as_deref(), summary.as_deref()) {
        if let Err(e) = append(&path, &report_summary(command, lines)) {
            tracing::warn!(
                "could not write the GitHub step summary to {}: {e}",
                path.display()
            );
        }
    }
}

/// The step summary file, when `GITHUB_ACTIONS` is `true` and `GITHUB_STEP_SUMMARY` names one.
pub fn summary_file(github_actions: Option<&str>, step_summary: Option<&OsStr>) -> Option<PathBuf> {
    let path = step_summary.filter(|path| !path.is_empty())?;
    (github_actions == Some("true")).then(|| PathBuf::from(path))
}

/// Decorates another sink: forwards everything, annotates trouble, summarises on drop.
pub struct GithubReporter {
    inner: Box<dyn EventSink>,
    summary_file: PathBuf,
    annotations: Box<dyn Write + Send>,
    summary: Summary,
    /// Events to annotate once the deployment's name is known (or the command ends).
    pending: Vec<EventKind>,
    finished: bool,
}

impl GithubReporter {
    pub fn new(inner: Box<dyn EventSink>, summary_file: PathBuf) -> Self {
        Self::with_annotations(inner, summary_file, Box::new(std::io::stderr()))
    }

    /// As [`GithubReporter::new`], with the annotations written to `annotations`.
    pub fn with_annotations(
        inner: Box<dyn EventSink>,
        summary_file: PathBuf,
        annotations: Box<dyn Write + Send>,
    ) -> Self {
        GithubReporter {
            inner,
            summary_file,
            annotations,
            summary: Summary::default(),
            pending: Vec::new(),
            finished: false,
        }
    }

    /// Prints the annotations of the events seen since the last call.
    fn annotate(&mut self) {
        for kind in std::mem::take(&mut self.pending) {
            if let Some(line) = annotation(&kind, self.summary.name.as_deref()) {
                let _ = writeln!(self.annotations, "{line}");
            }
        }
        let _ = self.annotations.flush();
    }

    /// Prints what is left to annotate and appends the summary (once; dropping the reporter
    /// calls this).
    pub fn finish(&mut self) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        self.annotate();
        if let Some(markdown) = self.summary.render() {
            if let Err(error) = append(&self.summary_file, &markdown) {
                tracing::warn!(
                    "could not write the GitHub step summary to {}: {error}",
                    self.summary_file.display()
                );
            }
        }
    }
}

impl EventSink for GithubReporter {
    fn emit(&mut self, event: &Event) {
        self.inner.emit(event);
        if annotation(&event.kind, None).is_some() {
            self.pending.push(event.kind.clone());
        }
        self.summary.events.push(event.clone());
    }

    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        self.inner.progress(record, plan, now);
        self.summary.name = Some(plan.name.clone());
        self.summary.steps = Some(plan.steps.len());
        self.summary.phase = Some(record.phase.clone());
        self.summary.history = record.history.iter().cloned().collect();
        self.annotate();
    }

    fn waiting(&mut self, why: &str) {
        self.inner.waiting(why);
    }
}

impl Drop for GithubReporter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The one place that touches the summary file: GitHub collects what each step appends.
pub fn append(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())
}

#[cfg(test)]
pub(super) mod test_support;

#[cfg(test)]
#[path = "reporter_tests.rs"]
mod tests;
