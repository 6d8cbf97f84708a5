//! Every playbook of the invalid corpus is refused by `validate`, `run` and `rollback` with its
//! expected message, and not a single connection reaches AWS: the commands are pointed at a
//! local listener that counts every connection it is offered.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn corpus() -> Vec<PathBuf> {
    let dir = super::emulator::repo_root().join("tests/playbooks/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// The `# expect: ...` line of a corpus file.
fn expected_message(path: &PathBuf) -> String {
    let text = std::fs::read_to_string(path).expect("corpus file is readable");
    text.lines()
        .find_map(|line| line.strip_prefix("# expect:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()))
}

/// A listener that counts connections; returns its URL and the counter.
fn counting_endpoint() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[test]
fn invalid_playbooks_are_refused_without_any_aws_call() {
    let files = corpus();
    assert!(
        files.len() >= 15,
        "the invalid corpus has only {} files",
        files.len()
    );
    let (endpoint, connections) = counting_endpoint();
    let state = tempfile::tempdir().expect("temporary state dir");
    for file in &files {
        let expected = expected_message(file);
        for command in ["validate", "run", "rollback"] {
            let output = super::emulator::deploy_command(command, file, &endpoint, state.path())
                .output()
                .expect("run canary-deploy");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{command} {}: {stderr}",
                file.display()
            );
            assert!(
                stderr.contains(&expected),
                "{command} {}: expected {expected:?} in:\n{stderr}",
                file.display()
            );
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            assert!(
                stderr.contains(name),
                "the error must name the file {name}:\n{stderr}"
            );
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "an invalid playbook reached AWS"
    );
    assert!(
        std::fs::read_dir(state.path())
            .map(|d| d.count())
            .unwrap_or(0)
            == 0,
        "an invalid playbook left a deployment record"
    );
}
