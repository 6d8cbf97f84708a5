//! Shared by the unit tests of the section validators (`route`, `steps`, `checks`): validate
//! one YAML snippet with one section's function, and get its value or its problems as short
//! `line:column message` lines that assertions can match.

use super::error::{Diag, Problem};
use super::model::Sp;
use serde::de::DeserializeOwned;

/// `validate` run on `yaml` read as a `D`: the value when there are no problems, else the
/// problems in file order.
pub(crate) fn section<D: DeserializeOwned, T>(
    yaml: &str,
    validate: impl FnOnce(&mut Diag, &Sp<D>) -> Option<T>,
) -> Result<T, Vec<Problem>> {
    let doc: Sp<D> = serde_saphyr::from_str(yaml).expect("yaml");
    let mut d = Diag::new("t.yaml");
    let value = validate(&mut d, &doc);
    match d.finish() {
        Ok(_) => Ok(value.expect("a value when there are no problems")),
        Err(e) => Err(e.problems),
    }
}

/// `line:column message | hint`, one line per problem.
pub(crate) fn with_hints(problems: Vec<Problem>) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            format!(
                "{}:{} {} | {}",
                p.location.line, p.location.column, p.message, p.hint
            )
        })
        .collect()
}

/// `line:column message`, one line per problem.
pub(crate) fn without_hints(problems: Vec<Problem>) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}:{} {}", p.location.line, p.location.column, p.message))
        .collect()
}
