//! The `::error` and `::warning` workflow commands for the events that need a person's eye.
//! Their title (the deployment's name) and message (a reason, an AWS message) are made one line
//! by [`crate::text::line()`], then escaped as GitHub requires of a command's properties and data
//! ([`crate::text::workflow`]).

use crate::core::EventKind;
use crate::text::line;
use crate::text::workflow::{data, property};

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
        property(&line(&title)),
        data(&line(&why))
    ))
}

#[cfg(test)]
#[path = "annotations_tests.rs"]
mod tests;
