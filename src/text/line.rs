//! One line of text for a terminal or the Actions log (see the module above for why).

/// `text` on one line that a terminal shows as text and the Actions runner never obeys:
/// whitespace runs, line breaks included (`\r`, `\n`, NEL, U+2028, …), become one space and the
/// ends are trimmed; every other control character and each bidirectional override is shown as
/// its escape (`\u{1b}`); a leading `::` becomes `\u{3a}:` and every `##[` becomes `#\u{23}[`.
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut gap) {
            out.push(' ');
        }
        if is_escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    defuse_commands(out)
}

/// Text that is several lines by design (an error and its hint), each line as [`indented`]
/// makes it.
pub fn lines(text: &str) -> String {
    let kept: Vec<String> = text.lines().map(indented).collect();
    kept.join("\n")
}

/// `text` as one line, as [`line`] makes it, with its indentation (leading spaces) kept.
pub fn indented(text: &str) -> String {
    let body = text.trim_start_matches(' ');
    let body = line(body);
    if body.is_empty() {
        return body;
    }
    let indent = &text[..text.len() - text.trim_start_matches(' ').len()];
    format!("{indent}{body}")
}

/// Whether `c` is shown as its escape: a control character that is not whitespace (C0, DEL,
/// C1), or a bidirectional mark, embedding, override or isolate (which can make a line read
/// otherwise than it is).
pub(super) fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The workflow commands the runner would read in `text` (one line, trimmed): `::` at its start
/// and the legacy `##[` anywhere.
fn defuse_commands(text: String) -> String {
    let text = if text.contains("##[") {
        text.replace("##[", "#\\u{23}[")
    } else {
        text
    };
    match text.strip_prefix("::") {
        Some(rest) => format!("\\u{{3a}}:{rest}"),
        None => text,
    }
}
