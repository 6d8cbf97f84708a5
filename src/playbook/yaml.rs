//! YAML text → the serde model, turning syntax and type errors into a [`Problem`] with a hint.

use super::error::{Location, PlaybookError, Problem};

use super::model::{PlaybookDoc, Sp};
use super::values::closest;
use serde_saphyr::{DefaultMessageFormatter, Error, MessageFormatter};

const DOCS: &str = "see docs/playbook.md for the format";

/// Parse `source`; the first YAML or type error becomes the only problem.
pub(crate) fn read(source: &str, file: &str) -> Result<Sp<PlaybookDoc>, PlaybookError> {
    serde_saphyr::from_str::<Sp<PlaybookDoc>>(source).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|(line, _)| *line > 0)
            .unwrap_or((1, 1));
        let raw = crate::text::line(&message_of(&e));
        let at_start = is_document_start(source, line, column);
        let (message, hint) = explain(&raw, at_start);
        PlaybookError {
            problems: vec![Problem {
                location: Location {
                    file: file.to_string(),
                    line,
                    column,
                },
                message,
                hint,
            }],
        }
    })
}

/// The bare message of a saphyr error (no location suffix, no snippet).
fn message_of(e: &Error) -> String {
    let mut inner = e;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = inner {
        inner = error;
    }
    DefaultMessageFormatter.format_message(inner).into_owned()
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
    let pairs: [(&str, &str, &str); 10] = [
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
            "invalid i",
            "expected a whole number here",
            "write digits only, without quotes, units or decimals, e.g. `443`",
        ),
        (
            "invalid u",
            "expected a whole number here",
            "write digits only, without quotes, units or decimals, e.g. `443`",
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
    ];
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
    (
        lowercase_first(raw),
        format!("fix the YAML at this position; {DOCS}"),
    )
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
    fn junk_is_escaped() {
        let p = first("\u{1}\u{2}: [");
        assert!(!p.message.chars().any(char::is_control), "{}", p.message);
    }
}
