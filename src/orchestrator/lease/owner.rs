//! Who a runner is, for the lease's owner, and the protocol's settle time: shared by every front
//! end that takes the lease (`run`, `advance`, the Lambda runner).

use super::DEFAULT_SETTLE;
use std::time::Duration;

/// Overrides the lease protocol's settle time (a duration such as `200ms`).
pub const SETTLE_VAR: &str = "CANARY_DEPLOY_LEASE_SETTLE";

/// Who this runner is, for the lease's owner: "advance on ci-7 pid 4242", plus
/// "(github run 123/1)" inside a GitHub Actions run; inside AWS Lambda, the function and its log
/// stream ("lambda on function canary-deploy-runner, log stream 2026/12/07/[$LATEST]9f…").
pub fn owner(command: &str) -> String {
    let lambda = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    if let (Some(function), Some(stream)) = (
        lambda("AWS_LAMBDA_FUNCTION_NAME"),
        lambda("AWS_LAMBDA_LOG_STREAM_NAME"),
    ) {
        return format!("{command} on function {function}, log stream {stream}");
    }
    let mut owner = format!("{command} on {} pid {}", hostname(), std::process::id());
    if let Ok(run) = std::env::var("GITHUB_RUN_ID") {
        let attempt = std::env::var("GITHUB_RUN_ATTEMPT").unwrap_or_else(|_| "1".to_string());
        owner.push_str(&format!(" (github run {run}/{attempt})"));
    }
    owner
}

/// The lease protocol's settle time: [`DEFAULT_SETTLE`], or [`SETTLE_VAR`].
pub fn settle() -> anyhow::Result<Duration> {
    match std::env::var(SETTLE_VAR) {
        Err(_) => Ok(DEFAULT_SETTLE),
        Ok(text) => parse_settle(&text),
    }
}

/// A settle time from [`SETTLE_VAR`]'s text: a duration above zero.
fn parse_settle(text: &str) -> anyhow::Result<Duration> {
    match humantime::parse_duration(text.trim()) {
        Ok(settle) if !settle.is_zero() => Ok(settle),
        Ok(_) => anyhow::bail!(
            "{SETTLE_VAR}={text}: the lease needs a settle time above zero (no runner could ever \
             claim it); write e.g. 2s, or 200ms for a local emulator"
        ),
        Err(e) => {
            anyhow::bail!("{SETTLE_VAR}={text} is not a duration ({e}); write e.g. 2s or 500ms")
        }
    }
}

fn hostname() -> String {
    let from_file = |path: &str| std::fs::read_to_string(path).ok();
    from_file("/proc/sys/kernel/hostname")
        .or_else(|| from_file("/etc/hostname"))
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "an unknown host".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settle_time_is_a_duration_above_zero() {
        assert_eq!(parse_settle("200ms").unwrap(), Duration::from_millis(200));
        let zero = parse_settle("0s").unwrap_err().to_string();
        assert!(zero.contains("needs a settle time above zero"), "{zero}");
        let junk = parse_settle("soon").unwrap_err().to_string();
        assert!(junk.contains("is not a duration"), "{junk}");
    }
}
