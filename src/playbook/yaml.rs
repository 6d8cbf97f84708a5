//! YAML text → the serde model, turning syntax and type errors into a [`Problem`] with a hint.

use super::error::{sanitize, Location, PlaybookError, Problem};
use super::model::{PlaybookDoc, Sp};
use super::values::closest;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{DefaultMessageFormatter, Error, MessageFormatter};

const DOCS: &str = "see docs/playbook.md for the format";

/// Parse `source`; a tag, or else the first YAML or type error, becomes the only problem.
pub(crate) fn read(source: &str, file: &str) -> Result<Sp<PlaybookDoc>, PlaybookError> {
    let problem = |line: u64, column: u64, message: String, hint: String| {
        PlaybookError::of(vec![Problem {
            location: Location {
                file: file.to_string(),
                line,
                column,
            },
            message: sanitize(&message),
            hint: sanitize(&hint),
        }])
    };
    if let Some((at, bad)) = super::yaml_scan::refused(source) {
        return Err(problem(at.line, at.column, bad.message, bad.hint));
    }
    serde_saphyr::from_str::<Sp<PlaybookDoc>>(source).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|(line, _)| *line > 0)
            .unwrap_or((1, 1));
        let inner = innermost(&e);
        let raw = DefaultMessageFormatter.format_message(inner).into_owned();
        let at_start = is_document_start(source, line, column);
        let (message, hint) = match explain_kind(inner) {
            Some(explained) => explained,
            None => explain(&raw, at_start),
        };
        problem(line, column, message, hint)
    })
}

/// The saphyr error itself, without the snippet and alias wrappers.
fn innermost(e: &Error) -> &Error {
    let mut inner = e;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = inner {
        inner = error;
    }
    inner
}

