//! [`AwsError`]: the one shape every failed AWS call takes, whichever client made it.
//!
//! Built in one place ([`AwsError::from_sdk`]) from the SDK's error: the service and operation,
//! the resource the call was about, AWS's error code and message, and a [`Kind`] that says what
//! a caller may do about it. The traffic router, the metric source and the record store carry it
//! as their errors' source, so one function ([`AwsError::is_retryable`]) decides what a runner
//! retries, and messages read the same from every layer. Text from AWS is shown as AWS sent
//! it, never as a Debug dump of SDK structs.

use crate::text::line;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::fmt;

/// What a failed call means for whoever made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// AWS refused for the request rate ("Rate exceeded"): worth retrying later.
    Throttled,
    /// The credentials may not do this, or are not valid: retrying changes nothing.
    AccessDenied,
    /// The resource does not exist (in this account and region).
    NotFound,
    /// AWS rejected the request's content: retrying the same request changes nothing.
    Validation,
    /// The call did not get a definite answer (a timeout, a dropped connection, a 5xx): worth
    /// retrying.
    Transient,
    /// Anything else AWS answered (a conflict, a limit): not retried.
    Other,
}

impl Kind {
    /// The one rule for retries: throttled and transient failures are retried, nothing else.
    pub fn is_retryable(self) -> bool {
        matches!(self, Kind::Throttled | Kind::Transient)
    }
}

/// One failed AWS call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// The IAM service prefix: `elasticloadbalancing`, `vpc-lattice`, `lambda`, `cloudwatch`,
    /// `sts`.
    pub service: &'static str,
    /// The API operation, e.g. `ModifyRule`.
    pub operation: &'static str,
    /// What the call was about, for messages: "ALB rule arn:…".
    pub resource: String,
    /// AWS's error code (`Throttling`, `AccessDenied`, …), when AWS answered with one.
    pub code: Option<String>,
    /// AWS's message, or what went wrong on the way when there was no answer.
    pub message: String,
    pub kind: Kind,
}

/// Error codes AWS uses for throttling across the services canary-deploy calls (the SDK's own
/// list of throttling codes, which its retry strategy also uses).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Codes of a request that could not be authorized as it stands.
const ACCESS_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "AuthFailure",
    "NotAuthorized",
    "MissingAuthenticationToken",
];

/// Codes of a service that failed on its side.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServerException",
    "InternalServiceError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "ServiceException",
];

/// Codes of a request whose content AWS rejected.
const VALIDATION_CODES: &[&str] = &[
    "ValidationError",
    "ValidationException",
    "MissingParameter",
    "InvalidRequestContentException",
    "SerializationException",
];

/// The kind of a service error with `code` and HTTP `status`.
pub fn classify(code: Option<&str>, status: Option<u16>) -> Kind {
    let Some(code) = code else {
        return match status {
            Some(429) => Kind::Throttled,
            Some(403) => Kind::AccessDenied,
            Some(404) => Kind::NotFound,
            Some(500..=599) => Kind::Transient,
            _ => Kind::Other,
        };
    };
    if THROTTLING_CODES.contains(&code) {
        Kind::Throttled
    } else if ACCESS_CODES.contains(&code) {
        Kind::AccessDenied
    } else if code.ends_with("NotFound") || code.ends_with("NotFoundException") {
        Kind::NotFound
    } else if TRANSIENT_CODES.contains(&code) || matches!(status, Some(500..=599)) {
        Kind::Transient
    } else if VALIDATION_CODES.contains(&code) || code.starts_with("Invalid") {
        Kind::Validation
    } else {
        Kind::Other
    }
}

/// The HTTP status of an SDK error's raw response, where the response type has one.
pub trait ResponseStatus {
    fn status_code(&self) -> Option<u16>;
}

impl ResponseStatus for HttpResponse {
    fn status_code(&self) -> Option<u16> {
        Some(self.status().as_u16())
    }
}

/// Unit tests build SDK errors without a response.
impl ResponseStatus for () {
    fn status_code(&self) -> Option<u16> {
        None
    }
}

