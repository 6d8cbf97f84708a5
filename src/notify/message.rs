//! A state change in words, for people: the same facts in every channel. Everything that came
//! from outside (a reason, AWS's messages, alarm text, names) is kept to one line with control
//! characters shown escaped ([`crate::text::line()`]); Slack's own control characters are escaped
//! where the text goes to Slack ([`Message::slack_text`]).

use crate::arn::Arn;
use crate::core::{Event, EventKind, Record};
use crate::text::line;

/// What a message says: a subject (SNS's, at most 100 characters), its lines, and the same as
/// data for a webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub subject: String,
    pub lines: Vec<String>,
    pub fields: serde_json::Value,
}

/// Whether `kind` is a state change worth a message.
pub fn wanted(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Started { .. }
            | EventKind::StepStarted { .. }
            | EventKind::GateHeld { .. }
            | EventKind::Paused { .. }
            | EventKind::Promoted
            | EventKind::RolledBack { .. }
            | EventKind::Failed { .. }
    )
}

/// The message of `event`, which left the deployment as `record` says.
pub fn message(event: &Event, record: &Record) -> Message {
    let name = line(&record.playbook.name);
    let target = record.route.as_ref().map(|r| r.resource_arn().to_string());
    let (account, region) = target
        .as_deref()
        .and_then(Arn::parse)
        .map_or((String::new(), String::new()), |a| {
            (a.account.to_string(), a.region.to_string())
        });
    let (what, state) = match (&event.kind, &record.lane) {
        // The lane's step moves no weight: say what it does instead of "canary to 0%".
        (EventKind::StepStarted { index: 0, .. }, Some(lane)) => (
            format!(
                "step 1: the header lane `{}`: only requests carrying it reach the canary",
                line(&lane.lane.describe())
            ),
            "step",
        ),
        _ => headline(&event.kind),
    };
    let weights = record
        .written
        .map_or("not written yet".to_string(), |s| s.to_string());
    let evidence: Vec<String> = record
        .last_verdict
        .as_ref()
        .map(|v| v.details.iter().map(|d| line(d)).collect())
        .unwrap_or_default();
    let commands = commands(target.as_deref(), &region, &event.kind);
    let mut lines = vec![
        format!("canary-deploy {name}: {what}"),
        format!(
            "account {}, region {}; weights: {weights}",
            or_unknown(&account),
            or_unknown(&region)
        ),
    ];
    if !evidence.is_empty() {
        lines.push(format!("evidence: {}", evidence.join("; ")));
    }
    lines.extend(
        commands
            .iter()
            .map(|(verb, command)| format!("{verb}: {command}")),
    );
    let subject: String = format!("canary-deploy {name}: {state}")
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(100)
        .collect();
    let fields = serde_json::json!({
        "deployment": name,
        "state": state,
        "what": what,
        "at": event.at.rfc3339(),
        "account": account,
        "region": region,
        "resource": target,
        "weights": record.written,
        "revision": record.revision,
        "evidence": evidence,
        "commands": commands
            .iter()
            .map(|(verb, command)| (verb.to_string(), serde_json::Value::from(command.as_str())))
            .collect::<serde_json::Map<_, _>>(),
    });
    Message {
        subject,
        lines,
        fields,
    }
}