/// Errors told apart by their kind, whose text names serde's or saphyr's internals.
fn explain_kind(e: &Error) -> Option<(String, String)> {
    match e {
        Error::NullIntoString { .. } | Error::InvalidCharNull { .. } => Some((
            "a value is missing here (nothing, or `~`, after the key)".into(),
            "write the value after the `:`, or remove the key to take its default".into(),
        )),
        Error::Budget { breach, .. } => Some(match breach {
            BudgetBreach::Depth { .. } => ("the document is nested too deeply".into(), DOCS.into()),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::MergeKeys { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => (
                "the playbook repeats far more through anchors and aliases (`&a`, `*a`) than a playbook needs".into(),
                "write the values out instead of repeating them through aliases".into(),
            ),
            _ => (
                "the playbook holds far more YAML than a playbook needs (a limit of the YAML reader was reached)".into(),
                format!("a playbook is a few dozen lines; {DOCS}"),
            ),
        }),
        _ => None,
    }
}

/// Whether `line:column` is the first thing in the file (after blank lines and comments).
fn is_document_start(source: &str, line: u64, column: u64) -> bool {
    for (i, text) in source.lines().enumerate() {
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let indent = (text.chars().count() - trimmed.chars().count()) as u64;
        return i as u64 + 1 == line && indent + 1 == column;
    }
    true
}

/// A lowercase message and a hint for a saphyr/serde message.
fn explain(raw: &str, at_start: bool) -> (String, String) {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = tail
            .trim_start_matches(", expected ")
            .trim_start_matches("one of ")
            .split(", ")
            .map(|s| s.trim().trim_matches('`'))
            .filter(|s| !s.is_empty() && !s.starts_with("there are no fields"))
            .collect();
        let list = allowed
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match closest(field, &allowed) {
            Some(near) => format!("did you mean `{near}`? the fields allowed here are {list}"),
            None if allowed.is_empty() => "remove it".to_string(),
            None => format!("remove it, or use one of the fields allowed here: {list}"),
        };
        return (format!("unknown field `{field}`"), hint);
    }
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("`{key}` appears twice in the same mapping"),
            "keep only one of them".into(),
        );
    }
    let pairs: [(&str, &str, &str); 13] = [
        (
            "expected mapping start",
            "expected a mapping of `key: value` lines here",
            "write the fields indented under this key, e.g. `error_rate: { max_percent: 1 }`",
        ),
        (
            "expected sequence start",
            "expected a list here",
            "write a list, e.g. `[5, 25, 50]`, or one `- item` per line",
        ),
        (
            "expected string scalar",
            "expected a single value here, not a list or a mapping",
            "write one plain value, e.g. `name: checkout-canary`",
        ),
        (
            "invalid floating point",
            "expected a number here",
            "write a plain number, e.g. `1` or `0.5` (no `%`, no quotes)",
        ),
        (
            "non-finite float",
            "expected a finite number here",
            "write a plain number, e.g. `1` or `0.5`",
        ),
        (
            "tabs disallowed",
            "tabs are not allowed for indentation in YAML",
            "indent with spaces",
        ),
        (
            "multiple YAML documents",
            "the file holds more than one YAML document (`---`)",
            "keep one playbook per file",
        ),
        (
            "recursion limit exceeded",
            "the document is nested too deeply",
            DOCS,
        ),
        ("unclosed quote", UNCLOSED_QUOTE.0, UNCLOSED_QUOTE.1),
        (
            "invalid indentation in multiline quoted scalar",
            UNCLOSED_QUOTE.0,
            UNCLOSED_QUOTE.1,
        ),
        (
            "while scanning a quoted scalar, found unexpected document indicator",
            UNCLOSED_QUOTE.0,
            UNCLOSED_QUOTE.1,
        ),
        (
            "invalid trailing content after",
            "something follows the closing quote of this value",
            "put the whole value inside the quotes; a comment after it starts with ` #`",
        ),
        (
            "while parsing a quoted scalar",
            "a `\\` escape in this double-quoted value is not one YAML knows",
            "write a backslash as `\\\\`, or put the value in single quotes ('like this')",
        ),
    ];
    if is_integer_error(raw) {
        return (
            "expected a whole number here".into(),
            "write digits only, without quotes, units or decimals, e.g. `443`".into(),
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return (
                format!("expected {expected} here, not {}", found_words(found)),
                format!("write {expected}; {DOCS}"),
            );
        }
    }
    if at_start && raw.starts_with("expected mapping start") {
        return (
            "the playbook must be a mapping of keys such as `name:`, `route:` and `steps:`".into(),
            format!("start the file with `name: my-canary`; {DOCS}"),
        );
    }
    for (prefix, message, hint) in pairs {
        if raw.starts_with(prefix) {
            return (message.to_string(), hint.to_string());
        }
    }
    if names_internals(raw) {
        return (
            "the YAML here cannot be read as a playbook".into(),
            format!("check the indentation, quotes and brackets at this position; {DOCS}"),
        );
    }
    (
        lowercase_first(raw),
        format!("fix the YAML at this position; {DOCS}"),
    )
}

const UNCLOSED_QUOTE: (&str, &str) = (
    "a quoted value is not closed: its quote, opened above, runs on to here",
    "close the quote where the value ends, on the line it opens (e.g. `port: \"80\"`), or remove it",
);

/// `invalid i64`, `invalid u16`…: saphyr's words for a scalar that is not an integer.
fn is_integer_error(raw: &str) -> bool {
    raw.strip_prefix("invalid ")
        .and_then(|ty| ty.strip_prefix('i').or_else(|| ty.strip_prefix('u')))
        .is_some_and(|bits| matches!(bits, "8" | "16" | "32" | "64" | "128" | "size"))
}

/// What serde found, in the playbook's words (`sequence` → a list).
fn found_words(found: &str) -> String {
    let (kind, value) = found.split_once(' ').unwrap_or((found, ""));
    match kind {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit" | "option" | "null" => "an empty value".into(),
        "string" => format!("the text {value}"),
        "integer" | "floating" => format!("the number {}", value.trim_start_matches("point ")),
        "boolean" => format!("the boolean {value}"),
        _ => "this value".into(),
    }
}

