//! `runner-tick`: the Lambda runner's handler, run here on one event, as the function would run
//! it: for replaying an event by hand (from the dead-letter queue, or a schedule's input), and
//! for measuring a tick's time and memory outside Lambda. The tick's events are reported as
//! for `advance` (`--output json`: JSON lines, as the function logs them), then its outcome is
//! printed as one JSON document. The exit code is the outcome's.

use super::{Exit, Global};
use crate::runner::{tick::tick, RunnerEvent};
use std::io::Read;
use std::path::Path;

pub async fn execute(event: &Path, global: &Global) -> anyhow::Result<Exit> {
    let text = read_event(event)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} is not JSON: {e}",
            crate::text::line(&event.display().to_string())
        )
    })?;
    let event = RunnerEvent::from_json(value).map_err(anyhow::Error::msg)?;
    let session = global.session().await?;
    let mut sink = crate::report::reporter(global.output);
    // One process, one tick: nothing is warm (a cold start, as a fresh environment's).
    let warm = crate::runner::warm::Warm::default();
    let outcome = tick(&event, &session, &warm, sink.as_mut()).await?;
    drop(sink);
    println!("{}", crate::text::json(&serde_json::to_string(&outcome)?));
    Ok(match outcome.exit_code {
        0 => Exit::Done,
        3 => Exit::RolledBack,
        4 => Exit::Paused,
        5 => Exit::Busy,
        _ => Exit::Error,
    })
}

/// The event's text: the file, or standard input for `-`, at most 1 MiB either way.
fn read_event(path: &Path) -> anyhow::Result<String> {
    let limit = crate::playbook::MAX_BYTES;
    let mut text = String::new();
    let read = match path.as_os_str() == "-" {
        true => std::io::stdin().take(limit + 1).read_to_string(&mut text),
        false => {
            std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_string(&mut text))
        }
    };
    read.map_err(|e| anyhow::anyhow!("cannot read the event {}: {e}", path.display()))?;
    if text.len() as u64 > limit {
        anyhow::bail!("the event {} is larger than 1 MiB", path.display());
    }
    Ok(text)
}
