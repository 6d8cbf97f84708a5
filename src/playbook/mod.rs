//! Playbook v1: the YAML file a user writes, validated into a typed [`Plan`].
//!
//! Every problem names the file, line and column and says what to write instead; all semantic
//! problems are reported at once. A playbook that does not validate never reaches AWS.
//! The format is documented in docs/playbook.md.
//!
//! - `model`: serde structs of the file as written
//! - `yaml`: YAML syntax and type errors → problems with hints; `yaml_scan`: what the YAML
//!   may not use (tags)
//! - `validate`: top level and `analysis`; `route`, `steps`, `checks`: their sections (`checks`
//!   reads its kinds in `checks/builtin` and `checks/custom`)
//! - `values`, `arn`: single values (durations, percents, names, ARNs)
//! - `warnings`: valid but probably unintended
//! - `schema`: the JSON Schema generated from `model`, for editors
//! - `file`: reading the file (a regular file, at most [`MAX_BYTES`])
//! - `error`: problems, warnings and their rendering

mod arn;
mod checks;
pub mod draft;
mod error;
mod file;
mod hooks;
mod judge_options;
mod lane;
mod model;
mod notify;
mod preflight;
mod route;
mod schema;
mod steps;
mod switch;
mod validate;
mod values;
mod warnings;
mod yaml;
mod yaml_scan;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod proptest_tests;
#[cfg(test)]
mod test_support;

pub use error::{Location, PlaybookError, Problem, Warning};
pub use file::MAX_BYTES;
pub use schema::{playbook_schema_json, COMMITTED_PATH as SCHEMA_PATH};

use crate::core::plan::Plan;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A plan that passed validation, with the warnings worth showing.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    pub plan: Plan,
    pub warnings: Vec<Warning>,
}

/// Read and validate the playbook at `path` (a regular file of at most [`MAX_BYTES`]);
/// messages name the path as given.
pub fn load(path: &Path) -> Result<Validated, PlaybookError> {
    let file = path.display().to_string();
    let source = file::read(path, &file)?;
    parse(&source, &file)
}

/// Whether `url` may be posted to by a webhook notification (`https://`, or `http://` to this
/// machine): the same rule as the playbook's `url:`, applied to a `url_env`'s value at run time.
/// Its errors never repeat the URL, which may be a secret.
pub fn check_webhook_url(url: &str) -> Result<(), String> {
    notify::url_problem(url).map_or(Ok(()), Err)
}

/// The text of the playbook at `path`, read as [`load`] reads it, for a caller that keeps it.
pub fn read_file(path: &Path) -> Result<String, PlaybookError> {
    file::read(path, &path.display().to_string())
}

/// Validate playbook text; `file` is the label used in messages.
pub fn parse(source: &str, file: &str) -> Result<Validated, PlaybookError> {
    parse_plain(source, file).map_err(|e| e.with_source(source))
}

/// [`parse`], its problems without source lines.
fn parse_plain(source: &str, file: &str) -> Result<Validated, PlaybookError> {
    let doc = yaml::read(source, file)?;
    let mut diag = error::Diag::new(file);
    let plan = validate::plan(&mut diag, &doc, content_hash(source.as_bytes()));
    let warnings = diag.finish()?;
    match plan {
        Some(plan) => Ok(Validated { plan, warnings }),
        // Unreachable by construction (every `None` records a problem); never panic on input.
        None => Err(PlaybookError::of(vec![Problem {
            location: Location {
                file: file.to_string(),
                line: 1,
                column: 1,
            },
            message: "the playbook could not be validated".into(),
            hint: "please report this playbook as a bug in canary-deploy".into(),
        }])),
    }
}

