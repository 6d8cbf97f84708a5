//! `run`'s live view on a terminal: the step ladder, a bar for the current step's bake that
//! moves every second, and the latest verdict with its evidence, drawn in place below the event
//! log (indicatif), in colour unless `NO_COLOR` is set or the terminal cannot show it (console).
//! Not a terminal (a pipe, a file, a CI log): [`super::HumanReporter`]'s plain lines, with no
//! escape sequence at all. What the view shows is computed by [`view`] (pure, tested); this
//! module only draws it. Text from outside reaches the view through [`crate::text::line()`], as
//! on every sink.

use super::human::describe;
use super::EventSink;
use crate::core::{Event, EventKind, Phase, Plan, Record, Timestamp};
use crate::text::line;
use console::style;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// True when `run` should draw the live view: standard output is a terminal that can draw it.
pub fn wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// What the view shows after a tick.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// One cell per step: its percent and whether it is done, current or to come.
    pub ladder: Vec<(String, Rung)>,
    /// The current step's bake: its start, its length, and what follows it.
    pub bake: Option<Bake>,
    /// The latest verdict and what it rested on, one line.
    pub evidence: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rung {
    Done,
    Current,
    Ahead,
    /// The deployment stopped here (paused, rolled back or failed).
    Stopped,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bake {
    pub since: Timestamp,
    pub length: Duration,
    pub then: String,
}

/// The view of `record` under `plan` at `now`.
pub fn view(record: &Record, plan: &Plan, _now: Timestamp) -> View {
    let (current, stopped) = match &record.phase {
        Phase::Stepping { index, .. } => (Some(*index), false),
        Phase::Paused { index, .. } => (*index, true),
        Phase::Promoted { .. } => (Some(plan.steps.len()), false),
        Phase::RolledBack { .. } | Phase::Failed { .. } => (None, true),
        Phase::Pending => (None, false),
    };
    let ladder = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let rung = match current {
                Some(c) if i < c => Rung::Done,
                Some(c) if i == c && stopped => Rung::Stopped,
                Some(c) if i == c => Rung::Current,
                None if stopped => Rung::Stopped,
                _ => Rung::Ahead,
            };
            (step.share.to_string(), rung)
        })
        .collect();
    let bake = match record.phase {
        Phase::Stepping { index, since } => plan.steps.get(index).map(|step| Bake {
            since,
            length: step.bake,
            then: if index + 1 == plan.steps.len() {
                "then promotion".to_string()
            } else if plan.checks.is_empty() {
                "then the next step".to_string()
            } else {
                "then the next step, once the checks pass".to_string()
            },
        }),
        _ => None,
    };
    let evidence = match &record.last_verdict {
        Some(v) if v.details.is_empty() => {
            format!("last verdict {}: {}", v.at.clock_zoned(), v.verdict)
        }
        Some(v) => format!(
            "last verdict {}: {} [{}]",
            v.at.clock_zoned(),
            v.verdict,
            v.details.join("; ")
        ),
        None if plan.checks.is_empty() => "no checks: each step passes on its bake".to_string(),
        None => "no verdict yet".to_string(),
    };
    View {
        ladder,
        bake,
        evidence: line(&evidence),
    }
}

/// The ladder as one line, each rung styled (the styles are plain text without colours).
fn ladder_line(ladder: &[(String, Rung)]) -> String {
    let cells: Vec<String> = ladder
        .iter()
        .map(|(percent, rung)| match rung {
            Rung::Done => style(format!("✓ {percent}")).green().to_string(),
            Rung::Current => style(format!("▶ {percent}")).cyan().bold().to_string(),
            Rung::Stopped => style(format!("✗ {percent}")).red().bold().to_string(),
            Rung::Ahead => style(percent.clone()).dim().to_string(),
        })
        .collect();
    format!("steps  {}", cells.join("  →  "))
}

/// The bar's clock: the current bake, read every second by the ticker thread.
type BakeClock = Arc<Mutex<Option<Bake>>>;

