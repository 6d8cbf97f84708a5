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
//! ([`Summary::render`], [`annotation`]); the only file IO is [`append`].

use super::EventSink;
use crate::core::{Event, EventKind, Phase, Plan, Record, Share, Split, Timestamp};
use std::collections::HashSet;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Rows kept per table; a long `run` shows its most recent ones (a step summary holds 1 MiB).
const MAX_ROWS: usize = 200;

/// `inner`, wrapped in a [`GithubReporter`] when running in GitHub Actions with a step summary.
pub fn wrap_from_env(inner: Box<dyn EventSink>) -> Box<dyn EventSink> {
    let github_actions = std::env::var("GITHUB_ACTIONS").ok();
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY");
    match summary_file(github_actions.as_deref(), summary.as_deref()) {
        Some(path) => Box::new(GithubReporter::new(inner, path)),
        None => inner,
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

/// The workflow command for an event that needs a person's eye: `::error` for a rollback or a
/// failure, `::warning` for a pause; `None` for everything else.
pub fn annotation(kind: &EventKind, name: Option<&str>) -> Option<String> {
    let (level, what, why) = match kind {
        EventKind::RolledBack { why } => ("error", "rolled back", why.clone()),
        EventKind::Failed { why } => ("error", "failed", why.clone()),
        EventKind::Paused { why } => (
            "warning",
            "paused",
            format!("{why}; traffic stays on the last verified weights until resume or rollback"),
        ),
        _ => return None,
    };
    let title = match name {
        Some(name) => format!("canary {name} {what}"),
        None => format!("canary {what}"),
    };
    Some(format!(
        "::{level} title={}::{}",
        escape_property(&title),
        escape_data(&why)
    ))
}

/// A workflow command's message, escaped as GitHub requires (`%`, `\r`, `\n`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (such as `title`): the message escapes plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// What the reporter has seen: the events of this command and, when a tick reported progress,
/// the deployment's name, plan length, phase and recorded history.
#[derive(Debug, Default)]
pub struct Summary {
    pub name: Option<String>,
    pub steps: Option<usize>,
    pub phase: Option<Phase>,
    pub history: Vec<Event>,
    pub events: Vec<Event>,
}

impl Summary {
    /// The Markdown step summary; `None` when nothing happened to summarise.
    pub fn render(&self) -> Option<String> {
        if self.events.is_empty() && self.phase.is_none() {
            return None;
        }
        let events = self.timeline();
        let (weights, verdicts) = tables(&events, self.steps);
        let end = self.final_phase(&events);
        let name = self
            .name
            .as_deref()
            .map_or(String::new(), |name| format!(" `{}`", cell(name)));
        let mut out = format!(
            "## {} canary-deploy{name}: {}\n\n",
            end.icon(),
            end.outcome()
        );
        out.push_str(&format!(
            "**Final phase:** {}\n\n",
            end.describe(self.steps)
        ));
        out.push_str("### Weights\n\n");
        push_table(
            &mut out,
            "| Time (UTC) | Step | Stable | Canary | Canary share |\n| --- | --- | ---: | ---: | ---: |\n",
            &weights,
            "No weights were written.",
        );
        out.push_str("### Verdicts\n\n");
        push_table(
            &mut out,
            "| Time (UTC) | Step | Verdict | Details |\n| --- | --- | --- | --- |\n",
            &verdicts,
            "No analysis was made.",
        );
        Some(out)
    }

    /// The recorded history from before this command's first event, then every event of this
    /// command as it was emitted (the history leaves out repeated verdicts, and keeps a tick's
    /// events in another order than they happened).
    fn timeline(&self) -> Vec<Event> {
        let first = self.events.first().map(|event| event.at);
        let mut all: Vec<Event> = self
            .history
            .iter()
            .filter(|event| first.is_none_or(|first| event.at < first))
            .cloned()
            .collect();
        all.extend(self.events.iter().cloned());
        all
    }

    /// The phase a progress report gave, or else the one the events imply.
    fn final_phase(&self, events: &[Event]) -> End {
        if let Some(phase) = &self.phase {
            return End::from_phase(phase);
        }
        events
            .iter()
            .rev()
            .find_map(|event| match &event.kind {
                EventKind::Promoted => Some(End::new("promoted", None, None)),
                EventKind::RolledBack { why } => Some(End::new("rolled_back", Some(why), None)),
                EventKind::Paused { why } => Some(End::new("paused", Some(why), None)),
                EventKind::Failed { why } => Some(End::new("failed", Some(why), None)),
                EventKind::StepStarted { index, .. } => {
                    Some(End::new("stepping", None, Some(*index)))
                }
                _ => None,
            })
            .unwrap_or_else(|| End::new("stepping", None, None))
    }
}

/// Where the deployment ended up, for the heading and the final-phase line.
struct End {
    phase: &'static str,
    why: Option<String>,
    step: Option<usize>,
}

impl End {
    fn new(phase: &'static str, why: Option<&String>, step: Option<usize>) -> End {
        End {
            phase,
            why: why.cloned(),
            step,
        }
    }

    fn from_phase(phase: &Phase) -> End {
        match phase {
            Phase::Paused { why, .. } | Phase::RolledBack { why, .. } | Phase::Failed { why } => {
                End::new(phase.name(), Some(why), None)
            }
            Phase::Stepping { index, .. } => End::new(phase.name(), None, Some(*index)),
            Phase::Pending | Phase::Promoted { .. } => End::new(phase.name(), None, None),
        }
    }

    fn outcome(&self) -> &'static str {
        match self.phase {
            "promoted" => "promoted",
            "rolled_back" => "rolled back",
            "paused" => "paused",
            "failed" => "failed",
            "pending" => "pending",
            _ => "in progress",
        }
    }

    fn icon(&self) -> &'static str {
        match self.phase {
            "promoted" => "✅",
            "rolled_back" => "⏪",
            "paused" => "⏸️",
            "failed" => "❌",
            _ => "🔄",
        }
    }

    fn describe(&self, steps: Option<usize>) -> String {
        let mut text = format!("`{}`", self.phase);
        if let Some(index) = self.step {
            text.push_str(&format!(" at step {}", step_label(index, steps)));
        }
        if let Some(why) = &self.why {
            text.push_str(&format!(": {}", cell(why)));
        }
        text
    }
}

