//! One line of text for a terminal or the Actions log (see the module above for why).

/// `text` on one line that a terminal shows as text and the Actions runner never obeys:
/// whitespace runs, line breaks included (`\r`, `\n`, NEL, U+2028, …), become one space and the
/// ends are trimmed; every other control character and each bidirectional override is shown as
/// its escape (`\u{1b}`); a leading `::` becomes `\u{3a}:` and every `##[` becomes `#\u{23}[`.
/// For a piece of text from outside, wherever it goes in a message.
pub fn line(text: &str) -> String {
    shown(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A whole line as canary-deploy laid it out (indentation, aligned columns), made as safe as
/// [`line()`] makes text: every whitespace character, a line break included, becomes a space
/// but none is dropped (only trailing ones), and control characters, a `::` at the start of the
/// line after its indentation, and `##[` are escaped as there.
pub fn indented(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    shown(spaced.trim_end())
}

/// Text that is several lines by design (an error and its hint), each line as [`indented`]
/// makes it.
pub fn lines(text: &str) -> String {
    let kept: Vec<String> = text.lines().map(indented).collect();
    kept.join("\n")
}

/// Whether `c` is shown as its escape: a control character that is not whitespace (C0, DEL,
/// C1), or a bidirectional mark, embedding, override or isolate (which can make a line read
/// otherwise than it is).
pub(crate) fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` (one line, its whitespace already spaces) with [`is_escaped`] characters escaped and
/// the workflow commands the runner would read in it defused: `::` at its start after spaces
/// (the runner trims them), and the legacy `##[` anywhere.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if out.contains("##[") {
        out = out.replace("##[", "#\\u{23}[");
    }
    let body = out.trim_start_matches(' ');
    if body.starts_with("::") {
        let indent = out.len() - body.len();
        out.replace_range(indent..indent + 1, "\\u{3a}");
    }
    out
}
