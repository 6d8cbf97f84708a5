//! [`RecordTags`]: which resource's tags hold a deployment's record, as a route names it or as
//! an operator gives it (`--target ARN`). The ARN is read once, here; the stores are built from
//! the typed location.

use super::TagStore;
use crate::aws::Clients;
use crate::traffic::lambda_alias::arn::{is_published_version, FunctionArn};

/// Where a deployment record's tags are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordTags {
    /// An ALB listener or listener rule.
    Alb { arn: String },
    /// A VPC Lattice listener or listener rule.
    Lattice { arn: String },
    /// A Lambda alias: in its function's tags (Lambda has none on aliases), under keys of the
    /// alias.
    LambdaAlias { function_arn: String, alias: String },
}

impl RecordTags {
    /// The location an operator's `--target` names: the ARN of an ALB or VPC Lattice rule or
    /// listener, or of a Lambda alias. Anything else is refused, saying what to give instead.
    /// Checked on the text alone, so that it makes no AWS call ([`super::target`]).
    pub fn of_arn(arn: &str) -> Result<RecordTags, String> {
        RecordTags::of_arn_given("--target", arn)
    }

    /// [`RecordTags::of_arn`] of the ARN given with `flag` (`--from` for `init`).
    pub fn of_arn_given(flag: &str, arn: &str) -> Result<RecordTags, String> {
        super::target::check_given(flag, arn)?;
        match crate::arn::Arn::parse(arn).map(|a| a.service) {
            Some("elasticloadbalancing") => Ok(RecordTags::Alb {
                arn: arn.to_string(),
            }),
            Some("vpc-lattice") => Ok(RecordTags::Lattice {
                arn: arn.to_string(),
            }),
            Some("lambda") => lambda_alias(flag, arn),
            _ => Err(format!(
                "{flag} {} is not the ARN of an ALB or VPC Lattice rule or listener, nor of \
                 a Lambda alias; give the ARN of the resource whose weights the deployment shifts",
                super::target::shown(arn)
            )),
        }
    }

    /// The tag store at this location.
    pub fn store(&self, clients: &Clients) -> TagStore {
        match self {
            RecordTags::Alb { arn } => TagStore::alb(clients.elbv2.clone(), arn),
            RecordTags::Lattice { arn } => TagStore::lattice(clients.lattice.clone(), arn),
            RecordTags::LambdaAlias {
                function_arn,
                alias,
            } => TagStore::lambda(clients.lambda.clone(), function_arn, alias),
        }
    }
}

/// The location of a Lambda alias ARN's record; a function or version ARN is refused.
fn lambda_alias(flag: &str, arn: &str) -> Result<RecordTags, String> {
    match FunctionArn::parse(arn) {
        Some(FunctionArn {
            unqualified,
            qualifier: Some(alias),
            ..
        }) if alias != "$LATEST" && !is_published_version(alias) => Ok(RecordTags::LambdaAlias {
            function_arn: unqualified.to_string(),
            alias: alias.to_string(),
        }),
        _ => Err(format!(
            "{flag} {} is not the ARN of a Lambda alias (arn:aws:lambda:<region>:<account>:\
             function:<name>:<alias>); give the alias's ARN, not the function's or a version's",
            super::target::shown(arn)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:checkout";

    #[test]
    fn an_alias_arn_names_its_function_and_alias() {
        let arn = format!("{FUNCTION}:live");
        assert_eq!(
            RecordTags::of_arn(&arn),
            Ok(RecordTags::LambdaAlias {
                function_arn: FUNCTION.to_string(),
                alias: "live".to_string()
            })
        );
    }

    #[test]
    fn a_function_or_version_arn_is_not_an_alias() {
        for arn in [
            FUNCTION.to_string(),
            format!("{FUNCTION}:7"),
            format!("{FUNCTION}:$LATEST"),
        ] {
            let err = RecordTags::of_arn(&arn).unwrap_err();
            assert!(err.contains("is not the ARN of a Lambda alias"), "{err}");
        }
    }

    #[test]
    fn load_balancer_arns_are_kept_as_given() {
        let rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3";
        assert_eq!(
            RecordTags::of_arn(rule),
            Ok(RecordTags::Alb {
                arn: rule.to_string()
            })
        );
        let err = RecordTags::of_arn("arn:aws:s3:us-east-1:123456789012:bucket").unwrap_err();
        assert!(err.contains("is an ARN of `s3`"), "{err}");
    }
}
