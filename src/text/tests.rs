//! The sanitizer: what each output rule makes of hostile text, case by case and over arbitrary
//! strings.

use super::markdown::{code, inline};
use super::test_support::{assert_inert_markdown, assert_safe_log, hostile};
use super::workflow::{data, property, StopToken};
use super::{indented, json, line, lines};
use proptest::prelude::*;

#[test]
fn a_line_folds_breaks_and_shows_control_characters_escaped() {
    assert_eq!(
        line("a\r\n  b\tc\u{1b}[31md\u{7}"),
        "a b c\\u{1b}[31md\\u{7}"
    );
    assert_eq!(line("  plain  "), "plain");
    assert_eq!(line("x\u{85}y\u{2028}z\u{2029}w"), "x y z w");
    assert_eq!(line("csi\u{9b}2J del\u{7f}"), "csi\\u{9b}2J del\\u{7f}");
    assert_eq!(line("\u{202e}txt.exe"), "\\u{202e}txt.exe");
}

#[test]
fn a_line_never_starts_a_workflow_command() {
    assert_eq!(
        line("nobody\n::error title=x::pwned"),
        "nobody ::error title=x::pwned"
    );
    assert_eq!(line("::add-mask::secret"), "\\u{3a}:add-mask::secret");
    assert_eq!(line(" \n \u{a0}::error::x"), "\\u{3a}:error::x");
    assert_eq!(line("see ##[error]x"), "see #\\u{23}[error]x");
    assert_eq!(line("###[x"), "##\\u{23}[x");
}

#[test]
fn a_laid_out_line_keeps_its_spacing() {
    assert_eq!(
        indented("  step 1     10%  14:00:00\t\u{1b}x\n"),
        "  step 1     10%  14:00:00 \\u{1b}x"
    );
    assert_eq!(indented("   ::error::x"), "   \\u{3a}:error::x");
}

#[test]
fn lines_keep_their_indentation_and_each_is_a_line() {
    assert_eq!(
        lines("p.yaml:2:9: error: bad\n  hint: fix\n::error::x\r\n\n  ::y"),
        "p.yaml:2:9: error: bad\n  hint: fix\n\\u{3a}:error::x\n\n  \\u{3a}:y"
    );
}

#[test]
fn markdown_renders_as_the_text_itself() {
    assert_eq!(
        inline("![x](http://evil) [l](u) <b>&"),
        "\\!\\[x\\]\\(http\\://evil\\) \\[l\\]\\(u\\) &lt;b&gt;&amp;"
    );
    assert_eq!(inline("a | b\r\nc"), "a \\| b c");
    assert_eq!(
        inline("$x$ *y* _z_ ~w~ `c`"),
        "\\$x\\$ \\*y\\* \\_z\\_ \\~w\\~ \\`c\\`"
    );
    assert_eq!(
        inline("go to WWW.evil.com, x@y"),
        "go to WWW\\.evil.com, x\\@y"
    );
    assert_eq!(inline("\u{1b}[2J"), "\\\\u{1b}\\[2J");
}

#[test]
fn a_code_span_is_fenced_past_every_backtick_in_it() {
    assert_eq!(code("checkout"), "`checkout`");
    assert_eq!(code("a`b``c"), "```a`b``c```");
    assert_eq!(code("`x"), "`` `x ``");
    assert_eq!(code(""), "` `");
    assert_eq!(code("two\nlines"), "`two lines`");
}

#[test]
fn workflow_command_text_is_escaped_as_github_requires() {
    assert_eq!(data("5% of\r\nall"), "5%25 of%0D%0Aall");
    assert_eq!(property("a: b, c%"), "a%3A b%2C c%25");
}

#[test]
fn a_stop_token_is_random_and_fences_a_block() {
    let (one, two) = (StopToken::random().unwrap(), StopToken::random().unwrap());
    assert_ne!(one, two);
    assert_eq!(one.as_str().len(), 32);
    assert!(one.as_str().chars().all(|c| c.is_ascii_hexdigit()));
    let token = one.as_str();
    assert_eq!(
        one.fence("a\nb"),
        format!("::stop-commands::{token}\na\nb\n::{token}::\n")
    );
}

#[test]
fn json_keeps_its_value_and_loses_raw_controls() {
    let value = serde_json::json!({ "why": "a\u{1b}b\u{9b}c\u{2028}d\u{7f}\n##[error]x" });
    let text = json(&serde_json::to_string_pretty(&value).unwrap());
    assert!(text.contains("\\u009b") && text.contains("\\u2028") && text.contains("\\u007f"));
    assert!(text.contains("#\\u0023[error]x"), "{text}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        value
    );
}

proptest! {
    #[test]
    fn any_text_is_one_safe_line(text in hostile()) {
        let one = line(&text);
        prop_assert!(!one.contains('\n'));
        assert_safe_log(&one, |_| false);
        assert_safe_log(&lines(&text), |_| false);
        let laid_out = indented(&text);
        prop_assert!(!laid_out.contains('\n'));
        assert_safe_log(&laid_out, |_| false);
        prop_assert_eq!(line(&one), one.clone(), "a line is sanitized once");
    }

    #[test]
    fn any_text_is_inert_markdown(text in hostile()) {
        let summary = format!(
            "## canary-deploy {}: {}\n\n| a | b |\n| --- | --- |\n| {} | {} |\n",
            code(&text),
            inline(&text),
            inline(&text),
            inline(&text),
        );
        assert_inert_markdown(&summary);
    }

    #[test]
    fn any_text_is_the_same_json_without_raw_controls(text in hostile()) {
        let value = serde_json::json!({ "text": text });
        let shown = json(&value.to_string());
        assert_safe_log(&shown, |_| false);
        prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&shown).unwrap(), value);
    }
}