/// Whether a message is about the reader's internals (Rust types, options, budgets) rather
/// than the YAML, and so would mean nothing to whoever wrote the playbook.
fn names_internals(raw: &str) -> bool {
    const INTERNALS: [&str; 10] = [
        "Option",
        "serde",
        "internal",
        "deserializ",
        "budget",
        "Policy",
        "::",
        "seed",
        "struct",
        "enum",
    ];
    INTERNALS.iter().any(|word| raw.contains(word))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid yaml".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(source: &str) -> Problem {
        read(source, "t.yaml").unwrap_err().problems.remove(0)
    }

    #[test]
    fn unknown_fields_suggest_the_closest() {
        let p = first("name: x\nanalysis:\n  intervl: 5s\n");
        assert_eq!((p.location.line, p.location.column), (3, 3));
        assert_eq!(p.message, "unknown field `intervl`");
        assert!(p.hint.starts_with("did you mean `interval`?"), "{}", p.hint);
        let p = first("zzzzzzzzz: 1\n");
        assert!(p.hint.starts_with("remove it, or use one of"), "{}", p.hint);
        assert!(p.hint.contains("`on_failure`"), "{}", p.hint);
    }

    #[test]
    fn a_list_at_the_top_is_not_a_playbook() {
        let p = first("# comment\n- a\n- b\n");
        assert_eq!((p.location.line, p.location.column), (2, 1));
        assert!(
            p.message.starts_with("the playbook must be a mapping"),
            "{}",
            p.message
        );
        let p = first("route: 5\n");
        assert_eq!(p.message, "expected a mapping of `key: value` lines here");
    }

    #[test]
    fn messages_have_no_location_suffix() {
        let p = first("name: [1]\n");
        assert_eq!(
            p.message,
            "expected a single value here, not a list or a mapping"
        );
        let p = first("name: a\nname: b\n");
        assert_eq!(p.message, "`name` appears twice in the same mapping");
        let p = first("route:\n  alb:\n    port: 80.5\n");
        assert_eq!(p.message, "expected a whole number here");
        assert_eq!((p.location.line, p.location.column), (3, 11));
    }

    #[test]
    fn an_unclosed_quote_is_said_so() {
        let p = first("name: x\nroute:\n  alb:\n    port: \"80\n    priority: 10\n");
        assert!(
            p.message.starts_with("a quoted value is not closed"),
            "{}",
            p.message
        );
        let p = first("name: 'x\n");
        assert!(
            p.message.starts_with("a quoted value is not closed"),
            "{}",
            p.message
        );
        let p = first("name: \"x\" y\n");
        assert!(
            p.message.contains("follows the closing quote"),
            "{}",
            p.message
        );
        let p = first("name: \"\\q\"\n");
        assert!(p.message.contains("escape"), "{}", p.message);
    }

    #[test]
    fn serde_internals_never_reach_the_message() {
        let deep = format!("name: x\nsteps: {{canary: [{}]}}\n", "1, ".repeat(300_000));
        for source in [
            "checks: [{alarms: [~]}]\n".to_string(),
            "checks: [{metric: {dimensions: {a: ~}}}]\n".to_string(),
            deep,
            "steps: {canary: [[1]]}\n".to_string(),
            "checks: [{alarms: {a: 1}}]\n".to_string(),
        ] {
            let p = first(&source);
            for internal in [
                "Option",
                "budget",
                "serde",
                "Nodes",
                "unit value",
                "sequence,",
            ] {
                assert!(
                    !p.message.contains(internal) && !p.hint.contains(internal),
                    "{source:.60}: {p}"
                );
            }
        }
        assert!(first("checks: [{alarms: [~]}]\n")
            .message
            .starts_with("a value is missing here"));
        assert!(first("steps: {canary: [[1]]}\n")
            .message
            .ends_with("here, not a list"));
    }

    #[test]
    fn tags_are_refused_where_written() {
        let p = first("name: !!python/object:os.system x\n");
        assert_eq!((p.location.line, p.location.column), (1, 7));
        assert!(
            p.message.contains("YAML tag `!!python/object:os.system`"),
            "{p}"
        );
        let p = first("%TAG ! tag:example.com,2000:\n---\nname: x\n");
        assert!(p.message.contains("`%TAG !`"), "{p}");
    }

    #[test]
    fn junk_is_escaped() {
        let p = first("\u{1}\u{2}: [");
        assert!(!p.message.chars().any(char::is_control), "{}", p.message);
    }
}
