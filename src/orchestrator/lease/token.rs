//! Lease tokens: random, so that a holder recognises its own lease, and, on Linux, naming the
//! process that took it (boot id, pid namespace, pid), so that a lease left by a process of this
//! machine that no longer runs need not be waited out.
//!
//! No random-number crate: the standard library's `RandomState` is seeded from the operating
//! system's randomness, which is all a token needs (unique, not secret).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh token: 128 random bits in hex, then `.<boot id>.<pid namespace>.<pid>` when this
/// process can tell them (Linux).
pub(super) fn fresh() -> String {
    let random = random_hex();
    match Process::this() {
        Some(process) => format!("{random}.{}", process.text()),
        None => random,
    }
}

/// Whether `token` was taken by a process of this machine (same boot, same pid namespace) that
/// no longer runs. False whenever that cannot be told for sure.
pub(super) fn holder_is_gone(token: &str) -> bool {
    let Some(holder) = token
        .split_once('.')
        .and_then(|(_, rest)| Process::parse(rest))
    else {
        return false;
    };
    let Some(this) = Process::this() else {
        return false;
    };
    holder.boot == this.boot
        && holder.namespace == this.namespace
        && holder.pid != this.pid
        && !holder.runs()
}

/// 128 random bits in hex (unique, not secret): also the header lane's tag token.
pub(crate) fn random_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let word = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        hasher.write_u64(count);
        hasher.finish()
    };
    format!("{:016x}{:016x}", word(), word())
}

/// A process, as a lease token names it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Process {
    boot: String,
    namespace: String,
    pid: u32,
}

impl Process {
    /// This process, when the kernel tells (Linux with /proc).
    fn this() -> Option<Process> {
        let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
        let link = std::fs::read_link("/proc/self/ns/pid").ok()?;
        let namespace: String = link
            .to_string_lossy()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let process = Process {
            boot: boot.trim().to_string(),
            namespace,
            pid: std::process::id(),
        };
        Process::parse(&process.text()).filter(|parsed| *parsed == process)
    }

    /// `<boot id>.<pid namespace>.<pid>`, or None for anything else.
    fn parse(text: &str) -> Option<Process> {
        let mut parts = text.split('.');
        let boot = parts.next().filter(|s| !s.is_empty())?;
        let namespace = parts.next().filter(|s| !s.is_empty())?;
        let pid = parts.next()?.parse().ok()?;
        parts.next().is_none().then(|| Process {
            boot: boot.to_string(),
            namespace: namespace.to_string(),
            pid,
        })
    }

    fn text(&self) -> String {
        format!("{}.{}.{}", self.boot, self.namespace, self.pid)
    }

    /// Whether the process still exists (a zombie counts as running: never a false "gone").
    fn runs(&self) -> bool {
        Path::new(&format!("/proc/{}", self.pid)).exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| fresh()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(tokens.iter().all(|t| t.len() >= 32), "{tokens:?}");
    }

    #[test]
    fn a_token_from_a_live_process_or_elsewhere_is_never_gone() {
        assert!(!holder_is_gone(&fresh()), "this process runs");
        assert!(!holder_is_gone("0123456789abcdef"), "no process named");
        assert!(!holder_is_gone("abc.not-a-process"));
        assert!(
            !holder_is_gone("abc.other-boot.1.999999999"),
            "another machine"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_token_from_an_ended_process_of_this_machine_is_gone() {
        let this = Process::this().expect("linux tells its boot id and pid namespace");
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("reaped");
        let gone = Process {
            pid,
            ..this.clone()
        };
        assert!(holder_is_gone(&format!("abc.{}", gone.text())));
        let elsewhere = Process {
            namespace: "1".into(),
            ..gone
        };
        assert!(!holder_is_gone(&format!("abc.{}", elsewhere.text())));
    }
}