/// The weight rows and the verdict rows of a timeline.
fn tables(events: &[Event], steps: Option<usize>) -> (Vec<String>, Vec<String>) {
    // An operator's rollback or promotion writes without a step of its own.
    let ended = |wanted: fn(&EventKind) -> bool| -> HashSet<Timestamp> {
        events
            .iter()
            .filter(|event| wanted(&event.kind))
            .map(|event| event.at)
            .collect()
    };
    let rollbacks = ended(|kind| matches!(kind, EventKind::RolledBack { .. }));
    let promotions = ended(|kind| matches!(kind, EventKind::Promoted));
    let mut weights: Vec<WeightRow> = Vec::new();
    let mut verdicts = Vec::new();
    let mut step = "–".to_string();
    for event in events {
        match &event.kind {
            EventKind::StepStarted { index, share } => {
                step = step_label(*index, steps);
                match weights.last_mut() {
                    // Written and verified before the step's own event (the order of a tick).
                    Some(last) if last.pairs_with(event.at, *share, false) => {
                        last.step = step.clone();
                        last.started = true;
                    }
                    _ => weights.push(WeightRow {
                        at: event.at,
                        step: step.clone(),
                        started: true,
                        share: *share,
                        split: None,
                    }),
                }
            }
            EventKind::WeightsVerified { split } => {
                let share = split.canary_share();
                match weights.last_mut() {
                    Some(last) if last.pairs_with(event.at, share, true) => {
                        last.split = Some(*split)
                    }
                    _ => {
                        let label = if share == Share::STABLE_ONLY && rollbacks.contains(&event.at)
                        {
                            "rollback".to_string()
                        } else if share == Share::CANARY_ONLY && promotions.contains(&event.at) {
                            "promote".to_string()
                        } else {
                            step.clone()
                        };
                        weights.push(WeightRow {
                            at: event.at,
                            step: label,
                            started: false,
                            share,
                            split: Some(*split),
                        });
                    }
                }
            }
            EventKind::Analysed { verdict, details } => {
                let details: Vec<String> = details.iter().map(|d| cell(d)).collect();
                verdicts.push(format!(
                    "| {} | {step} | {} | {} |\n",
                    utc(event.at),
                    verdict_cell(verdict),
                    details.join("<br>")
                ));
            }
            _ => {}
        }
    }
    (weights.iter().map(WeightRow::render).collect(), verdicts)
}

/// One row of the weight table: a step's start and its verified weights, or either alone.
struct WeightRow {
    at: Timestamp,
    step: String,
    /// A `StepStarted` made or named this row.
    started: bool,
    share: Share,
    split: Option<Split>,
}

impl WeightRow {
    /// Whether the other half of this row's step is the event at `at` with `share`: its
    /// verified weights (`verified`) or its `StepStarted`.
    fn pairs_with(&self, at: Timestamp, share: Share, verified: bool) -> bool {
        let missing = if verified {
            self.started && self.split.is_none()
        } else {
            !self.started && self.split.is_some() && self.at == at
        };
        missing && self.share == share
    }

