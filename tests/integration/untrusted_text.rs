//! Text canary-deploy did not write (an operator's `--reason`, AWS's error message, a playbook's
//! path, a `--target`, a metric namespace, an alarm name) reaches neither a terminal nor the
//! GitHub Actions log raw: the real binary, with `GITHUB_ACTIONS=true` and a step summary,
//! against the emulator. No line of stdout or stderr begins with `::` (as the runner reads it:
//! after whitespace) but canary-deploy's own annotations and stop-commands fences, no control
//! character is printed, no `##[` either, and the job summary renders the text as text.

use crate::emulator::{binary, demo_alb, endpoint};
use crate::emulator_control::inject_fault_saying;
use std::path::Path;
use std::process::Output;

const STEPS: &str = "steps:\n  canary: [10, 50, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n";

/// A reason that tries everything at once (kept under the 256 characters a reason keeps).
const REASON: &str = "pager: 5xx\n::error title=x::pwned\r\n::add-mask::secret \u{1b}[31mred\u{7} \
                      \u{9b}2J ![x](http://evil/x.png) [link](http://evil) <b>|</b> ##[error]legacy";

/// `canary-deploy <args>` against the emulator as a step of a GitHub Actions job whose summary
/// file is `summary`, signed with `key`.
fn in_actions(key: &str, summary: &Path, args: &[&str]) -> Output {
    binary()
        .env("AWS_ACCESS_KEY_ID", key)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary)
        .args(args)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy")
}

/// Whether `line` is a command canary-deploy writes itself: a stop-commands fence (a 128-bit
/// hex token) or its end, or, on stderr, an annotation titled `canary …` whose title has its
/// `:` and `,` escaped.
fn own_command(line: &str, stderr: bool) -> bool {
    let token = |t: &str| t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit());
    if let Some(t) = line.strip_prefix("::stop-commands::") {
        return token(t);
    }
    if let Some(t) = line.strip_prefix("::").and_then(|l| l.strip_suffix("::")) {
        if token(t) {
            return true;
        }
    }
    let annotation = line
        .strip_prefix("::error title=canary ")
        .or_else(|| line.strip_prefix("::warning title=canary "));
    // A playbook problem, annotated at its place: every property escaped, titled `canary …`.
    let at_place = line.strip_prefix("::error file=").and_then(|rest| {
        let (properties, _) = rest.split_once("::")?;
        let (_, title) = properties.split_once(",title=canary ")?;
        (!properties.contains(':') && !title.contains(',')).then_some(())
    });
    stderr
        && (at_place.is_some()
            || annotation
                .and_then(|rest| rest.split_once("::"))
                .is_some_and(|(title, _)| !title.contains([':', ','])))
}

/// Panics unless `stream` is safe for a terminal and the runner (see the module above).
fn assert_obeys_nothing(what: &str, stream: &[u8], stderr: bool) {
    let text = String::from_utf8_lossy(stream);
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
            "{what}: {c:?} printed raw:\n{text}"
        );
    }
    assert!(!text.contains("##["), "{what}: a legacy command:\n{text}");
    let mut open = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("::") {
            continue;
        }
        assert!(
            own_command(trimmed, stderr),
            "{what}: a workflow command canary-deploy did not write: {line:?} in\n{text}"
        );
        // Each fence is closed by its own token.
        if let Some(token) = trimmed.strip_prefix("::stop-commands::") {
            assert_eq!(
                open.replace(token.to_string()),
                None,
                "{what}: nested fences"
            );
        } else if !trimmed.contains(' ') && !trimmed.contains('=') {
            let closed = open.take().expect("a fence closed that was never opened");
            assert_eq!(trimmed, format!("::{closed}::"), "{what}");
        }
    }
    assert_eq!(open, None, "{what}: a fence left open:\n{text}");
}

