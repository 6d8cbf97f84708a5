//! Text from outside (AWS's messages, the SDK's error chains, a record's fields) made safe for
//! one line of a message or a log: every control character, newlines included, becomes a space,
//! and runs of whitespace become one.

/// `text` on one line.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn control_characters_and_line_breaks_become_single_spaces() {
        assert_eq!(one_line("a\r\n  b\tc\u{1b}[31md\u{7}"), "a b c [31md");
        assert_eq!(
            one_line("nobody\n::error::forged"),
            "nobody ::error::forged"
        );
        assert_eq!(one_line("plain"), "plain");
    }
}
