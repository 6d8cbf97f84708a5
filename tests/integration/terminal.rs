//! `run` as a person sees it: on a terminal (a pseudo-terminal here, as a shell gives) the live
//! view draws the step ladder, the bake bar and the latest verdict in colour; `NO_COLOR` keeps
//! the view but drops the colours; written to a file or a pipe, the output is plain lines with
//! no escape sequence at all, and the event times carry their zone.

use crate::emulator::{demo_alb, deploy_command, endpoint};
use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};

/// A 40×120 pseudo-terminal: (the side the child writes to, the side this test reads).
fn open_pty() -> (OwnedFd, File) {
    let mut controller = 0;
    let mut terminal = 0;
    let mut size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors into the two out-parameters; no name buffer
    // and no termios are passed, the window size lives for the call.
    let opened = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            // `*const` on Linux, `*mut` on macOS: the cast fits either.
            std::ptr::addr_of_mut!(size) as _,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nothing else.
    unsafe {
        (
            OwnedFd::from_raw_fd(terminal),
            File::from_raw_fd(controller),
        )
    }
}

/// Runs `command` with stdout and stderr on a pseudo-terminal; its exit code and all it drew.
fn on_terminal(mut command: Command) -> (Option<i32>, String) {
    let (terminal, mut controller) = open_pty();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(terminal.try_clone().expect("dup the terminal")))
        .stderr(Stdio::from(terminal));
    let mut child = command.spawn().expect("start canary-deploy");
    // The only copies of the terminal side are the child's now: reading ends when it exits.
    drop(command);
    let reader = std::thread::spawn(move || {
        let mut drawn = Vec::new();
        let mut buffer = [0u8; 4096];
        // Linux answers EIO once the last writer has gone; that is the end, like EOF.
        while let Ok(n) = controller.read(&mut buffer) {
            if n == 0 {
                break;
            }
            drawn.extend_from_slice(&buffer[..n]);
        }
        drawn
    });
    let status = child.wait().expect("wait for canary-deploy");
    let drawn = reader.join().expect("the reader");
    (status.code(), String::from_utf8_lossy(&drawn).into_owned())
}

fn run_command(playbook: &Path, state: &Path) -> Command {
    let mut command = deploy_command("run", playbook, endpoint(), state);
    command
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("GITHUB_ACTIONS");
    command
}

const STEPS: &str = "steps:\n  canary: [10, 50, 100]\n  bake: 2s\nanalysis:\n  interval: 1s\n";

/// An SGR colour sequence (`ESC [ … m` with a foreground colour 31–36).
fn has_colour(drawn: &str) -> bool {
    [
        "\u{1b}[31",
        "\u{1b}[32",
        "\u{1b}[33",
        "\u{1b}[36",
        "\u{1b}[1;3",
    ]
    .iter()
    .any(|c| drawn.contains(c))
}

#[tokio::test]
async fn a_terminal_gets_the_live_view_in_colour_and_no_color_drops_the_colours() {
    let alb = demo_alb("tty-view").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(dir.path(), "tty-view", STEPS);
    let (code, drawn) = on_terminal(run_command(&playbook, &dir.path().join("state")));
    assert_eq!(code, Some(0), "{drawn}");
    assert!(drawn.contains("steps  "), "the step ladder: {drawn}");
    assert!(drawn.contains("▶ 50%"), "the current step marked: {drawn}");
    assert!(drawn.contains("bake   ["), "the bake bar: {drawn}");
    assert!(drawn.contains("of 2s"), "the bar counts the bake: {drawn}");
    assert!(drawn.contains("PROMOTED"), "{drawn}");
    assert!(
        drawn.contains("\u{1b}["),
        "drawn in place with escape sequences: {drawn}"
    );
    assert!(has_colour(&drawn), "in colour: {drawn:?}");

    let plain = demo_alb("tty-plain").await;
    let second = plain.playbook_file(dir.path(), "tty-plain", STEPS);
    let mut command = run_command(&second, &dir.path().join("state-2"));
    command.env("NO_COLOR", "1");
    let (code, drawn) = on_terminal(command);
    assert_eq!(code, Some(0), "{drawn}");
    assert!(
        drawn.contains("steps  ") && drawn.contains("PROMOTED"),
        "{drawn}"
    );
    assert!(!has_colour(&drawn), "NO_COLOR: no colours: {drawn:?}");
}

#[tokio::test]
async fn a_file_gets_plain_lines_with_zoned_times() {
    let alb = demo_alb("tty-file").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(dir.path(), "tty-file", STEPS);
    let log = dir.path().join("run.log");
    let mut command = run_command(&playbook, &dir.path().join("state"));
    command.stdout(File::create(&log).expect("create the log"));
    let status = command.status().expect("run canary-deploy");
    assert_eq!(status.code(), Some(0));
    let written = std::fs::read_to_string(&log).expect("read the log");
    assert!(
        !written.contains('\u{1b}'),
        "no escape sequence in a file: {written:?}"
    );
    assert!(
        !written.contains("bake   ["),
        "no live view in a file: {written}"
    );
    let first = written.lines().next().expect("a first line");
    let time = first.split_whitespace().next().unwrap_or_default();
    assert!(
        time.len() == 9 && time.ends_with('Z') && time.as_bytes()[2] == b':',
        "an event time with its zone, such as 14:03:07Z: {first}"
    );
    assert!(written.contains("PROMOTED"), "{written}");
}
