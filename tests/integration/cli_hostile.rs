//! Hostile input to the real binary: every command given a playbook that is no file or no
//! playbook (a FIFO, `/dev/zero`, a directory, 2 MiB, 50 MB, YAML tags, an unclosed quote,
//! 10,000 equal steps, wildcard alarm names, two partitions), a `--target` that cannot be a
//! route, `--target` with `--state-dir`, and an endpoint or region the SDK cannot use. Each run
//! must end quickly (the timeout only catches a hang), exit 1 or 2 (never 101, a panic), say
//! where the problem is (the file with its line and column, or the flag or variable) in a few
//! lines, and make no AWS call: the emulator records every request signed with this test's own
//! access key, and the recording must stay empty.
//!
//! `cargo test --test integration cli_hostile -- --nocapture` prints the counts.

use crate::emulator::{binary, endpoint};
use crate::emulator_control::control;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "hostileinput";
/// Only a hang reaches this; a refusal takes milliseconds.
const HANG: Duration = Duration::from_secs(30);

const PLAYBOOK: &str = "name: hostile\nroute:\n  alb:\n    load_balancer: hostile-alb\n    port: 80\n    stable: hostile-stable\n    canary: hostile-canary\nsteps:\n  canary: [10, 50, 100]\n  bake: 1m\nchecks:\n  - error_rate: { max_percent: 1 }\n";
const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/hostile/50dc6c495c0c9188/f2f7dc8efc522ab2";