    fn render(&self) -> String {
        match self.split {
            Some(split) => format!(
                "| {} | {} | {} | {} | {} |\n",
                utc(self.at),
                self.step,
                split.stable,
                split.canary,
                self.share
            ),
            None => format!(
                "| {} | {} | not verified | not verified | {} (intended) |\n",
                utc(self.at),
                self.step,
                self.share
            ),
        }
    }
}

/// A table with its most recent [`MAX_ROWS`] rows, or a sentence when it has none.
fn push_table(out: &mut String, header: &str, rows: &[String], empty: &str) {
    if rows.is_empty() {
        out.push_str(empty);
        out.push_str("\n\n");
        return;
    }
    let left_out = rows.len().saturating_sub(MAX_ROWS);
    if left_out > 0 {
        out.push_str(&format!("({left_out} earlier rows left out)\n\n"));
    }
    out.push_str(header);
    for row in &rows[left_out..] {
        out.push_str(row);
    }
    out.push('\n');
}

fn step_label(index: usize, steps: Option<usize>) -> String {
    match steps {
        Some(steps) => format!("{}/{steps}", index + 1),
        None => (index + 1).to_string(),
    }
}

fn verdict_cell(verdict: &str) -> String {
    match verdict {
        "pass" => "✅ pass".to_string(),
        "fail" => "❌ fail".to_string(),
        "no_data" => "⚪ no data".to_string(),
        other => cell(other),
    }
}

/// Text made safe for one Markdown table cell: no pipes, line breaks or HTML.
fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\r', '\n'], " ")
}

