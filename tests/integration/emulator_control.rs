//! The emulator's own control endpoints (`/_canary/…`): request recording and fault injection,
//! both keyed by the access key a test signs its requests with.

use crate::emulator::endpoint;
use std::io::{Read, Write};

/// `METHOD /_canary/<path>` on the emulator with a JSON `body` (or none), expecting 200, with
/// the JSON answer.
pub fn control(method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
    let address = endpoint().trim_start_matches("http://");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = std::net::TcpStream::connect(address).expect("connect to the emulator");
    write!(
        stream,
        "{method} /_canary/{path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: \
         application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(
        head.contains(" 200 "),
        "{method} /_canary/{path}: {head}\n{body}"
    );
    serde_json::from_str(body).expect("JSON")
}

/// Makes the emulator answer every `every`-th request for `action` (`service:Action`, as IAM
/// names it) signed with `key` with AWS's error `code` and HTTP `status`, at most `times` times
/// (`None`: no limit).
pub fn inject_fault(
    key: &str,
    action: &str,
    code: &str,
    status: u16,
    every: u32,
    times: Option<u32>,
) {
    let rule = serde_json::json!({
        "action": action, "code": code, "status": status, "every": every, "times": times,
    });
    control("POST", &format!("faults/{key}"), Some(rule));
}

/// As [`inject_fault`], every such request failed with AWS's `message` for `code`.
pub fn inject_fault_saying(key: &str, action: &str, code: &str, status: u16, message: &str) {
    let rule = serde_json::json!({
        "action": action, "code": code, "status": status, "message": message,
    });
    control("POST", &format!("faults/{key}"), Some(rule));
}

/// How many requests for `action` signed with `key` the fault rules matched, and how many of
/// them failed.
pub fn fault_counts(key: &str, action: &str) -> (u64, u64) {
    let state = control("GET", &format!("faults/{key}"), None);
    let count = |what: &str| state[what][action].as_u64().unwrap_or(0);
    (count("matched"), count("injected"))
}