/// One hostile run: the arguments, environment beside the test credentials, and what stderr
/// must name.
struct Case {
    label: String,
    args: Vec<OsString>,
    env: Vec<(&'static str, String)>,
    /// Give `--endpoint-url <emulator>` (false when the case sets the endpoint itself).
    emulator: bool,
    names: String,
    exit: &'static [i32],
}

fn case(label: String, args: Vec<OsString>, names: &str) -> Case {
    Case {
        label,
        args,
        env: Vec::new(),
        emulator: true,
        names: names.to_string(),
        exit: &[1],
    }
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Every command that reads a playbook, on `path`; stderr must name `names`.
fn playbook_cases(cases: &mut Vec<Case>, label: &str, path: &Path, names: &str) {
    for command in [
        &["validate"][..],
        &["plan"],
        &["run"],
        &["advance"],
        &["status"],
        &["rollback"],
        &["iam-policy"],
        &["iam-policy", "--resolve"],
    ] {
        let mut args = os(command);
        args.push(path.into());
        cases.push(case(format!("{label}: {}", command.join(" ")), args, names));
    }
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the playbook");
    path
}

fn hostile_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let fifo = dir.join("fifo.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo");
    playbook_cases(
        &mut cases,
        "a FIFO",
        &fifo,
        "fifo.yaml: error: the playbook is a named pipe",
    );
    playbook_cases(
        &mut cases,
        "/dev/zero",
        Path::new("/dev/zero"),
        "/dev/zero: error: the playbook is a device",
    );
    playbook_cases(
        &mut cases,
        "a directory",
        dir,
        "error: the playbook is a directory",
    );
    let big = write(
        dir,
        "big.yaml",
        &format!("{PLAYBOOK}#{}\n", "x".repeat(2 << 20)),
    );
    playbook_cases(
        &mut cases,
        "2 MiB",
        &big,
        "big.yaml: error: the playbook is larger than 1 MiB",
    );
    let huge = PLAYBOOK.replace("name: hostile", &format!("name: {}", "a".repeat(50 << 20)));
    let huge = write(dir, "huge.yaml", &huge);
    playbook_cases(
        &mut cases,
        "a 50 MB value",
        &huge,
        "huge.yaml: error: the playbook is larger than 1 MiB",
    );
    let long = PLAYBOOK.replace("name: hostile", &format!("name: {}", "a".repeat(500_000)));
    let long = write(dir, "long-name.yaml", &long);
    playbook_cases(
        &mut cases,
        "a 500 kB name",
        &long,
        "long-name.yaml:1:7: error: name `aaaa",
    );
    for (file, from, to, names) in [
        ("python-tag.yaml", "name: hostile", "name: !!python/object:os.system hostile", "python-tag.yaml:1:7: error: the YAML tag `!!python/object:os.system`"),
        ("tag-directive.yaml", "name: hostile", "%TAG !e! tag:example.com,2000:\n---\nname: hostile", "tag-directive.yaml:1:1: error: the YAML directive `%TAG !e!`"),
        ("unclosed-quote.yaml", "port: 80", "port: \"80", "unclosed-quote.yaml:6:5: error: a quoted value is not closed"),
        ("equal-steps.yaml", "[10, 50, 100]", &format!("[{}]", ["10"; 10_000].join(", ")), "equal-steps.yaml:9:16: error: steps must increase: 10% repeats 10% (and 9998 more times"),
        ("wildcard-alarms.yaml", "  - error_rate: { max_percent: 1 }", "  - alarms: ['*', prod-*, '?']", "wildcard-alarms.yaml:12:14: error: alarm `*` has `*` in its name"),
        ("partitions.yaml", "    load_balancer: hostile-alb\n    port: 80\n    stable: hostile-stable\n    canary: hostile-canary", &format!("    listener: {LISTENER}\n    stable: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/s/01\n    canary: arn:aws-cn:elasticloadbalancing:us-east-1:123456789012:targetgroup/c/01"), "partitions.yaml:6:13: error: `arn:aws-cn:"),
        ("null-alarm.yaml", "  - error_rate: { max_percent: 1 }", "  - alarms: [~]", "null-alarm.yaml:12:14: error: a value is missing here"),
    ] {
        assert!(PLAYBOOK.contains(from), "{from}");
        let path = write(dir, file, &PLAYBOOK.replace(from, to));
        playbook_cases(&mut cases, file, &path, names);
    }

    let elb = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
    let lambda = "arn:aws:lambda:us-east-1:123456789012:function:hostile";
    let lattice = "arn:aws:vpc-lattice:us-east-1:123456789012";
    let targets = [
        String::new(),
        "   ".into(),
        "hostile".into(),
        "arn:aws:s3:::hostile-bucket".into(),
        "arn:aws:sqs:us-east-1:123456789012:hostile".into(),
        format!("{elb}:targetgroup/hostile-stable/73e2d6bc24d8a067"),
        format!("{elb}:loadbalancer/app/hostile/50dc6c495c0c9188"),
        format!("{elb}:listener/net/hostile/50dc6c495c0c9188/f2f7dc8efc522ab2"),
        format!("{elb}:listener/app/hostile/50dc6c495c0c9188"),
        format!("{lattice}:service/svc-0123456789abcdef0"),
        format!("{lattice}:targetgroup/tg-0123456789abcdef0"),
        lambda.to_string(),
        format!("{lambda}:7"),
        format!("{lambda}:$LATEST"),
        format!("{LISTENER}\nx"),
        format!("{elb}:listener/app/{}", "a".repeat(100_000)),
    ];
    for target in &targets {
        for command in ["rollback", "promote", "pause", "resume", "status"] {
            let shown: String = target.chars().take(60).collect();
            cases.push(case(
                format!("{command} --target {shown:?}"),
                os(&[command, "--target", target]),
                "error: --target",
            ));
        }
    }
    for command in ["rollback", "status"] {
        let mut c = case(
            format!("{command} --target with --state-dir"),
            os(&[command, "--target", LISTENER, "--state-dir", "."]),
            "--state-dir",
        );
        c.exit = &[2];
        cases.push(c);
    }

    let good = write(dir, "good.yaml", PLAYBOOK);
    let good = good.to_string_lossy().to_string();
    let commands: [&[&str]; 5] = [
        &["plan", &good],
        &["run", &good],
        &["status", &good],
        &["rollback", "--target", LISTENER],
        &["iam-policy", &good, "--resolve"],
    ];
    for command in commands {
        for (url, why) in [
            ("", "it is empty"),
            (
                "http://127.0.0.1:99999",
                "the port `99999` is not a port number",
            ),
            ("http://127.0.0.1:0", "the port `0`"),
            ("localhost:4566", "it does not start with `http://`"),
        ] {
            let mut args = os(command);
            args.extend(os(&["--endpoint-url", url]));
            let mut c = case(
                format!("{} --endpoint-url {url:?}", command[0]),
                args,
                &format!("error: --endpoint-url `{url}` is not an endpoint URL: {why}"),
            );
            c.emulator = false;
            cases.push(c);
        }
        let mut c = case(
            format!("{} with AWS_ENDPOINT_URL=\"\"", command[0]),
            os(command),
            "error: AWS_ENDPOINT_URL `` is not an endpoint URL: it is empty",
        );
        c.env.push(("AWS_ENDPOINT_URL", String::new()));
        c.emulator = false;
        cases.push(c);
        for region in ["us east 1", "us.east.1", "us-east-1\n"] {
            let mut args = os(command);
            args.extend(os(&["--region", region]));
            cases.push(case(
                format!("{} --region {region:?}", command[0]),
                args,
                "error: --region `",
            ));
        }
        let mut c = case(
            format!("{} with AWS_REGION=eu.west.1", command[0]),
            os(command),
            "error: the AWS region (from AWS_REGION or the profile) `eu.west.1`",
        );
        c.env.push(("AWS_REGION", "eu.west.1".into()));
        cases.push(c);
    }
    cases
}

/// Runs `case`; returns why it is not a clear error, if it is not.
fn run(case: &Case, dir: &Path) -> Result<(), String> {
    let mut command = binary();
    command
        .current_dir(dir)
        .env("AWS_ACCESS_KEY_ID", KEY)
        .args(&case.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if case.emulator {
        command.args(["--endpoint-url", endpoint()]);
    }
    for (name, value) in &case.env {
        command.env(name, value);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("start canary-deploy");
    loop {
        if child.try_wait().expect("wait for canary-deploy").is_some() {
            break;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("hung for {HANG:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child.wait_with_output().expect("canary-deploy's output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    let lines = stderr.lines().count();
    if code == Some(101) || stderr.contains("panicked") {
        return Err(format!("panicked:\n{stderr:.2000}"));
    }
    if !code.is_some_and(|c| case.exit.contains(&c)) {
        return Err(format!(
            "exit {code:?}, expected {:?}:\n{stderr:.2000}",
            case.exit
        ));
    }
    if !stderr.contains(&case.names) {
        return Err(format!("expected {:?} in:\n{stderr:.2000}", case.names));
    }
    if lines > 12 || stderr.len() > 4000 {
        return Err(format!(
            "{lines} lines, {} bytes of stderr:\n{stderr:.2000}",
            stderr.len()
        ));
    }
    if stderr.contains("error: error:")
        || stderr
            .lines()
            .any(|l| l.starts_with("error: ") && l.contains(".yaml:") && l.contains(": error:"))
    {
        return Err(format!("`error:` twice:\n{stderr:.2000}"));
    }
    Ok(())
}

#[test]
fn hostile_input_is_a_clear_error_with_no_aws_call() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = hostile_cases(dir.path());
    control("POST", &format!("recording/{KEY}"), None);
    let mut unclear = Vec::new();
    let mut panics = 0;
    for case in &cases {
        if let Err(why) = run(case, dir.path()) {
            panics += usize::from(why.starts_with("panicked"));
            unclear.push(format!("{}: {why}", case.label));
        }
    }
    let recorded = control("DELETE", &format!("recording/{KEY}"), None);
    let calls: Vec<String> = recorded["requests"]
        .as_array()
        .expect("a list of requests")
        .iter()
        .map(|r| {
            format!(
                "{}:{}",
                r["service"].as_str().unwrap_or("?"),
                r["action"].as_str().unwrap_or("?")
            )
        })
        .collect();
    println!(
        "hostile inputs: {} cases, {} clear errors, {panics} panics, {} AWS calls",
        cases.len(),
        cases.len() - unclear.len(),
        calls.len()
    );
    assert!(
        unclear.is_empty(),
        "{} unclear:\n{}",
        unclear.len(),
        unclear.join("\n\n")
    );
    assert!(calls.is_empty(), "hostile input reached AWS: {calls:?}");
}

/// The recording sees this binary's calls: the same run on a good playbook (whose load
/// balancer does not exist) is recorded, so an empty recording above means no call.
#[test]
fn the_recording_sees_a_good_playbooks_calls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.yaml", PLAYBOOK);
    let key = "hostilecontrol";
    control("POST", &format!("recording/{key}"), None);
    let output = binary()
        .env("AWS_ACCESS_KEY_ID", key)
        .arg("status")
        .arg(&good)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy");
    let recorded = control("DELETE", &format!("recording/{key}"), None);
    let calls = recorded["requests"].as_array().map_or(0, Vec::len);
    assert!(
        calls > 0,
        "nothing recorded: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