fn assert_output_obeys_nothing(what: &str, output: &Output) {
    assert_obeys_nothing(&format!("{what} (stdout)"), &output.stdout, false);
    assert_obeys_nothing(&format!("{what} (stderr)"), &output.stderr, true);
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn shown(output: &Output) -> String {
    format!(
        "{}\n{}",
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Panics unless the job summary shows the hostile text as text: no image, link or HTML, no
/// control character.
fn assert_inert_summary(summary: &Path) {
    let markdown = std::fs::read_to_string(summary).expect("a job summary was written");
    for raw in [
        "![x](", "[link](", "](http", "<b>", "\u{1b}", "\u{7}", "\u{9b}",
    ] {
        assert!(
            !markdown.contains(raw),
            "{raw:?} in the summary:\n{markdown}"
        );
    }
    assert!(
        markdown.contains("\\!\\[x\\]\\(http\\://evil/x.png\\)"),
        "{markdown}"
    );
    assert!(markdown.contains("&lt;b&gt;\\|&lt;/b&gt;"), "{markdown}");
}

#[tokio::test]
async fn a_hostile_reason_is_never_obeyed_nor_rendered_and_every_status_replays_it_safely() {
    let alb = demo_alb("untrusted-reason").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(dir.path(), "untrusted-reason", STEPS);
    let playbook = playbook.to_string_lossy().to_string();
    let key = "untrusted-reason";
    let started = in_actions(key, &dir.path().join("s0.md"), &["advance", &playbook]);
    assert_eq!(started.status.code(), Some(0), "{}", shown(&started));

    let summary = dir.path().join("rollback.md");
    let arn = alb.listener_arn.as_str();
    let rollback = in_actions(
        key,
        &summary,
        &["rollback", "--target", arn, "--reason", REASON],
    );
    assert_eq!(rollback.status.code(), Some(0), "{}", shown(&rollback));
    assert_output_obeys_nothing("rollback", &rollback);
    let annotation = String::from_utf8_lossy(&rollback.stderr).to_string();
    assert!(
        annotation.contains("rolled back::operator: pager: 5xx ::error title=x::pwned"),
        "the reason, on one line of the annotation: {annotation}"
    );
    assert_inert_summary(&summary);

    // The record keeps the reason: every later command that shows it replays it.
    for args in [
        &["status", "--target", arn][..],
        &["status", &playbook],
        &["advance", &playbook],
    ] {
        let later = in_actions(key, &dir.path().join("later.md"), args);
        assert_output_obeys_nothing(&args.join(" "), &later);
        let out = stdout(&later);
        assert!(
            out.contains(
                "pager: 5xx ::error title=x::pwned ::add-mask::secret \\u{1b}[31mred\\u{7}"
            ),
            "{args:?}: the reason, on one line, its escapes shown:\n{out}"
        );
    }
}

#[tokio::test]
async fn an_aws_error_message_is_never_obeyed_nor_rendered() {
    let alb = demo_alb("untrusted-aws").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(dir.path(), "untrusted-aws", STEPS);
    let playbook = playbook.to_string_lossy().to_string();
    let key = "untrusted-aws-message";
    let message = "denied\n::error title=aws::pwned\n::add-mask::aws \u{9b}2J \
                   ![x](http://evil/x.png) <b>|</b>";
    inject_fault_saying(
        key,
        "elasticloadbalancing:ModifyListener",
        "AccessDenied",
        403,
        message,
    );
    let summary = dir.path().join("advance.md");
    let advance = in_actions(key, &summary, &["advance", &playbook]);
    // The write was refused: paused, with AWS's message as the reason.
    assert_eq!(advance.status.code(), Some(4), "{}", shown(&advance));
    assert_output_obeys_nothing("advance", &advance);
    assert!(
        String::from_utf8_lossy(&advance.stderr)
            .contains("::warning title=canary untrusted-aws paused::"),
        "{}",
        shown(&advance)
    );
    assert_inert_summary(&summary);

    let status = in_actions(key, &dir.path().join("status.md"), &["status", &playbook]);
    assert_output_obeys_nothing("status", &status);
    assert!(
        stdout(&status).contains("AccessDenied: denied ::error title=aws::pwned ::add-mask::aws"),
        "{}",
        shown(&status)
    );
}

#[tokio::test]
async fn a_path_a_target_a_namespace_and_an_alarm_name_are_never_obeyed() {
    let alb = demo_alb("untrusted-names").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    let key = "untrusted-names";
    let hostile_dir = dir.path().join("ci\n::error title=path::pwned\u{1b}[2J");
    std::fs::create_dir(&hostile_dir).expect("a directory with a hostile name");
    let checks = "checks:\n  - name: queue\n    metric: { namespace: \"Shop\\n::error title=ns::pwned\", \
                  metric: Depth, statistic: Maximum, max: 100 }\n  - alarms: [\"x\\n::add-mask::alarm\"]\n";
    let playbook = alb.playbook_file(&hostile_dir, "names", &format!("{STEPS}{checks}"));
    let playbook = playbook.to_string_lossy().to_string();
    let invalid = hostile_dir.join("invalid\n::error::x.yaml");
    std::fs::write(&invalid, "name: [\n").expect("write an invalid playbook");
    let target = format!("{}\n::error title=target::pwned\u{7}", alb.listener_arn);

    for args in [
        &["validate", &playbook][..],
        &["validate", &invalid.to_string_lossy()],
        &["plan", &playbook],
        &["status", "--target", &target],
        &["rollback", "--target", &target, "--reason", "r"],
    ] {
        let output = in_actions(key, &summary, args);
        assert_output_obeys_nothing(&format!("{args:?}"), &output);
    }
}

/// A command that fails before it has a deployment to report still tells the run page: an
/// invalid playbook is annotated at its file, line and column, a refused preflight as the
/// command's failure, and both are in the job summary; nothing the runner would obey else.
#[tokio::test]
async fn failures_before_the_first_step_are_annotated_and_summarised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    let invalid = dir.path().join("invalid.yaml");
    std::fs::write(&invalid, "name: bad\nsteps: 3\n").expect("write playbook");
    let path = invalid.to_string_lossy().to_string();
    let out = in_actions("actions-invalid", &summary, &["run", &path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let annotation = stderr
        .lines()
        .find(|l| l.starts_with("::error file="))
        .unwrap_or_else(|| panic!("no annotation at the playbook's place:\n{stderr}"));
    assert!(annotation.contains(",line=2,col="), "{annotation}");
    assert!(
        annotation.contains("title=canary playbook invalid::"),
        "{annotation}"
    );
    assert_obeys_nothing("invalid playbook: stderr", &out.stderr, true);
    let written = std::fs::read_to_string(&summary).expect("a job summary");
    assert!(written.contains("canary-deploy run: failed"), "{written}");

    // A route without targets: the preflight refuses, and says so on the run page.
    let route = crate::preflight::alb("actions-preflight", &["--no-targets"]);
    let playbook = dir.path().join("preflight.yaml");
    std::fs::write(&playbook, route.playbook("actions-preflight", STEPS)).expect("write playbook");
    let summary = dir.path().join("summary-preflight.md");
    let refused = in_actions(
        "actions-preflight",
        &summary,
        &["run", &playbook.to_string_lossy()],
    );
    assert_eq!(
        refused.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("::error title=canary run failed::preflight failed"),
        "{stderr}"
    );
    assert_obeys_nothing("preflight: stderr", &refused.stderr, true);
    let written = std::fs::read_to_string(&summary).expect("a job summary");
    assert!(written.contains("preflight failed"), "{written}");

    // A command that reports writes its report as the summary: `plan` on the same route.
    let summary = dir.path().join("summary-plan.md");
    let planned = in_actions(
        "actions-preflight",
        &summary,
        &["plan", &playbook.to_string_lossy()],
    );
    assert_obeys_nothing("plan: stdout", &planned.stdout, false);
    let written = std::fs::read_to_string(&summary).expect("a job summary");
    assert!(written.starts_with("### canary-deploy plan"), "{written}");
    assert!(written.contains("FAIL canary-healthy-targets"), "{written}");
}
