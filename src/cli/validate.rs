//! `validate`: parse and check a playbook. Makes no AWS call.

use super::Exit;
use std::path::Path;

pub fn execute(path: &Path) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    println!(
        "{}: valid playbook `{}`: {} steps, {} checks",
        path.display(),
        plan.name,
        plan.steps.len(),
        plan.checks.len()
    );
    Ok(Exit::Done)
}
