//! The notifications of a tick or an operator's command: its state changes are captured on the
//! way to the reporters ([`Capture`]), and once the record is saved each one is worded and sent
//! ([`crate::notify`]). A failed delivery is a `notify_failed` warning to the reporters, never
//! an error of the tick: the rollout does not wait on, or stop for, a notification.

use crate::core::{Event, EventKind, Plan, Record, Timestamp};
use crate::notify::{message, wanted, Notifier};
use crate::report::EventSink;

/// Passes everything on to `inner`, keeping the state changes worth a message.
pub struct Capture<'a> {
    inner: &'a mut dyn EventSink,
    pub changes: Vec<Event>,
}

impl<'a> Capture<'a> {
    pub fn new(inner: &'a mut dyn EventSink) -> Capture<'a> {
        Capture {
            inner,
            changes: Vec::new(),
        }
    }
}

impl EventSink for Capture<'_> {
    fn emit(&mut self, event: &Event) {
        if wanted(&event.kind) {
            self.changes.push(event.clone());
        }
        self.inner.emit(event);
    }
    fn progress(&mut self, record: &Record, plan: &Plan, now: Timestamp) {
        self.inner.progress(record, plan, now);
    }
    fn waiting(&mut self, why: &str) {
        self.inner.waiting(why);
    }
}

/// Sends one message per change in `changes`, `record` as saved after them.
pub async fn deliver(
    notifier: &Notifier,
    changes: &[Event],
    record: &Record,
    sink: &mut dyn EventSink,
) {
    for change in changes {
        for (channel, why) in notifier.send(&message(change, record)).await {
            sink.emit(&Event {
                at: change.at,
                kind: EventKind::NotifyFailed { channel, why },
            });
        }
    }
}