impl Message {
    /// The lines as one text.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The text for Slack, whose `&`, `<` and `>` are control characters (links, mentions):
    /// escaped as Slack asks, so nothing in it can ping a channel or hide a link.
    pub fn slack_text(&self) -> String {
        self.text()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}

/// What happened, for the first line, and the state's one-word name.
fn headline(kind: &EventKind) -> (String, &'static str) {
    match kind {
        EventKind::Started { steps } => (format!("started ({steps} steps)"), "started"),
        EventKind::StepStarted { index, share } => {
            (format!("step {}: canary to {share}", index + 1), "step")
        }
        EventKind::GateHeld {
            index, gate, how, ..
        } => (
            format!(
                "step {} holds at its gate ({}) until {}",
                index + 1,
                line(gate),
                line(how)
            ),
            "gate",
        ),
        EventKind::Paused { why } => (format!("PAUSED: {}", line(why)), "paused"),
        EventKind::Promoted => (
            "PROMOTED: the canary takes all traffic".to_string(),
            "promoted",
        ),
        EventKind::RolledBack { why } => (format!("ROLLED BACK: {}", line(why)), "rolled_back"),
        EventKind::Failed { why } => (format!("FAILED: {}", line(why)), "failed"),
        other => (crate::report::human::describe(other), "other"),
    }
}

/// The commands an on-call engineer runs next, by the resource's ARN (no playbook needed).
fn commands(target: Option<&str>, region: &str, kind: &EventKind) -> Vec<(&'static str, String)> {
    let Some(target) = target else {
        return Vec::new();
    };
    let on = |verb: &str| {
        format!(
            "canary-deploy {verb} --target {} --region {} --reason \"…\"",
            line(target),
            or_unknown(region)
        )
    };
    match kind {
        EventKind::Promoted | EventKind::RolledBack { .. } => vec![("roll back", on("rollback"))],
        EventKind::Paused { .. } => vec![
            ("roll back", on("rollback")),
            ("resume", on("resume")),
            ("promote", on("promote")),
        ],
        EventKind::GateHeld { .. } => vec![
            ("release", on("resume")),
            ("roll back", on("rollback")),
            ("promote", on("promote")),
        ],
        _ => vec![("roll back", on("rollback")), ("promote", on("promote"))],
    }
}

fn or_unknown(text: &str) -> &str {
    if text.is_empty() {
        "unknown"
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::{Split, Timestamp};

    fn record() -> Record {
        let id = PlaybookId {
            name: "checkout".into(),
            content_hash: "h".into(),
        };
        let mut r = Record::new(id, Timestamp::from_secs(0));
        r.written = Some(Split::new(500, 500));
        r
    }

    #[test]
    fn a_state_change_is_one_message_with_the_commands_that_apply() {
        assert!(wanted(&EventKind::Promoted));
        assert!(!wanted(&EventKind::Holding { why: "x".into() }));
        let paused = Event {
            at: Timestamp::from_secs(60),
            kind: EventKind::Paused {
                why: "drift <@here>\n::error::x".into(),
            },
        };
        let m = message(&paused, &record());
        assert_eq!(m.subject, "canary-deploy checkout: paused");
        assert!(m.lines[0].starts_with("canary-deploy checkout: PAUSED: drift"));
        assert!(
            m.lines.iter().all(|l| !l.starts_with("::")),
            "{:?}",
            m.lines
        );
        assert!(m.slack_text().contains("&lt;@here&gt;"));
        assert!(!m.slack_text().contains("<@here>"));
        // No route in the record: no command to name a target by, and that is said plainly.
        assert!(m.lines[1].contains("account unknown, region unknown"));
        assert_eq!(m.fields["state"], "paused");
    }

    #[test]
    fn the_lanes_step_is_said_as_the_lane() {
        let mut laned = record();
        laned.lane = Some(crate::core::lane::Lane {
            lane: crate::core::plan::HeaderLane {
                header: "x-canary".into(),
                value: "1".into(),
            },
            token: "checkout/1".into(),
            state: crate::core::lane::LaneState::Opening { priority: 9 },
        });
        let started = Event {
            at: Timestamp::from_secs(60),
            kind: EventKind::StepStarted {
                index: 0,
                share: crate::core::Share::STABLE_ONLY,
            },
        };
        let m = message(&started, &laned);
        assert!(
            m.lines[0].contains("the header lane `x-canary: 1`"),
            "{:?}",
            m.lines
        );
        assert!(message(&started, &record()).lines[0].contains("canary to 0%"));
    }
}
