//! What both of canary-deploy's EventBridge Scheduler schedules (the dead-man's switch and the
//! runner's tick schedule) say to Scheduler the same way.

use aws_sdk_scheduler::types::{FlexibleTimeWindow, FlexibleTimeWindowMode};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Scheduler's answer that the schedule does not exist (GetSchedule, DeleteSchedule).
pub fn not_found<E: ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> bool {
    e.as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|code| code == "ResourceNotFoundException")
}

/// The flexible time window OFF: a schedule fires at its time, not within a window after it.
pub fn window_off() -> Result<FlexibleTimeWindow, String> {
    FlexibleTimeWindow::builder()
        .mode(FlexibleTimeWindowMode::Off)
        .build()
        .map_err(|e| e.to_string())
}
