//! The schema is current, well formed, accepts every playbook `parse` accepts (the examples, the
//! demo's, the documented ones) and refuses the invalid corpus's mistakes that one value shows.

use super::super::corpus_tests::{header, yaml_after, yaml_files, EXAMPLES_DIR, INVALID_DIR};
use super::*;
use std::path::Path;

fn schema() -> serde_json::Value {
    serde_json::from_str(&playbook_schema_json()).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles")
}

/// The YAML as the JSON an editor's YAML language server checks.
fn as_json(yaml: &str) -> serde_json::Value {
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"))
}

fn schema_errors(validator: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    validator
        .iter_errors(&as_json(yaml))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == playbook_schema_json(),
        "{COMMITTED_PATH} is not what the model generates: run \
         `cargo run -- schema > {COMMITTED_PATH}` and commit it"
    );
}

#[test]
fn the_schema_is_valid_json_schema_naming_every_top_level_key() {
    let schema = schema();
    jsonschema::meta::validate(&schema).expect("a valid 2020-12 schema");
    let keys: Vec<&String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    for key in [
        "name",
        "route",
        "steps",
        "analysis",
        "checks",
        "on_failure",
        "preflight",
    ] {
        assert!(keys.iter().any(|k| *k == key), "no `{key}` in {keys:?}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn every_playbook_parse_accepts_the_schema_accepts() {
    let validator = validator();
    let mut sources: Vec<(String, String)> = yaml_files(Path::new(EXAMPLES_DIR))
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable example");
            (p.display().to_string(), text)
        })
        .collect();
    for (path, heading) in [
        ("README.md", "## Playbook reference"),
        ("docs/playbook.md", "## A complete example"),
    ] {
        sources.push((format!("{path} {heading}"), yaml_after(path, heading)));
    }
    assert!(sources.len() >= 6, "too few playbooks: {}", sources.len());
    for (label, source) in &sources {
        assert!(
            super::super::parse(source, label).is_ok(),
            "{label} must parse"
        );
        let errors = schema_errors(&validator, source);
        assert!(
            errors.is_empty(),
            "{label}: the schema refuses it: {errors:?}"
        );
    }
}

/// Every example playbook names the committed schema in its first line, by a path that
/// resolves from where the example is.
#[test]
fn every_example_names_the_schema_in_its_modeline() {
    let schema_file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(COMMITTED_PATH)
        .canonicalize()
        .expect("the committed schema exists");
    for path in yaml_files(Path::new(EXAMPLES_DIR)) {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: first line is not the modeline", path.display()));
        let resolved = path
            .parent()
            .expect("a file's directory")
            .join(target)
            .canonicalize()
            .unwrap_or_else(|e| panic!("{}: {target}: {e}", path.display()));
        assert_eq!(resolved, schema_file, "{}", path.display());
    }
}

/// A corpus file whose mistake needs more than one value (steps that do not rise, ARNs in two
/// regions, a YAML syntax error) says so with `# schema: accepts`; every other one the schema
/// must refuse. The mark is held true too: a marked file the schema refuses is unmarked.
#[test]
fn the_schema_refuses_the_corpus_mistakes_one_value_shows() {
    let validator = validator();
    let files = yaml_files(Path::new(INVALID_DIR));
    let mut wrong = Vec::new();
    let mut refused = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).expect("readable corpus file");
        let label = path.display().to_string();
        let marked = source.lines().any(|l| l.starts_with("# schema: accepts"));
        let Ok(json) = serde_saphyr::from_str::<serde_json::Value>(&source) else {
            // Not YAML (or not JSON-shaped YAML, such as `.nan`): the editor's YAML layer
            // flags it before the schema, as parse does.
            refused += 1;
            continue;
        };
        let valid = validator.is_valid(&json);
        match (marked, valid) {
            (false, true) => wrong.push(format!(
                "{label}: the schema accepts `{}`",
                header(&source, "expect", path)
            )),
            (true, false) => wrong.push(format!("{label}: marked `accepts` but refused")),
            (false, false) => refused += 1,
            (true, true) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        refused * 2 >= files.len(),
        "only {refused} of {} refused",
        files.len()
    );
}

#[test]
fn the_schema_refuses_two_backends_two_kinds_and_unknown_keys() {
    let validator = validator();
    let base = "name: x\nsteps: {canary: [10, 100], bake: 1m}\n";
    let alb = "route: {alb: {listener: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', stable: s, canary: c}}\n";
    let cases = [
        (format!("{base}{alb}"), true),
        (format!("{base}route: {{alb: {{rule: r, stable: s, canary: c}}, lambda_alias: {{function: f, alias: live, canary_version: 2}}}}\n"), false),
        (format!("{base}{alb}checks: [{{error_rate: {{max_percent: 1}}}}]\n"), true),
        (format!("{base}{alb}checks: [{{error_rate: {{max_percent: 1}}, alarms: [a]}}]\n"), false),
        (format!("{base}{alb}checks: [{{name: only-a-name}}]\n"), false),
        (format!("{base}{alb}analysis: {{intervl: 30s}}\n"), false),
        (format!("{base}{alb}analysis: {{interval: 30}}\n"), false),
        (format!("{base}{alb}analysis: {{interval: 0s}}\n"), false),
        (format!("{base}{alb}analysis: {{settle: 0, interval: 1h 30m}}\n"), true),
        (format!("{base}{alb}start_from: first-step\non_failure: pause\n"), true),
        (format!("{base}{alb}on_failure: roll-back\n"), false),
        (format!("{base}{alb}preflight: {{skip: [start-split]}}\n"), true),
        (format!("{base}{alb}preflight: {{skip: [start-splits]}}\n"), false),
        (format!("{base}route: {{lambda_alias: {{function: f, alias: live, canary_version: 7}}}}\n"), true),
    ];
    for (yaml, accepted) in &cases {
        let errors = schema_errors(&validator, yaml);
        assert_eq!(errors.is_empty(), *accepted, "{yaml}{errors:?}");
        assert_eq!(
            super::super::parse(yaml, "case.yaml").is_ok(),
            *accepted,
            "parse and the schema disagree on\n{yaml}"
        );
    }
}
