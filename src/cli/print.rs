//! The one way the command line prints human text, which holds text from outside (a reason, a
//! path, an ARN, AWS's messages, a record's fields): each line through [`crate::text::lines`],
//! and inside GitHub Actions (`GITHUB_ACTIONS=true`) the whole block fenced by a fresh
//! `::stop-commands::` token, so even a line the sanitizer missed could not be obeyed by the
//! runner. JSON is printed as [`crate::text::json`] makes it, never fenced: its lines cannot
//! begin with `::`, and pipelines (the action's `phase` output) parse it whole.
//!
//! A block is printed at once, after the reporter has ended or between its lines: the
//! annotations canary-deploy writes itself go to stderr outside any fence.

use crate::text::workflow::StopToken;
use crate::text::{indented, lines};

/// Prints `text` (one or more lines) on standard output.
pub fn out(text: &str) {
    print!("{}", shown(text, in_actions()));
}

/// Prints each of `lines` on one line of standard output (a line break in one is folded, so
/// text from outside cannot add a line that seems canary-deploy's), as one block.
pub fn out_lines(lines: &[String]) {
    out(&fold(lines));
}

/// Prints `text` (one or more lines) on standard error.
pub fn err(text: &str) {
    eprint!("{}", shown(text, in_actions()));
}

/// Standard error for the log (`CANARY_DEPLOY_LOG`): each event (one write) through
/// [`crate::text::lines`], since a log line carries errors and a record's fields too. Without
/// colours: an escape sequence is what the sanitizer shows escaped.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let mut safe = lines(&text);
        if text.ends_with('\n') {
            safe.push('\n');
        }
        std::io::stderr().write_all(safe.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// As [`out_lines`], on standard error.
pub fn err_lines(lines: &[String]) {
    err(&fold(lines));
}

/// Each of `lines` on one line.
fn fold(lines: &[String]) -> String {
    let folded: Vec<String> = lines.iter().map(|each| indented(each)).collect();
    folded.join("\n")
}

/// Whether this runs in GitHub Actions, whose runner obeys workflow commands in the log.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// `text` as printed, with a final newline: sanitized line by line, and fenced when `actions`
/// (unfenced, with a warning, should the operating system give no random token).
pub fn shown(text: &str, actions: bool) -> String {
    let safe = lines(text.trim_end_matches('\n'));
    if actions {
        match StopToken::random() {
            Ok(token) => return token.fence(&safe),
            Err(error) => tracing::warn!("no random stop-commands token ({error})"),
        }
    }
    format!("{safe}\n")
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_block_is_sanitized_and_fenced_only_in_actions() {
        let text = "why: x\n::error::pwned\u{1b}[2J\n";
        assert_eq!(
            shown(text, false),
            "why: x\n\\u{3a}:error::pwned\\u{1b}[2J\n"
        );
        let fenced = shown(text, true);
        let lines: Vec<&str> = fenced.lines().collect();
        let token = lines[0].strip_prefix("::stop-commands::").unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(&lines[1..3], &["why: x", "\\u{3a}:error::pwned\\u{1b}[2J"]);
        assert_eq!(lines[3], format!("::{token}::"));
        assert_ne!(shown(text, true), fenced, "a fresh token per block");
    }
}