/// "2025-11-21 14:03:07" (UTC).
pub fn utc(at: Timestamp) -> String {
    let secs = at.as_secs();
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let time = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn at(secs: i64) -> Timestamp {
        // 2025-11-21 14:00:00 UTC
        Timestamp::from_secs(1_763_733_600 + secs)
    }

    fn event(secs: i64, kind: EventKind) -> Event {
        Event { at: at(secs), kind }
    }

    fn step(index: usize, permille: u16) -> EventKind {
        EventKind::StepStarted {
            index,
            share: Share::from_permille(permille).unwrap(),
        }
    }

    fn verified(stable: u32, canary: u32) -> EventKind {
        EventKind::WeightsVerified {
            split: Split { stable, canary },
        }
    }

    fn analysed(verdict: &str, details: &[&str]) -> EventKind {
        EventKind::Analysed {
            verdict: verdict.to_string(),
            details: details.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn rolled_back_run() -> Vec<Event> {
        let why = "errors: canary 5XX rate 4.80% > max 1.00%".to_string();
        vec![
            event(0, EventKind::Started { steps: 4 }),
            event(0, step(0, 50)),
            event(0, verified(950, 50)),
            event(
                330,
                analysed("pass", &["errors: canary 5XX rate 0.10% <= max 1.00%"]),
            ),
            event(330, step(1, 100)),
            event(330, verified(900, 100)),
            event(
                420,
                analysed(
                    "fail",
                    &[
                        "errors: canary 5XX rate 4.80% > max 1.00%",
                        "latency: canary p99 310ms <= max 800ms",
                    ],
                ),
            ),
            event(420, verified(999, 0)),
            event(420, EventKind::RolledBack { why }),
        ]
    }

    #[test]
    fn the_summary_file_is_used_only_inside_github_actions() {
        let file = OsStr::new("/runner/summary.md");
        assert_eq!(
            summary_file(Some("true"), Some(file)),
            Some(PathBuf::from("/runner/summary.md"))
        );
        assert_eq!(summary_file(None, Some(file)), None);
        assert_eq!(summary_file(Some("false"), Some(file)), None);
        assert_eq!(summary_file(Some("true"), None), None);
        assert_eq!(summary_file(Some("true"), Some(OsStr::new(""))), None);
    }

    #[test]
    fn workflow_command_text_is_escaped_as_github_requires() {
        assert_eq!(escape_data("5% of\r\nall"), "5%25 of%0D%0Aall");
        assert_eq!(escape_property("a: b, c%"), "a%3A b%2C c%25");
    }

    #[test]
    fn a_rollback_or_a_failure_is_an_error_and_a_pause_a_warning() {
        let rolled_back = EventKind::RolledBack {
            why: "errors: 5XX 4.8% > 1%\nsecond line".to_string(),
        };
        assert_eq!(
            annotation(&rolled_back, Some("checkout")).unwrap(),
            "::error title=canary checkout rolled back::errors: 5XX 4.8%25 > 1%25%0Asecond line"
        );
        let failed = EventKind::Failed {
            why: "rollback write failed".to_string(),
        };
        assert_eq!(
            annotation(&failed, None).unwrap(),
            "::error title=canary failed::rollback write failed"
        );
        let paused = EventKind::Paused {
            why: "weights changed outside canary-deploy".to_string(),
        };
        assert_eq!(
            annotation(&paused, Some("checkout")).unwrap(),
            "::warning title=canary checkout paused::weights changed outside canary-deploy; \
             traffic stays on the last verified weights until resume or rollback"
        );
        assert_eq!(annotation(&EventKind::Promoted, None), None);
        assert_eq!(annotation(&step(0, 50), None), None);
    }

    #[test]
    fn the_summary_shows_outcome_weights_verdicts_and_final_phase() {
        let summary = Summary {
            name: Some("checkout-canary".to_string()),
            steps: Some(4),
            phase: Some(Phase::RolledBack {
                why: "errors: canary 5XX rate 4.80% > max 1.00%".to_string(),
                at: at(420),
            }),
            history: Vec::new(),
            events: rolled_back_run(),
        };
        let expected = "\
## ⏪ canary-deploy `checkout-canary`: rolled back

**Final phase:** `rolled_back`: errors: canary 5XX rate 4.80% &gt; max 1.00%

### Weights

| Time (UTC) | Step | Stable | Canary | Canary share |
| --- | --- | ---: | ---: | ---: |
| 2025-11-21 14:00:00 | 1/4 | 950 | 50 | 5% |
| 2025-11-21 14:05:30 | 2/4 | 900 | 100 | 10% |
| 2025-11-21 14:07:00 | rollback | 999 | 0 | 0% |

### Verdicts

| Time (UTC) | Step | Verdict | Details |
| --- | --- | --- | --- |
| 2025-11-21 14:05:30 | 1/4 | ✅ pass | errors: canary 5XX rate 0.10% &lt;= max 1.00% |
| 2025-11-21 14:07:00 | 2/4 | ❌ fail | errors: canary 5XX rate 4.80% &gt; max 1.00%<br>latency: canary p99 310ms &lt;= max 800ms |

";
        assert_eq!(summary.render().unwrap(), expected);
    }

    #[test]
    fn without_a_progress_report_the_events_give_the_phase() {
        let summary = Summary {
            events: vec![
                event(0, analysed("no_data", &["errors: 12 requests < min 50"])),
                event(60, step(2, 250)),
            ],
            ..Summary::default()
        };
        let markdown = summary.render().unwrap();
        assert!(markdown.starts_with("## 🔄 canary-deploy: in progress\n"));
        assert!(markdown.contains("**Final phase:** `stepping` at step 3\n"));
        assert!(markdown.contains(
            "| 2025-11-21 14:01:00 | 3 | not verified | not verified | 25% (intended) |"
        ));
        assert!(markdown.contains(
            "| 2025-11-21 14:00:00 | – | ⚪ no data | errors: 12 requests &lt; min 50 |"
        ));

        let paused = Summary {
            events: vec![event(
                0,
                EventKind::Paused {
                    why: "drift".into(),
                },
            )],
            ..Summary::default()
        };
        let markdown = paused.render().unwrap();
        assert!(markdown.starts_with("## ⏸️ canary-deploy: paused\n"));
        assert!(markdown.contains("No weights were written.\n"));
        assert!(markdown.contains("No analysis was made.\n"));
    }

    #[test]
    fn a_step_pairs_with_its_weights_in_either_order() {
        // A tick emits the verified write before the step's event; the history has them the
        // other way round.
        for events in [
            vec![event(0, verified(950, 50)), event(0, step(0, 50))],
            vec![event(0, step(0, 50)), event(0, verified(950, 50))],
        ] {
            let (weights, _) = tables(&events, Some(3));
            assert_eq!(
                weights,
                vec!["| 2025-11-21 14:00:00 | 1/3 | 950 | 50 | 5% |\n".to_string()]
            );
        }
        // A write recovered on a later tick (no step event) keeps the step it belongs to; an
        // operator's promotion writes without a step.
        let events = [
            event(0, step(1, 100)),
            event(60, verified(900, 100)),
            event(90, verified(0, 999)),
            event(90, EventKind::Promoted),
        ];
        let (weights, _) = tables(&events, None);
        assert_eq!(
            weights,
            vec![
                "| 2025-11-21 14:00:00 | 2 | 900 | 100 | 10% |\n".to_string(),
                "| 2025-11-21 14:01:30 | promote | 0 | 999 | 100% |\n".to_string(),
            ]
        );
    }

    #[test]
    fn nothing_seen_is_no_summary() {
        assert_eq!(Summary::default().render(), None);
    }

    #[test]
    fn the_recorded_history_comes_before_this_commands_events() {
        let run = rolled_back_run();
        let mut history = run[..6].to_vec();
        // Recorded in another order than emitted: the step before its verified weights.
        history.swap(4, 5);
        let summary = Summary {
            history,
            // This command started at the second tick (330 s).
            events: run[3..].to_vec(),
            ..Summary::default()
        };
        assert_eq!(summary.timeline(), run);
        let only_history = Summary {
            history: run.clone(),
            ..Summary::default()
        };
        assert_eq!(only_history.timeline(), run);
    }

    #[test]
    fn long_tables_keep_their_most_recent_rows() {
        let rows: Vec<String> = (0..MAX_ROWS + 3).map(|i| format!("| {i} |\n")).collect();
        let mut out = String::new();
        push_table(&mut out, "| n |\n| --- |\n", &rows, "none");
        assert!(out.starts_with("(3 earlier rows left out)\n\n| n |\n| --- |\n| 3 |\n"));
        assert!(out.ends_with(&format!("| {} |\n\n", MAX_ROWS + 2)));
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\r\nc <b>"), "a \\| b c &lt;b&gt;");
    }

    #[test]
    fn times_read_as_utc_dates() {
        assert_eq!(utc(Timestamp(0)), "1970-01-01 00:00:00");
        assert_eq!(utc(at(187)), "2025-11-21 14:03:07");
        assert_eq!(
            utc(Timestamp::from_secs(951_782_400)),
            "2000-02-29 00:00:00"
        );
        assert_eq!(utc(Timestamp::from_secs(-1)), "1969-12-31 23:59:59");
    }

    #[test]
    fn annotations_wait_for_the_tick_that_names_the_deployment() {
        let yaml = "name: checkout\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 100]\n  bake: 2m\n";
        let plan = crate::playbook::parse(yaml, "p.yaml").unwrap().plan;
        let id = crate::core::record::PlaybookId {
            name: "checkout".into(),
            content_hash: "h".into(),
        };
        let mut record = Record::new(id, at(0));
        record.phase = Phase::Paused {
            why: "drift".into(),
            index: Some(0),
        };
        let dir = tempfile::tempdir().unwrap();
        let annotations = Shared::<Vec<u8>>::default();
        let mut reporter = GithubReporter::with_annotations(
            Box::new(crate::report::Discard),
            dir.path().join("summary.md"),
            Box::new(annotations.clone()),
        );
        reporter.emit(&event(
            0,
            EventKind::Paused {
                why: "drift".into(),
            },
        ));
        assert!(annotations.0.lock().unwrap().is_empty());
        reporter.progress(&record, &plan, at(0));
        let printed = String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap();
        assert!(printed.starts_with("::warning title=canary checkout paused::drift; "));
        drop(reporter);
        let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
        assert!(summary.starts_with("## ⏸️ canary-deploy `checkout`: paused\n"));
        assert_eq!(
            String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap(),
            printed,
            "nothing is annotated twice"
        );
    }

    /// Keeps what it is given, shared with the test.
    #[derive(Clone, Default)]
    struct Shared<T>(Arc<Mutex<T>>);

    impl EventSink for Shared<Vec<Event>> {
        fn emit(&mut self, event: &Event) {
            self.0.lock().unwrap().push(event.clone());
        }
    }

    impl Write for Shared<Vec<u8>> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_decorator_forwards_annotates_and_appends_its_summary_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("summary.md");
        std::fs::write(&file, "earlier step\n").unwrap();
        let inner = Shared::<Vec<Event>>::default();
        let annotations = Shared::<Vec<u8>>::default();
        let mut reporter = GithubReporter::with_annotations(
            Box::new(inner.clone()),
            file.clone(),
            Box::new(annotations.clone()),
        );
        for event in rolled_back_run() {
            reporter.emit(&event);
        }
        reporter.finish();
        drop(reporter);

        assert_eq!(*inner.0.lock().unwrap(), rolled_back_run());
        let printed = String::from_utf8(annotations.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            printed,
            "::error title=canary rolled back::errors: canary 5XX rate 4.80%25 > max 1.00%25\n"
        );
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.starts_with("earlier step\n## ⏪ canary-deploy: rolled back\n"));
        assert_eq!(written.matches("### Weights").count(), 1);
    }
}
