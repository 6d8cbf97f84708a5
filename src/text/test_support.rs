//! Hostile text for the property tests of the sanitizer and of every reporter, and the checks
//! each kind of output must pass whatever the text was.

use proptest::prelude::*;

/// What an attacker puts in a reason, an alarm name or an AWS message: workflow commands after
/// a line break, terminal escapes, line and paragraph separators, Markdown images and links,
/// HTML, table pipes, math, the legacy `##[` command and the escapes the sanitizer writes.
pub const PIECES: &[&str] = &[
    "\n::error title=x::pwned",
    "\n::add-mask::secret",
    "\r\n::warning::w",
    "::set-output name=a::b",
    "::",
    "  ::notice::n",
    "\u{a0}::error::nbsp",
    "\r",
    "\n",
    "\t",
    " ",
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{7}",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "##[error]legacy",
    "%0A::error::x",
    "![x](http://evil)",
    "[x](http://evil)",
    "](",
    "<img src=x onerror=alert(1)>",
    "<http://evil>",
    "http://evil",
    "WWW.evil.com",
    "user@evil.com",
    "|",
    "`",
    "``",
    "$\\color{red}{x}$",
    "**bold**",
    "~~gone~~",
    "\\u{1b}",
    "&amp;",
    "%",
    ",",
];

/// Arbitrary strings, mostly made of [`PIECES`] and any characters at all.
pub fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        2 => any::<String>(),
        2 => any::<char>().prop_map(String::from),
        1 => "[ -~]{0,6}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// Whether `c` breaks a line for someone: the runner, a terminal, or a log viewer.
fn breaks_a_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Panics unless `output` is safe for a terminal and the Actions log: no control character
/// (nor bidirectional override) but the `\n` between lines, no `##[` anywhere, and no line
/// that begins with `::` after whitespace (as the runner reads it) unless `own(line)` says
/// canary-deploy wrote that command itself.
pub fn assert_safe_log(output: &str, own: impl Fn(&str) -> bool) {
    for c in output.chars() {
        assert!(
            c == '\n' || !(super::line::is_escaped(c) || breaks_a_line(c)),
            "{c:?} in {output:?}"
        );
    }
    assert!(!output.contains("##["), "a legacy command in {output:?}");
    for each in output.split('\n') {
        let trimmed = each.trim_start();
        assert!(
            !trimmed.starts_with("::") || own(each),
            "a workflow command canary-deploy did not write: {each:?} in {output:?}"
        );
    }
}

/// Whether `line` is an annotation as canary-deploy writes one: `::error` or `::warning`, a
/// title property with its `:` and `,` escaped, then the message, with nothing after it
/// able to start another command.
pub fn own_annotation(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("::error title=")
        .or_else(|| line.strip_prefix("::warning title="))
    else {
        return false;
    };
    match rest.split_once("::") {
        Some((title, message)) => {
            !title.contains([':', ',', '\r', '\n']) && !message.contains(['\r', '\n'])
        }
        None => false,
    }
}

/// `markdown` with its code spans taken out (CommonMark: a run of N backticks up to the next
/// run of exactly N), since a code span shows its content literally.
fn outside_code_spans(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(chars[i]);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let open = run_at(i);
        let mut j = i + open;
        let mut closed = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let run = run_at(j);
                if run == open {
                    closed = Some(j + run);
                    break;
                }
                j += run;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                out.push_str("CODE");
                i = end;
            }
            None => {
                out.push_str(&"`".repeat(open));
                i += open;
            }
        }
    }
    out
}

/// Panics unless `markdown` (a job summary) renders no construct it was not written with:
/// no control character, outside code spans no unescaped `[`, `]`, `!`, `$`, `~`, `_`, `@`,
/// `:` before `//`, `www.` or `<` (the summary's own `<br>` aside), and every table row with as
/// many unescaped pipes as its table's header.
pub fn assert_inert_markdown(markdown: &str) {
    for c in markdown.chars() {
        assert!(
            c == '\n' || !(super::line::is_escaped(c) || breaks_a_line(c)),
            "{c:?} in {markdown:?}"
        );
    }
    let mut header_pipes = None;
    for each in markdown.split('\n') {
        let plain = outside_code_spans(each).replace("<br>", " ");
        let mut escaped = false;
        for (i, c) in plain.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '[' | ']' | '!' | '$' | '~' | '_' | '@' | '<' => {
                    panic!("unescaped {c:?} in {each:?} of\n{markdown}")
                }
                ':' if plain[i..].starts_with("://") => panic!("a URL in {each:?}"),
                _ => {}
            }
        }
        assert!(
            !plain.to_ascii_lowercase().contains("www."),
            "a www link in {each:?}"
        );
        if each.starts_with('|') {
            // Counted with code spans in: a pipe splits a cell even inside one.
            let pipes = unescaped_pipes(each);
            let header = *header_pipes.get_or_insert(pipes);
            assert_eq!(pipes, header, "a cell broke out of its table: {each:?}");
        } else {
            header_pipes = None;
        }
    }
}

/// The pipes in `row` that no backslash escapes.
fn unescaped_pipes(row: &str) -> usize {
    let mut escaped = false;
    let mut pipes = 0;
    for c in row.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes
}
