//! File-based tests: every playbook under `tests/playbooks/invalid/` fails with the message and
//! position its header announces, and every example under `playbooks/` validates.
//!
//! Each invalid file starts with
//! ```text
//! # expect: <a substring of one problem's message>
//! # at: <line>:<column>
//! ```

use super::{load, parse};
use crate::core::plan::{AlbTarget, CheckKind, NoDataPolicy, Route, TargetGroupRef};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) const INVALID_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/playbooks/invalid");
pub(crate) const EXAMPLES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks");

pub(crate) fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub(crate) fn header<'a>(source: &'a str, key: &str, path: &Path) -> &'a str {
    source
        .lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
        .unwrap_or_else(|| panic!("{} lacks a `# {key}:` line", path.display()))
        .trim()
}

#[test]
fn invalid_corpus_fails_where_announced() {
    let files = yaml_files(Path::new(INVALID_DIR));
    assert!(
        files.len() >= 150,
        "only {} invalid playbooks in {INVALID_DIR}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("readable corpus file");
        let expect = header(&source, "expect", path);
        let at = header(&source, "at", path);
        let (line, column) = at
            .split_once(':')
            .and_then(|(l, c)| Some((l.parse::<u64>().ok()?, c.parse::<u64>().ok()?)))
            .unwrap_or_else(|| panic!("{}: `# at:` must be line:column", path.display()));
        let label = path.display().to_string();
        match load(path) {
            Ok(v) => failures.push(format!(
                "{label}: validated, expected `{expect}` ({:?})",
                v.plan.name
            )),
            Err(e) => {
                let hit = e.problems.iter().any(|p| {
                    p.message.contains(expect)
                        && p.location.line == line
                        && p.location.column == column
                        && p.location.file == label
                });
                if !hit {
                    failures.push(format!("{label}: expected `{expect}` at {at}, got:\n{e}"));
                }
                assert!(
                    e.problems.iter().all(|p| !p.hint.is_empty()),
                    "{label}: a problem without a hint:\n{e}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn invalid_corpus_files_are_distinct_mistakes() {
    let files = yaml_files(Path::new(INVALID_DIR));
    let mut expects: Vec<String> = files
        .iter()
        .map(|p| header(&std::fs::read_to_string(p).expect("readable"), "expect", p).to_string())
        .collect();
    expects.sort();
    let before = expects.len();
    expects.dedup();
    assert_eq!(
        before,
        expects.len(),
        "two corpus files expect the same message"
    );
}

#[test]
fn every_example_playbook_validates() {
    let files = yaml_files(Path::new(EXAMPLES_DIR));
    assert!(
        files.len() >= 4,
        "expected the example playbooks in {EXAMPLES_DIR}"
    );
    for path in &files {
        if let Err(e) = load(path) {
            panic!("example {} does not validate:\n{e}", path.display());
        }
    }
}

/// The first YAML block after `heading` in the document at `path` (relative to the crate).
pub(crate) fn yaml_after(path: &str, heading: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("readable document");
    let from = text.find(heading).expect("the heading") + heading.len();
    let start = text[from..].find("```yaml\n").expect("a yaml block") + from + 8;
    let end = text[start..].find("```").expect("the block's end") + start;
    text[start..end].to_string()
}

#[test]
fn the_documented_full_examples_validate() {
    for (path, heading) in [
        ("README.md", "## Playbook reference"),
        ("docs/playbook.md", "## A complete example"),
    ] {
        let yaml = yaml_after(path, heading);
        if let Err(e) = crate::playbook::parse(&yaml, path) {
            panic!("the example under `{heading}` in {path} does not validate:\n{e}");
        }
    }
}

#[test]
fn demo_playbooks_match_the_emulator_setup() {
    for (file, priority, stable, canary) in [
        ("healthy", 10, "demo-stable", "demo-canary"),
        ("bad-canary", 20, "demo-stable-2", "demo-canary-2"),
    ] {
        let path = Path::new(EXAMPLES_DIR)
            .join("demo")
            .join(format!("{file}.yaml"));
        let v = load(&path).unwrap_or_else(|e| panic!("{e}"));
        let p = &v.plan;
        assert_eq!(p.name, format!("demo-{file}"));
        let Route::Alb(alb) = &p.route else {
            panic!("not an alb route")
        };
        assert_eq!(
            alb.target,
            AlbTarget::Rule {
                load_balancer: "demo-alb".into(),
                port: 80,
                priority
            }
        );
        assert_eq!(alb.stable, TargetGroupRef::Name(stable.into()));
        assert_eq!(alb.canary, TargetGroupRef::Name(canary.into()));
        let weighted: Vec<(u16, u64)> = p
            .steps
            .iter()
            .skip(usize::from(p.lane.is_some()))
            .map(|s| (s.share.permille(), s.bake.as_secs()))
            .collect();
        assert_eq!(weighted, vec![(100, 10), (500, 10), (1000, 10)]);
        // The healthy canary starts on a header lane (the demo's traffic-sim --lane-rps).
        let lane = p
            .lane
            .as_ref()
            .map(|l| (l.header.as_str(), l.value.as_str()));
        let expected = (file == "healthy").then_some(("x-canary", "1"));
        assert_eq!(lane, expected, "{file}");
        let a = &p.analysis;
        assert_eq!(
            (a.interval, a.period, a.lookback, a.settle),
            (
                Duration::from_secs(5),
                Duration::from_secs(10),
                Duration::from_secs(30),
                Duration::ZERO
            )
        );
        assert_eq!(
            (a.min_requests, a.failure_threshold, a.no_data),
            (20, 1, NoDataPolicy::Hold)
        );
        let kinds: Vec<&CheckKind> = p.checks.iter().map(|c| &c.kind).collect();
        assert_eq!(
            kinds,
            vec![
                &CheckKind::ErrorRate { max_percent: 1.0 },
                &CheckKind::Latency {
                    percentile: 99.0,
                    max_ms: 800.0
                },
                &CheckKind::ErrorRateVsStable {
                    max_delta_percent: 1.0
                },
            ]
        );
        // The short period is intended against the emulator, and says so.
        assert_eq!(v.warnings.len(), 1, "{:?}", v.warnings);
        assert!(v.warnings[0]
            .message
            .contains("fine against the local emulator"));
    }
}

#[test]
fn the_rule_example_keeps_arns_and_overrides_one_bake() {
    let v = load(&Path::new(EXAMPLES_DIR).join("alb-rule-ec2-to-lambda.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    let Route::Alb(alb) = &v.plan.route else {
        panic!("not an alb route")
    };
    assert!(
        matches!(&alb.target, AlbTarget::RuleArn(a) if a.as_str().contains(":listener-rule/app/my-alb/"))
    );
    assert!(
        matches!(&alb.canary, TargetGroupRef::Arn(a) if a.as_str().contains("targetgroup/checkout-lambda/"))
    );
    let bakes: Vec<u64> = v.plan.steps.iter().map(|s| s.bake.as_secs()).collect();
    assert_eq!(bakes, vec![300, 300, 600, 300, 300, 300, 300]);
}

#[test]
fn the_listener_example_is_linear() {
    let v = load(&Path::new(EXAMPLES_DIR).join("alb-listener-by-name.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let shares: Vec<u16> = v.plan.steps.iter().map(|s| s.share.permille()).collect();
    assert_eq!(shares, (1..=10).map(|i| i * 100).collect::<Vec<u16>>());
    let Route::Alb(alb) = &v.plan.route else {
        panic!("not an alb route")
    };
    assert_eq!(
        alb.target,
        AlbTarget::Listener {
            load_balancer: "web-alb".into(),
            port: 443
        }
    );
}

#[test]
fn parse_labels_messages_with_the_given_name() {
    let e = parse("name: x\n", "inline playbook").unwrap_err();
    assert!(
        e.to_string().starts_with("inline playbook:1:1: error:"),
        "{e}"
    );
}