impl AwsError {
    /// The error of `operation` on `resource` (of `service`), from the SDK's error.
    pub fn from_sdk<E, R>(
        service: &'static str,
        operation: &'static str,
        resource: impl Into<String>,
        err: &SdkError<E, R>,
    ) -> AwsError
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
        R: ResponseStatus + fmt::Debug,
    {
        let (code, message, kind) = match err {
            SdkError::ServiceError(service_error) => {
                let status = service_error.raw().status_code();
                let code = err.code().map(str::to_string);
                let message = err
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(err).to_string());
                let kind = classify(code.as_deref(), status);
                (code, message, kind)
            }
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => {
                (None, DisplayErrorContext(err).to_string(), Kind::Transient)
            }
            // An answer the SDK could not parse (cut short, not what the API returns): say so,
            // rather than let a caller guess at what the resource holds.
            SdkError::ResponseError(response) => {
                let status = response.raw().status_code();
                let kind = match status {
                    Some(429) => Kind::Throttled,
                    _ => Kind::Transient,
                };
                let status = status.map_or_else(String::new, |s| format!(" (HTTP {s})"));
                let message = format!(
                    "AWS's answer could not be read{status}: {}",
                    DisplayErrorContext(err)
                );
                (None, message, kind)
            }
            _ => (None, DisplayErrorContext(err).to_string(), Kind::Other),
        };
        AwsError {
            service,
            operation,
            resource: resource.into(),
            code,
            message: line(&message),
            kind,
        }
    }

    /// An answer that succeeded but cannot be used (a field AWS always sends is missing).
    pub fn unusable(
        service: &'static str,
        operation: &'static str,
        resource: impl Into<String>,
        why: impl Into<String>,
    ) -> AwsError {
        AwsError {
            service,
            operation,
            resource: resource.into(),
            code: None,
            message: line(&why.into()),
            kind: Kind::Other,
        }
    }

    /// Whether a runner should try again later: [`Kind::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    pub fn is_throttled(&self) -> bool {
        self.kind == Kind::Throttled
    }

    /// AWS's answer alone: "ValidationError: bad", or what went wrong on the way.
    pub fn answer(&self) -> String {
        match &self.code {
            Some(code) if self.message.is_empty() => code.clone(),
            Some(code) => format!("{code}: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// What went wrong, after the operation's name: "rule arn:r: ValidationError: bad", or for
    /// throttling the resource, the code and what to do about it.
    pub fn detail(&self) -> String {
        let answer = self.answer();
        match self.kind {
            Kind::Throttled => format!(
                "throttled by aws on {} ({answer}): the API's request rate is shared by the whole \
                 account and region; retry later, or lengthen the analysis interval",
                self.resource
            ),
            _ => format!("{}: {answer}", self.resource),
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "aws {} failed: {}", self.operation, self.detail())
    }
}

impl std::error::Error for AwsError {}

/// The IAM service prefixes of the clients canary-deploy builds, for [`AwsError::service`].
pub mod service {
    pub const ELBV2: &str = "elasticloadbalancing";
    pub const LATTICE: &str = "vpc-lattice";
    pub const LAMBDA: &str = "lambda";
    pub const CLOUDWATCH: &str = "cloudwatch";
    pub const STS: &str = "sts";
    pub const SCHEDULER: &str = "scheduler";
    pub const S3: &str = "s3";
    pub const SNS: &str = "sns";
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_lambda::error::ErrorMetadata;
    use aws_sdk_lambda::operation::update_alias::UpdateAliasError;

    fn service_error(code: &str, message: &str) -> SdkError<UpdateAliasError, ()> {
        let meta = ErrorMetadata::builder().code(code).message(message).build();
        SdkError::service_error(UpdateAliasError::generic(meta), ())
    }

    #[test]
    fn an_answer_that_cannot_be_parsed_says_so_with_the_operation() {
        let sdk: SdkError<UpdateAliasError, ()> =
            SdkError::response_error("unexpected end of input", ());
        let err = AwsError::from_sdk(service::LAMBDA, "GetAlias", "Lambda alias arn:a", &sdk);
        let text = err.to_string();
        assert!(
            text.starts_with(
                "aws GetAlias failed: Lambda alias arn:a: AWS's answer could not be read: "
            ),
            "{text}"
        );
        assert!(text.contains("unexpected end of input"), "{text}");
        assert!(err.is_retryable(), "read again: {text}");
    }

    fn error_of(code: &str) -> AwsError {
        let sdk = service_error(code, "m");
        AwsError::from_sdk(service::LAMBDA, "UpdateAlias", "Lambda alias arn:a", &sdk)
    }

    #[test]
    fn each_code_has_its_kind() {
        let cases = [
            ("Throttling", Kind::Throttled),
            ("ThrottlingException", Kind::Throttled),
            ("TooManyRequestsException", Kind::Throttled),
            ("RequestLimitExceeded", Kind::Throttled),
            ("AccessDenied", Kind::AccessDenied),
            ("AccessDeniedException", Kind::AccessDenied),
            ("ExpiredTokenException", Kind::AccessDenied),
            ("UnrecognizedClientException", Kind::AccessDenied),
            ("RuleNotFound", Kind::NotFound),
            ("ResourceNotFoundException", Kind::NotFound),
            ("ValidationError", Kind::Validation),
            ("InvalidParameterValueException", Kind::Validation),
            ("ServiceUnavailable", Kind::Transient),
            ("InternalFailure", Kind::Transient),
            ("PreconditionFailedException", Kind::Other),
            ("TooManyRules", Kind::Other),
        ];
        for (code, kind) in cases {
            assert_eq!(error_of(code).kind, kind, "{code}");
        }
    }

    #[test]
    fn only_throttled_and_transient_are_retried() {
        let retried: Vec<Kind> = [
            Kind::Throttled,
            Kind::AccessDenied,
            Kind::NotFound,
            Kind::Validation,
            Kind::Transient,
            Kind::Other,
        ]
        .into_iter()
        .filter(|kind| kind.is_retryable())
        .collect();
        assert_eq!(retried, [Kind::Throttled, Kind::Transient]);
    }

    #[test]
    fn an_answer_without_a_code_is_judged_by_its_status() {
        assert_eq!(classify(None, Some(429)), Kind::Throttled);
        assert_eq!(classify(None, Some(403)), Kind::AccessDenied);
        assert_eq!(classify(None, Some(503)), Kind::Transient);
        assert_eq!(classify(None, Some(400)), Kind::Other);
        assert_eq!(classify(Some("Weird"), Some(502)), Kind::Transient);
    }

    #[test]
    fn no_answer_at_all_is_transient() {
        let sdk: SdkError<UpdateAliasError, ()> = SdkError::timeout_error("took too long");
        let error = AwsError::from_sdk(service::LAMBDA, "UpdateAlias", "alias a", &sdk);
        assert_eq!(error.kind, Kind::Transient);
        assert_eq!(error.code, None);
        assert!(error.message.contains("took too long"), "{error}");
    }

    #[test]
    fn the_message_names_operation_resource_code_and_text_on_one_line() {
        let sdk = service_error("AccessDeniedException", "not\nauthorized\r\n  to act");
        let error = AwsError::from_sdk(service::LAMBDA, "UpdateAlias", "Lambda alias arn:a", &sdk);
        assert_eq!(
            error.to_string(),
            "aws UpdateAlias failed: Lambda alias arn:a: AccessDeniedException: not authorized to \
             act"
        );
        assert_eq!(error.service, "lambda");
    }

    #[test]
    fn throttling_says_what_to_do() {
        let error = error_of("TooManyRequestsException");
        assert!(error.is_throttled());
        assert_eq!(
            error.detail(),
            "throttled by aws on Lambda alias arn:a (TooManyRequestsException: m): the API's \
             request rate is shared by the whole account and region; retry later, or lengthen \
             the analysis interval"
        );
    }
}
