//! The one sanitizer for text canary-deploy did not write itself: an operator's `--reason`, a
//! playbook's path and names, a `--target`, AWS's messages, alarm names and state reasons, and
//! everything a deployment record replays. Every output path passes such text through here, so
//! that it can neither drive a terminal nor the GitHub Actions runner.
//!
//! Why: a terminal obeys escape sequences (ESC, CSI, BEL), and the Actions runner obeys any log
//! line that begins with `::` (after leading whitespace; `::error::`, `::add-mask::`, …) or that
//! holds `##[` (the legacy form, matched anywhere in a line). A record keeps the text, so one
//! hostile reason would be replayed by every later `status`. Each output has its own rule:
//!
//! - [`line()`]: one line for a terminal or a log. Line breaks and other whitespace fold into one
//!   space; every other control character (C0, DEL, C1) and the bidirectional overrides are
//!   shown escaped, as `\u{1b}`, so an operator sees that something was there; a leading `::`
//!   and any `##[` are escaped too. [`indented`] keeps a line's indentation, and [`lines`] does
//!   the same for each line of text that is several lines by design (an error with its hint).
//! - [`markdown`]: text for the job summary, as Markdown that renders as the text itself (no
//!   HTML, link, image, table break, emphasis or math).
//! - [`workflow`]: a workflow command's own escaping (`%0A` and friends), and the
//!   `::stop-commands::` token that fences a block of untrusted text in the Actions log.
//! - [`json`]: serialized JSON with every control character left raw by serde escaped as well.
//!
//! Reporters and the command line apply these at the point of output, never when the text is
//! stored: the record keeps what the operator or AWS said.

pub(crate) mod line;
pub mod markdown;
pub mod workflow;

pub use line::{indented, line, lines};

/// `text` cut to its first `max` characters, followed by how long it was ("… (5000 bytes)"):
/// how a message echoes a value that may be any size.
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

/// `text` to echo in a message: [`line()`], then [`cut`] to `max` characters.
pub fn shown(text: &str, max: usize) -> String {
    cut(&line(text), max)
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

/// `serialized` JSON with the characters serde leaves raw inside strings (DEL, C1 controls, the
/// line and paragraph separators, bidirectional overrides) written as `\uXXXX` escapes: the same
/// JSON value, with no raw control character for a terminal to act on. (A raw `\n` can only be
/// pretty-printing's, between values: serde escapes those inside strings.) The `#` of a `##[`
/// is escaped too. A JSON line begins with `{` or `[` (or whitespace and a quote), so it never
/// begins with `::`.
pub fn json(serialized: &str) -> String {
    let mut out = String::with_capacity(serialized.len());
    for c in serialized.chars() {
        if c != '\n' && (line::is_escaped(c) || matches!(c, '\u{2028}' | '\u{2029}')) {
            // All of them are in the Basic Multilingual Plane: one \uXXXX each.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    // The runner reads the legacy `##[` command anywhere in a line, inside a JSON string too.
    out.replace("##[", "#\\u0023[")
}