/// Hex SHA-256 of the playbook's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::{AlbTarget, NoDataPolicy, OnFailure, Route, TargetGroupRef};
    use std::time::Duration;

    const MINIMAL: &str = "name: checkout-canary\nroute:\n  alb:\n    load_balancer: my-alb\n    port: 443\n    stable: checkout-ec2\n    canary: checkout-lambda\nsteps:\n  canary: [10, 50]\n  bake: 1m\nchecks:\n  - error_rate: { max_percent: 1 }\n";

    #[test]
    fn minimal_playbook_gets_the_defaults() {
        let v = parse(MINIMAL, "pb.yaml").unwrap();
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
        let p = v.plan;
        assert_eq!(p.name, "checkout-canary");
        assert_eq!(p.content_hash, content_hash(MINIMAL.as_bytes()));
        assert_eq!(p.content_hash.len(), 64);
        let Route::Alb(alb) = &p.route else {
            panic!("not an alb route")
        };
        assert_eq!(
            alb.target,
            AlbTarget::Listener {
                load_balancer: "my-alb".into(),
                port: 443
            }
        );
        assert_eq!(alb.canary, TargetGroupRef::Name("checkout-lambda".into()));
        let shares: Vec<u16> = p.steps.iter().map(|s| s.share.permille()).collect();
        assert_eq!(shares, vec![100, 500, 1000]);
        assert_eq!(p.steps[2].bake, Duration::ZERO);
        assert_eq!(p.analysis.interval, Duration::from_secs(30));
        assert_eq!(p.analysis.period, Duration::from_secs(60));
        assert_eq!(p.analysis.lookback, Duration::from_secs(300));
        assert_eq!(p.analysis.settle, Duration::from_secs(30));
        assert_eq!(p.analysis.min_requests, 50);
        assert_eq!(p.analysis.no_data, NoDataPolicy::Hold);
        assert_eq!(p.analysis.failure_threshold, 1);
        assert_eq!(p.on_failure, OnFailure::Rollback);
    }

    #[test]
    fn sha256_is_hex_of_the_bytes() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn all_semantic_problems_are_reported_in_file_order() {
        let src = "version: 2\nname: a/b\nroute:\n  alb:\n    port: 80\n    stable: x\n    canary: x\nsteps:\n  canary: [50, 10]\n  bake: 1m\nanalysis:\n  period: 45s\non_failure: rollbak\n";
        let e = parse(src, "pb.yaml").unwrap_err();
        let lines: Vec<u64> = e.problems.iter().map(|p| p.location.line).collect();
        assert_eq!(lines, vec![1, 2, 5, 7, 9, 12, 13], "{e}");
        let text = e.to_string();
        // Each problem with its source line and a caret under the column, then the hint.
        assert!(
            text.starts_with(
                "pb.yaml:1:10: error: `version: 2` is not supported\n  1 | version: 2\n    |          ^\n  hint: write `version: 1`"
            ),
            "{text}"
        );
        assert!(
            text.contains("  5 |     port: 80\n    |           ^\n"),
            "{text}"
        );
    }

    #[test]
    fn a_snippet_shows_hostile_source_text_column_for_column_and_inert() {
        let src = "name: \u{1b}[31mx\u{202e}##[error]\nversion: 1\n";
        let e = parse(src, "pb.yaml").unwrap_err();
        let text = e.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(!text.contains("##["), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
    }

    #[test]
    fn missing_fields_point_at_the_parent_mapping() {
        let e = parse("# a comment\nversion: 1\n", "pb.yaml").unwrap_err();
        assert_eq!(e.problems.len(), 3, "{e}");
        for p in &e.problems {
            assert_eq!((p.location.line, p.location.column), (2, 1), "{e}");
        }
        assert!(e.problems[0].message.contains("needs `name:`"));
    }

    #[test]
    fn warnings_for_short_periods_lookbacks_and_no_checks() {
        let src = MINIMAL.replace("checks:\n  - error_rate: { max_percent: 1 }\n", "analysis:\n  period: 10s\n  lookback: 15s\nchecks:\n  - error_rate: { max_percent: 1 }\n");
        let v = parse(&src, "pb.yaml").unwrap();
        assert_eq!(v.warnings.len(), 2, "{:?}", v.warnings);
        assert!(
            v.warnings[0].to_string().starts_with(
                "pb.yaml:12:11: warning: period 10s: ALB publishes its metrics per 60 seconds"
            ),
            "{}",
            v.warnings[0]
        );
        assert!(
            v.warnings[1]
                .message
                .contains("lookback 15s is shorter than twice the period 10s"),
            "{}",
            v.warnings[1]
        );
        let no_checks = MINIMAL.replace("checks:\n  - error_rate: { max_percent: 1 }\n", "");
        let v = parse(&no_checks, "pb.yaml").unwrap();
        assert_eq!(v.warnings.len(), 1);
        assert!(v.warnings[0]
            .message
            .contains("the canary is promoted on time alone"));
        assert_eq!(v.warnings[0].location.line, 1);
    }

    #[test]
    fn empty_file() {
        for src in ["", "# nothing\n", "---\n"] {
            let e = parse(src, "pb.yaml").unwrap_err();
            assert_eq!(e.problems.len(), 1, "{src:?}: {e}");
            assert!(
                e.problems[0].message.contains("empty")
                    || e.problems[0].message.contains("mapping"),
                "{src:?}: {e}"
            );
        }
    }

    #[test]
    fn load_names_an_unreadable_path() {
        let e = load(Path::new("/nonexistent/pb.yaml")).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("/nonexistent/pb.yaml: error: cannot read the playbook"),
            "{text}"
        );
    }

    /// Random YAML-ish token soup (deterministic): never a panic.
    #[test]
    fn token_soup_never_panics() {
        const TOKENS: [&str; 40] = [
            "name:",
            "route:",
            "alb:",
            "steps:",
            "canary:",
            "bake:",
            "linear:",
            "step:",
            "every:",
            "checks:",
            "- ",
            "error_rate:",
            "max_percent:",
            "metric:",
            "alarms:",
            "analysis:",
            "period:",
            "lookback:",
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            " ",
            "\n",
            "\n  ",
            "\n    ",
            "10",
            "100",
            "1e999",
            "-5",
            "p99",
            "2m",
            "0s",
            "&a ",
            "*a",
            "<<: ",
            "\"",
            "\t",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let doc: String = (0..len)
                .map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize])
                .collect();
            let outcome = std::panic::catch_unwind(|| parse(&doc, "soup.yaml"));
            assert!(outcome.is_ok(), "panicked on {doc:?}");
        }
    }

    /// Nasty inputs: never a panic, always a problem with a position.
    #[test]
    fn never_panics() {
        let deep_seq = format!("name: {}", "[".repeat(10_000));
        let deep_map = format!("steps:\n  canary: [{}]", "{percent: ".repeat(10_000));
        let deep_block: String = (0..300)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let huge = format!("{MINIMAL}analysis:\n  min_requests: 99999999999999999999999999999\n");
        let huge_float = MINIMAL.replace("[10, 50]", "[1e400, 1e-400, -0.0, .nan, .inf]");
        let huge_port = MINIMAL.replace("443", "18446744073709551616");
        let long_duration = MINIMAL.replace("bake: 1m", "bake: 99999999999999999999999h");
        let anchors = "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n";
        let inputs: Vec<String> = vec![
            String::new(),
            "- a\n- b\n".into(),
            "42".into(),
            "~".into(),
            "\"just a string\"".into(),
            "name:\tx\n\troute: 1\n".into(),
            "\u{0}\u{1}\u{2}\u{7f}\u{fffd}\u{feff}".into(),
            "name: x\u{0}y\n".into(),
            "{{{{{{".into(),
            "name: [1, 2\n".into(),
            "? [a]\n: b\n".into(),
            "!!binary aGVsbG8=: 1\n".into(),
            "name: !custom x\n".into(),
            "<<: {name: x}\n".into(),
            "checks: [1, 2, 3]\n".into(),
            "checks:\n  - {}\n  - ~\n".into(),
            "steps: {canary: [[1]]}\n".into(),
            "route: {alb: {port: -1, priority: 99999999999}}\n".into(),
            MINIMAL.replace("[10, 50]", "[100, 100, 100]"),
            MINIMAL.replace("bake: 1m", "bake: 1m\n  max_step: 1e-300"),
            deep_seq,
            deep_map,
            deep_block,
            huge,
            huge_float,
            huge_port,
            long_duration,
            anchors.into(),
            "---\na: 1\n---\nb: 2\n".into(),
            "\u{10ffff}: \u{202e}evil\n".into(),
        ];
        for input in &inputs {
            let result = std::panic::catch_unwind(|| parse(input, "nasty.yaml"));
            let result = result.unwrap_or_else(|_| {
                panic!(
                    "panicked on {:?}",
                    input.chars().take(80).collect::<String>()
                )
            });
            let e = result.expect_err("nasty input must not validate");
            assert!(!e.problems.is_empty());
            for p in &e.problems {
                assert!(p.location.line >= 1, "{input:?}: {e}");
                assert!(!p.hint.is_empty(), "{input:?}: {e}");
                assert!(!p.message.chars().any(char::is_control), "{input:?}: {e}");
            }
        }
    }
}
