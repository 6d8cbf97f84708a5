//! The `::error` and `::warning` workflow commands for the events that need a person's eye,
//! with the escaping GitHub requires of a command's message and properties.

use crate::core::EventKind;

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

#[cfg(test)]
#[path = "annotations_tests.rs"]
mod tests;
