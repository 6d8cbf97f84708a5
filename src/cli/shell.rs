//! `completions <shell>`, `man` and `schema`: the command line's own description, as a shell
//! completion script and as a roff man page, generated from the same clap definition the parser
//! uses (so neither can drift from the commands and flags that exist); and the playbook's JSON
//! Schema, generated from the model the parser reads.

use super::{Cli, Exit};
use clap::CommandFactory;
use std::io::Write;

/// The completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "canary-deploy", &mut out);
    std::io::stdout().write_all(&out)?;
    Ok(Exit::Done)
}

/// The man page, `canary-deploy(1)`, on stdout.
pub fn man() -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(Exit::Done)
}

/// The playbook's JSON Schema on stdout.
pub fn schema() -> anyhow::Result<Exit> {
    std::io::stdout().write_all(crate::playbook::playbook_schema_json().as_bytes())?;
    Ok(Exit::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completions_know_every_command() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "canary-deploy", &mut out);
            let text = String::from_utf8_lossy(&out);
            for command in [
                "run",
                "advance",
                "rollback",
                "restart",
                "backtest",
                "start-from",
            ] {
                assert!(text.contains(command), "{shell}: no {command}");
            }
        }
    }

    #[test]
    fn the_man_page_is_roff_naming_the_commands() {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .expect("render the man page");
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.starts_with(".ie") || text.contains(".TH canary-deploy"),
            "{text}"
        );
        assert!(text.contains("rollback"), "{text}");
    }
}
