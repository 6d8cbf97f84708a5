//! Property tests of the parser: whatever the text (arbitrary strings, or a valid playbook with
//! a line changed, dropped, repeated or re-indented), `parse` never panics, and every problem
//! names its line and column and is one readable line, without serde's or saphyr's internals.

use super::parse;
use proptest::prelude::*;

const VALID: &str = "name: checkout-canary\nroute:\n  alb:\n    load_balancer: my-alb\n    port: 443\n    stable: checkout-ec2\n    canary: checkout-lambda\nsteps:\n  canary: [5, 25, 50, 100]\n  bake: 2m\nanalysis:\n  interval: 30s\n  min_requests: 50\n  no_data: hold\nchecks:\n  - error_rate: { max_percent: 1 }\n  - latency: { percentile: p99, max: 800ms }\n  - alarms: [checkout-5xx]\non_failure: rollback\n";

/// Words that mean nothing to whoever wrote the playbook.
const INTERNALS: [&str; 9] = [
    "Option<",
    "serde",
    "budget",
    "Nodes",
    "::",
    "deserializ",
    "internal error",
    "unit value",
    "DuplicateKeyPolicy",
];

/// Values a mistake might put anywhere.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("~".to_string()),
        Just("\"".to_string()),
        Just("'x".to_string()),
        Just("[".to_string()),
        Just("{a: 1}".to_string()),
        Just("!!python/object:os.system x".to_string()),
        Just("!x 1".to_string()),
        Just("&a 1".to_string()),
        Just("*a".to_string()),
        Just("1e999".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
        Just("arn:aws-cn:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/01".to_string()),
        Just("prod-*".to_string()),
        Just("\t".to_string()),
        "[a-z0-9 :%\\-]{0,12}",
        any::<String>(),
    ]
}

/// A valid playbook with one line replaced, dropped, repeated, re-indented or given a token.
fn near_valid() -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = VALID.lines().collect();
    let count = lines.len();
    (0..count, 0..5u8, token(), 0..6usize).prop_map(move |(at, how, token, indent)| {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let line = out[at].clone();
        match how {
            0 => out[at] = token,
            1 => {
                out.remove(at);
            }
            2 => out.insert(at, line),
            3 => out[at] = format!("{}{}", " ".repeat(indent), line.trim_start()),
            _ => {
                let key = line.split_once(": ").map_or(line.as_str(), |(k, _)| k);
                out[at] = format!("{key}: {token}");
            }
        }
        out.join("\n")
    })
}

fn readable(source: &str) -> Result<(), TestCaseError> {
    let Err(e) = parse(source, "p.yaml") else {
        return Ok(());
    };
    prop_assert!(!e.problems.is_empty());
    for p in &e.problems {
        prop_assert!(p.location.line >= 1 && p.location.column >= 1, "{e}");
        for text in [&p.message, &p.hint] {
            prop_assert!(!text.is_empty(), "{e}");
            prop_assert!(!text.chars().any(char::is_control), "{e}");
            prop_assert!(text.chars().count() <= 1100, "{e}");
            // A playbook's own backticks make its quoted values indistinguishable from the
            // message's words: the words are checked only when the source has none.
            if !source.contains('`') {
                for word in INTERNALS {
                    prop_assert!(!own_words(text).contains(word), "`{word}` in {e}");
                }
            }
        }
        prop_assert!(!p.message.contains("error:"), "{e}");
    }
    Ok(())
}

/// The message without what it quotes (in backticks) from the playbook.
fn own_words(text: &str) -> String {
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_gets_readable_problems(source in any::<String>()) {
        readable(&source)?;
    }

    #[test]
    fn yaml_like_text_gets_readable_problems(source in "[a-z_:\\[\\]{}, \n\"'~&*!#%-]{0,200}") {
        readable(&source)?;
    }

    #[test]
    fn a_near_valid_playbook_gets_readable_problems(source in near_valid()) {
        readable(&source)?;
    }
}

#[test]
fn the_base_playbook_is_valid() {
    assert!(parse(VALID, "p.yaml").is_ok());
}
