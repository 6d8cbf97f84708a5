//! A failed command, reported once: annotated and summarised in GitHub Actions, a JSON `error`
//! line on stdout in JSON mode (same schema as every other line), and the message on stderr (a
//! playbook's problems each with its `file:line:column`).

use super::{print, Exit, Output};

/// Reports `error` of `command` and returns the exit code of a failure.
pub fn report(command: &str, output: Output, error: &anyhow::Error) -> Exit {
    crate::report::github::report_failure(command, error);
    if output == Output::Json {
        // A pipeline reading stdout sees the failure too, in the same schema.
        let doc = crate::report::schema::versioned(error_document(command, error));
        println!("{}", crate::text::json(&doc.to_string()));
    }
    // A playbook's problems each begin with `file:line:column: error:` already.
    match error.downcast_ref::<crate::playbook::PlaybookError>() {
        Some(problems) => print::err(&problems.to_string()),
        None => print::err(&format!("error: {error:#}")),
    }
    Exit::Error
}

/// A failed command as JSON: its message, and a playbook's problems one by one.
fn error_document(command: &str, error: &anyhow::Error) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = error
        .downcast_ref::<crate::playbook::PlaybookError>()
        .map(|p| {
            p.problems()
                .iter()
                .map(|problem| {
                    serde_json::json!({
                        "file": problem.location.file,
                        "line": problem.location.line,
                        "column": problem.location.column,
                        "message": problem.message,
                        "hint": problem.hint,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "event": "error",
        "command": command,
        "message": format!("{error:#}"),
        "problems": problems,
    })
}
