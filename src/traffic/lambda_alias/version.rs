//! What resolution's GetFunctionConfiguration of a version says beyond "it is published":
//! its execution role, dead-letter queue and state, kept so that the preflight's
//! `lambda-alias-versions` check judges the same answer instead of asking again.

use aws_sdk_lambda::operation::get_function_configuration::GetFunctionConfigurationOutput;

/// One version's configuration, as GetFunctionConfiguration answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionConfig {
    pub role: Option<String>,
    /// `DeadLetterConfig.TargetArn`; `None` without a dead-letter queue.
    pub dlq: Option<String>,
    pub state: Option<String>,
    pub state_reason: Option<String>,
    pub state_reason_code: Option<String>,
    pub last_update_status: Option<String>,
    pub last_update_reason: Option<String>,
    pub last_update_reason_code: Option<String>,
}

impl From<&GetFunctionConfigurationOutput> for VersionConfig {
    fn from(out: &GetFunctionConfigurationOutput) -> VersionConfig {
        let owned = |s: Option<&str>| s.map(str::to_string);
        VersionConfig {
            role: owned(out.role()),
            dlq: owned(out.dead_letter_config().and_then(|d| d.target_arn())),
            state: owned(out.state().map(|s| s.as_str())),
            state_reason: owned(out.state_reason()),
            state_reason_code: owned(out.state_reason_code().map(|c| c.as_str())),
            last_update_status: owned(out.last_update_status().map(|s| s.as_str())),
            last_update_reason: owned(out.last_update_status_reason()),
            last_update_reason_code: owned(
                out.last_update_status_reason_code().map(|c| c.as_str()),
            ),
        }
    }
}
