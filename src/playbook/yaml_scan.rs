//! What a playbook's YAML may not use, found by the YAML scanner before serde reads the file:
//! tags (`!!python/object`, `!custom`, even `!!str`) and `%TAG` directives. serde passes over a
//! tag it does not know, so `name: !!python/object:os.system x` would validate as `name: x`
//! and look to a reader like something else; a playbook has no use for tags, so each is refused
//! where it is written. A syntax error is left to the parser, which reports it with a hint.

use super::error::{Bad, Pos};
use serde_saphyr::granit_parser::{Scanner, StrInput, TokenType};

/// The first tag or `%TAG` directive in `source`, with where it is.
pub(super) fn refused(source: &str) -> Option<(Pos, Bad)> {
    for token in Scanner::new(StrInput::new(source)) {
        let token = token.ok()?;
        let start = token.span().start;
        let at = Pos {
            line: start.line().max(1) as u64,
            column: start.col() as u64 + 1,
        };
        match token.token_type() {
            TokenType::Tag(handle, suffix) => {
                let tag = match handle.as_ref() {
                    "" => format!("!<{suffix}>"),
                    handle => format!("{handle}{suffix}"),
                };
                return Some((
                    at,
                    Bad::new(
                        format!("the YAML tag `{tag}` is not allowed in a playbook"),
                        "remove the tag: a playbook holds plain values, e.g. `name: checkout-canary` (quote a value that must stay text: `canary_version: \"8\"`)",
                    ),
                ));
            }
            TokenType::TagDirective(handle, _) => {
                return Some((
                    at,
                    Bad::new(
                        format!("the YAML directive `%TAG {handle}` is not allowed in a playbook"),
                        "remove the `%TAG` line: a playbook has no use for tags",
                    ),
                ));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Option<(u64, u64, String)> {
        refused(source).map(|(at, bad)| (at.line, at.column, bad.message))
    }

    #[test]
    fn tags_and_tag_directives_are_found_where_written() {
        assert_eq!(
            found("name: !!python/object:os.system x\n"),
            Some((
                1,
                7,
                "the YAML tag `!!python/object:os.system` is not allowed in a playbook".into()
            ))
        );
        assert_eq!(
            found("a: 1\nb: [1, !custom 2]\n").map(|f| (f.0, f.1)),
            Some((2, 8))
        );
        assert!(found("x: !!str 10\n").is_some());
        assert!(found("x: !<tag:yaml.org,2002:str> 10\n")
            .is_some_and(|f| f.2.contains("`!<tag:yaml.org,2002:str>`")));
        assert_eq!(
            found("%TAG !e! tag:example.com,2000:\n---\nname: x\n"),
            Some((
                1,
                1,
                "the YAML directive `%TAG !e!` is not allowed in a playbook".into()
            ))
        );
    }

    #[test]
    fn plain_yaml_and_bangs_in_text_pass() {
        assert_eq!(found("name: x\nsteps: {canary: [5, 50]}\n"), None);
        assert_eq!(found("name: \"!!not a tag\"\nreason: wow!\n# !tag\n"), None);
        assert_eq!(found("%YAML 1.2\n---\nname: x\n"), None);
        assert_eq!(
            found("name: [\n"),
            None,
            "a syntax error is the parser's to report"
        );
    }
}
