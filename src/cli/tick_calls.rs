//! What each tick of `run` cost in AWS calls, by the kind of tick, in the log
//! (`CANARY_DEPLOY_LOG=info`): "aws calls this tick (quiet): 3 (reads 3, writes 0; …)". The
//! record store's writes share ELB's mutating-API budget (20 calls, refilled at 3 per second
//! per account) with everything else in the account, so the log says which ticks write and
//! how much: a quiet tick (a bake, a hold) should write nothing.

use crate::aws::CallLog;
use crate::core::{Event, Plan, Record, Timestamp};
use crate::report::EventSink;
use std::collections::BTreeMap;

/// Operations that change something on AWS (the weights, or the record in the tags).
const WRITES: [&str; 9] = [
    "ModifyRule",
    "ModifyListener",
    "UpdateRule",
    "UpdateListener",
    "UpdateAlias",
    "AddTags",
    "RemoveTags",
    "TagResource",
    "UntagResource",
];

/// The reporter of a run, which also logs each tick's calls.
pub struct CallsPerTick {
    inner: Box<dyn EventSink>,
    calls: CallLog,
    /// The last tick's record: what it wrote and its revision, to tell the kind of tick.
    last: Option<(Option<crate::core::Split>, u64)>,
}

impl CallsPerTick {
    pub fn new(inner: Box<dyn EventSink>, calls: CallLog) -> CallsPerTick {
        CallsPerTick {
            inner,
            calls,
            last: None,
        }
    }
}

impl EventSink for CallsPerTick {
    fn emit(&mut self, event: &Event) {
        self.inner.emit(event);
    }

    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        let kind = match self.last {
            Some((written, _)) if written != record.written => "weights",
            Some((_, revision)) if revision != record.revision => "record",
            Some(_) => "quiet",
            None => "first",
        };
        self.last = Some((record.written, record.revision));
        tracing::info!("aws calls this tick ({kind}): {}", calls_made(&self.calls));
        self.inner.progress(record, plan, now);
    }

    fn waiting(&mut self, why: &str) {
        self.inner.waiting(why);
    }
}

/// The AWS calls made since the log was last taken: "5 (reads 4, writes 1; DescribeRules 3,
/// ModifyRule 1, …)".
pub fn calls_made(calls: &CallLog) -> String {
    let operations = calls.take();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for operation in &operations {
        *counts.entry(operation.clone()).or_default() += 1;
    }
    let writes = operations.iter().filter(|op| is_write(op)).count();
    let made: Vec<String> = counts.iter().map(|(op, n)| format!("{op} {n}")).collect();
    format!(
        "{} (reads {}, writes {writes}; {})",
        operations.len(),
        operations.len() - writes,
        made.join(", ")
    )
}

fn is_write(operation: &str) -> bool {
    WRITES.contains(&operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_as_reads_and_writes() {
        assert!(is_write("ModifyRule") && is_write("AddTags") && is_write("UpdateAlias"));
        assert!(!is_write("DescribeRules") && !is_write("GetMetricData"));
    }
}