pub struct LiveReporter {
    multi: MultiProgress,
    ladder: ProgressBar,
    bake_bar: ProgressBar,
    evidence: ProgressBar,
    clock: BakeClock,
    stop: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl LiveReporter {
    /// The view on standard output.
    pub fn new() -> LiveReporter {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
        let text_line =
            ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_bar());
        let ladder = multi.add(ProgressBar::new(1).with_style(text_line.clone()));
        let bar = ProgressStyle::with_template("bake   [{bar:32.cyan/blue}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bake_bar = multi.add(ProgressBar::new(1).with_style(bar));
        let evidence = multi.add(ProgressBar::new(1).with_style(text_line));
        let clock: BakeClock = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (clock, stop, bar) = (clock.clone(), stop.clone(), bake_bar.clone());
            std::thread::Builder::new()
                .name("live-view".into())
                .spawn(move || tick_bake(&clock, &stop, &bar))
                .ok()
        };
        LiveReporter {
            multi,
            ladder,
            bake_bar,
            evidence,
            clock,
            stop,
            ticker,
        }
    }
}

impl Default for LiveReporter {
    fn default() -> Self {
        LiveReporter::new()
    }
}

/// Moves the bake bar every second until `stop`.
fn tick_bake(clock: &BakeClock, stop: &AtomicBool, bar: &ProgressBar) {
    while !stop.load(Ordering::Relaxed) {
        let bake = clock.lock().ok().and_then(|c| c.clone());
        if let Some(bake) = bake {
            draw_bake(bar, &bake, wall_now());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The wall clock, for the bar between ticks (report/ is below the orchestrator's clock).
fn wall_now() -> Timestamp {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
}

fn draw_bake(bar: &ProgressBar, bake: &Bake, now: Timestamp) {
    let length = bake.length.as_secs().max(1);
    let done = now.since(bake.since).as_secs().min(length);
    bar.set_length(length);
    bar.set_position(done);
    let show = |secs: u64| humantime::format_duration(Duration::from_secs(secs)).to_string();
    bar.set_message(format!(
        "{} of {}, {}",
        show(done),
        show(bake.length.as_secs()),
        bake.then
    ));
}

fn styled_event(kind: &EventKind) -> String {
    let text = line(&describe(kind));
    match kind {
        EventKind::Promoted => style(text).green().bold().to_string(),
        EventKind::RolledBack { .. } | EventKind::Failed { .. } => {
            style(text).red().bold().to_string()
        }
        EventKind::Paused { .. }
        | EventKind::Holding { .. }
        | EventKind::GateHeld { .. }
        | EventKind::NotifyFailed { .. }
        | EventKind::HookFailed { .. }
        | EventKind::DriftDetected { .. }
        | EventKind::Unjudged { .. }
        | EventKind::MetricsUnavailable { .. } => style(text).yellow().to_string(),
        _ => text,
    }
}

impl EventSink for LiveReporter {
    fn emit(&mut self, event: &Event) {
        let at = style(event.at.clock_zoned()).dim();
        let _ = self
            .multi
            .println(format!("{at}  {}", styled_event(&event.kind)));
    }

    fn waiting(&mut self, why: &str) {
        if let Ok(mut clock) = self.clock.lock() {
            *clock = None;
        }
        self.bake_bar.set_position(0);
        self.bake_bar.set_message(line(&format!(
            "paused ({why}): waiting for `canary-deploy resume` (or `rollback` / `promote`); \
             Ctrl-C stops waiting"
        )));
    }

    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        let view = view(record, plan, now);
        self.ladder.set_message(ladder_line(&view.ladder));
        self.evidence
            .set_message(format!("       {}", view.evidence));
        match &view.bake {
            Some(bake) => draw_bake(&self.bake_bar, bake, now),
            None => {
                self.bake_bar.set_position(0);
                self.bake_bar
                    .set_message(record.phase.name().replace('_', " "));
            }
        }
        if let Ok(mut clock) = self.clock.lock() {
            *clock = view.bake;
        }
    }
}

impl Drop for LiveReporter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        for bar in [&self.ladder, &self.bake_bar, &self.evidence] {
            bar.finish();
        }
    }
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
