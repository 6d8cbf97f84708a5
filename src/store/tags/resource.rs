//! The tagged resource as each backend's tag calls see it: its ARN, how messages name it, and
//! the IAM service of its tag calls. Reading, adding and removing tags differ per backend only
//! in the SDK builder (ALB, VPC Lattice and Lambda are three crates with three spellings of
//! "resource ARN"), which stays in the backend's file; what is the same on every backend, the
//! error wording of a failed call and the string map some SDKs answer with, is here once.

use super::encode::Tags;
use crate::aws::error::ResponseStatus;
use crate::aws::{AwsError, Kind};
use crate::store::StoreError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::HashMap;
use std::future::Future;

/// The resource whose tags hold the record.
#[derive(Clone, Debug)]
pub(super) struct Resource {
    arn: String,
    /// e.g. "VPC Lattice rule arn:…", for messages.
    description: String,
    /// The IAM service prefix of its tag calls, e.g. `vpc-lattice`.
    iam_service: &'static str,
}

impl Resource {
    pub(super) fn new(arn: String, description: String, iam_service: &'static str) -> Resource {
        Resource {
            arn,
            description,
            iam_service,
        }
    }

    pub(super) fn arn(&self) -> &str {
        &self.arn
    }

    /// "ALB rule arn:…", "VPC Lattice listener arn:…", "Lambda function arn:… (alias live)".
    pub(super) fn describe(&self) -> &str {
        &self.description
    }

    /// Awaits one tag call (`operation`) on this resource; its failure as [`aws_error`] words it.
    pub(super) async fn call<T, E, R>(
        &self,
        operation: &'static str,
        call: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Result<T, StoreError>
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
        R: ResponseStatus + std::fmt::Debug,
    {
        call.await
            .map_err(|e| aws_error(operation, &self.description, self.iam_service, &e))
    }
}

/// The tags of an SDK answer that carries them as a string map (absent: none).
pub(super) fn tag_map(tags: Option<&HashMap<String, String>>) -> Tags {
    tags.map(|tags| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// An AWS SDK error on the record's resource as [`StoreError::Aws`], with the IAM permission
/// to grant when access was denied.
fn aws_error<E, R>(
    operation: &'static str,
    resource: &str,
    iam_service: &'static str,
    err: &SdkError<E, R>,
) -> StoreError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: ResponseStatus + std::fmt::Debug,
{
    let error = AwsError::from_sdk(iam_service, operation, resource, err);
    let hint = (error.kind == Kind::AccessDenied).then(|| {
        format!(
            ": the deployment record is kept in this resource's tags, which needs \
             {iam_service}:{operation} on it (or keep the record in a file with --state-dir)"
        )
    });
    StoreError::Aws {
        error: Box::new(error),
        hint: hint.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_vpclattice::error::ErrorMetadata;
    use aws_sdk_vpclattice::operation::tag_resource::TagResourceError;

    fn service_error(code: &str, message: &str) -> SdkError<TagResourceError, ()> {
        let meta = ErrorMetadata::builder().code(code).message(message).build();
        SdkError::service_error(TagResourceError::generic(meta), ())
    }

    fn rule() -> Resource {
        Resource::new(
            "arn:r".into(),
            "VPC Lattice rule arn:r".into(),
            "vpc-lattice",
        )
    }

    async fn failed_call(code: &str, message: &str) -> StoreError {
        let err = service_error(code, message);
        let call = async { Err::<(), _>(err) };
        match rule().call("TagResource", call).await {
            Ok(()) => panic!("a failed call succeeded"),
            Err(e) => e,
        }
    }

    #[tokio::test]
    async fn access_denied_names_the_permission_and_the_way_out() {
        let err = failed_call("AccessDeniedException", "not authorized").await;
        assert_eq!(err.aws().map(|e| e.kind), Some(Kind::AccessDenied));
        assert_eq!(
            err.to_string(),
            "aws TagResource failed on the deployment record: VPC Lattice rule arn:r: \
             AccessDeniedException: not authorized: the deployment record is kept in this \
             resource's tags, which needs vpc-lattice:TagResource on it (or keep the record in a \
             file with --state-dir)"
        );
    }

    #[tokio::test]
    async fn throttling_is_flagged() {
        let err = failed_call("ThrottlingException", "Rate exceeded").await;
        assert!(err.aws().is_some_and(AwsError::is_retryable), "{err}");
        assert!(err.to_string().contains("throttled by aws"), "{err}");
    }

    #[test]
    fn a_missing_tag_map_is_no_tags() {
        assert!(tag_map(None).is_empty());
        let map = HashMap::from([("b".to_string(), "2".to_string()), ("a".into(), "1".into())]);
        let tags: Vec<(String, String)> = tag_map(Some(&map)).into_iter().collect();
        assert_eq!(tags, [("a".into(), "1".into()), ("b".into(), "2".into())]);
    }
}
