//! Text for the job summary: Markdown that renders as the text itself. GitHub renders the
//! summary as GitHub Flavored Markdown, where text from outside could otherwise add an image
//! (`![x](http://…)`), a link (`[x](…)`, `<http://…>`, a bare `http://…` or `www.…`), HTML,
//! emphasis, math (`$…$`), or break out of a table cell (`|`). Each is first [`line()`]: one line,
//! with no control character.

use super::line;

/// Characters given a backslash: every ASCII punctuation character that starts or ends an
/// inline construct of GitHub's Markdown (code, emphasis, strikethrough, links and images, a
/// table cell, math, a URL scheme's `:`, an email's `@`). CommonMark renders `\` before any
/// ASCII punctuation as the character alone.
const ESCAPED: &str = "\\`*_~[]()!|$:@";

/// `text` as inline Markdown (a table cell or a sentence) that renders as the text:
/// `<`, `>` and `&` as entities, [`ESCAPED`] characters backslashed, and the `.` of `www.`
/// too (an autolink needs neither `http:` nor `<`).
pub fn inline(text: &str) -> String {
    let text = line(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '.' if after_www(&out) => out.push_str("\\."),
            c if ESCAPED.contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as an inline code span, which shows its content literally (no link, image, HTML or
/// math): fenced by one more backtick than its longest run of them, with spaces inside the
/// fence when it begins or ends with one (CommonMark strips them). Not for a table cell: a `|`
/// splits a cell even inside a code span.
pub fn code(text: &str) -> String {
    let text = line(text);
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    if text.is_empty() {
        format!("{fence} {fence}")
    } else if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Whether `out` ends with `www`, in any case.
fn after_www(out: &str) -> bool {
    let bytes = out.as_bytes();
    bytes.len() >= 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"www")
}
