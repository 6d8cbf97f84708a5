//! The live split of a Lambda alias: its `FunctionVersion` and `RoutingConfig`.
//!
//! A small, independent read with the simulator's own errors: one `GetAlias` (function name and
//! alias name taken from the alias ARN). Lambda's weights are fractions (0.0–1.0) of the extra
//! versions in `RoutingConfig.AdditionalVersionWeights`; the alias's own `FunctionVersion`
//! gets the rest. The split needs integer weights, so [`alias_weights`] turns them into parts
//! per million: exact enough for any weight AWS accepts, and always summing to 1,000,000. The
//! weights are keyed by version number, which is also the `ExecutedVersion` dimension value of
//! the metrics, so one key matches `--target`, the split and the published data.

use crate::simulator::SimulatorError;
use crate::traffic::lambda_alias::arn::FunctionArn;
use aws_sdk_lambda::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_lambda::types::AliasRoutingConfiguration;

/// The integer total of an alias's weights.
pub const PARTS: u32 = 1_000_000;

const ALIAS_ARN: &str = "a Lambda alias ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS)";

/// A Lambda alias, by ARN, with the function name and alias name it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaAliasRef {
    arn: String,
    function_name: String,
    alias: String,
}

impl LambdaAliasRef {
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>:<alias>`; NotARoute for an
    /// unqualified function ARN, a version ARN (a numeric qualifier, or `$LATEST`) or anything
    /// else.
    pub fn parse(arn: &str) -> Result<LambdaAliasRef, SimulatorError> {
        let alias = FunctionArn::parse(arn)
            .and_then(|f| Some((f.name, f.qualifier?)))
            .filter(|(_, alias)| is_alias_name(alias));
        let (function_name, alias) = alias.ok_or_else(|| SimulatorError::NotARoute {
            arn: arn.to_string(),
            expected: ALIAS_ARN,
        })?;
        Ok(LambdaAliasRef {
            arn: arn.to_string(),
            function_name: function_name.to_string(),
            alias: alias.to_string(),
        })
    }

    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// The function's name: the `FunctionName` dimension.
    pub fn function_name(&self) -> &str {
        &self.function_name
    }

    /// The alias's name, e.g. `live`.
    pub fn alias(&self) -> &str {
        &self.alias
    }
}

/// An alias name: not empty, not all digits (that is a version), not `$LATEST`.
fn is_alias_name(qualifier: &str) -> bool {
    !qualifier.is_empty()
        && !qualifier.chars().all(|c| c.is_ascii_digit())
        && qualifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `(version, weight in parts per million)` of the alias: one GetAlias.
pub async fn read_lambda_alias_weights(
    client: &aws_sdk_lambda::Client,
    alias: &LambdaAliasRef,
) -> Result<Vec<(String, u32)>, SimulatorError> {
    let out = client
        .get_alias()
        .function_name(alias.function_name())
        .name(alias.alias())
        .send()
        .await
        .map_err(|err| {
            if err.code() == Some("ResourceNotFoundException") {
                SimulatorError::NotFound {
                    what: "alias",
                    arn: alias.arn().to_string(),
                }
            } else {
                SimulatorError::Call {
                    service: "lambda",
                    operation: "GetAlias",
                    message: DisplayErrorContext(&err).to_string(),
                }
            }
        })?;
    let version = out
        .function_version()
        .ok_or_else(|| SimulatorError::NoForward {
            arn: alias.arn().to_string(),
        })?;
    Ok(alias_weights(version, out.routing_config()))
}

/// The alias's versions and their weights in parts per million of [`PARTS`]: each additional
/// version its weight (clamped to 0–1), the alias's `FunctionVersion` the rest, listed first.
pub fn alias_weights(
    function_version: &str,
    routing: Option<&AliasRoutingConfiguration>,
) -> Vec<(String, u32)> {
    let mut extra: Vec<(String, u32)> = routing
        .and_then(AliasRoutingConfiguration::additional_version_weights)
        .map(|weights| {
            weights
                .iter()
                .map(|(version, weight)| (version.clone(), parts(*weight)))
                .collect()
        })
        .unwrap_or_default();
    // A HashMap has no order; the split must not depend on it.
    extra.sort();
    let given: u32 = extra.iter().map(|(_, w)| *w).sum();
    let mut out = vec![(function_version.to_string(), PARTS.saturating_sub(given))];
    out.extend(extra);
    out
}

/// A 0.0–1.0 weight in parts per million (NaN and negatives: 0).
fn parts(weight: f64) -> u32 {
    if weight.is_nan() {
        return 0;
    }
    (weight.clamp(0.0, 1.0) * f64::from(PARTS)).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:checkout:live";

    fn routing(weights: &[(&str, f64)]) -> AliasRoutingConfiguration {
        let mut builder = AliasRoutingConfiguration::builder();
        for (version, weight) in weights {
            builder = builder.additional_version_weights(*version, *weight);
        }
        builder.build()
    }

    #[test]
    fn alias_arns_give_the_function_and_alias_and_others_are_refused() {
        let alias = LambdaAliasRef::parse(ARN).expect("an alias ARN");
        assert_eq!(
            (alias.arn(), alias.function_name(), alias.alias()),
            (ARN, "checkout", "live")
        );
        let cn = "arn:aws-cn:lambda:cn-north-1:123456789012:function:f-1:blue_2";
        assert_eq!(LambdaAliasRef::parse(cn).expect("aws-cn").alias(), "blue_2");
        for wrong in [
            "arn:aws:lambda:us-east-1:123456789012:function:checkout",
            "arn:aws:lambda:us-east-1:123456789012:function:checkout:7",
            "arn:aws:lambda:us-east-1:123456789012:function:checkout:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function::live",
            "arn:aws:lambda:us-east-1:123456789012:layer:checkout:3",
            "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3",
            "checkout:live",
        ] {
            let err = LambdaAliasRef::parse(wrong).expect_err(wrong);
            assert!(matches!(err, SimulatorError::NotARoute { .. }), "{err}");
            assert!(err.to_string().contains(wrong), "{err}");
        }
    }

    #[test]
    fn the_function_version_gets_what_the_routing_leaves() {
        assert_eq!(
            alias_weights("7", Some(&routing(&[("8", 0.05)]))),
            vec![("7".to_string(), 950_000), ("8".to_string(), 50_000)]
        );
        assert_eq!(
            alias_weights("7", Some(&routing(&[("8", 0.005)]))),
            vec![("7".to_string(), 995_000), ("8".to_string(), 5_000)]
        );
        assert_eq!(
            alias_weights("7", Some(&routing(&[("8", 1.0)]))),
            vec![("7".to_string(), 0), ("8".to_string(), PARTS)]
        );
    }

    #[test]
    fn no_routing_is_all_on_the_function_version() {
        let all = vec![("7".to_string(), PARTS)];
        assert_eq!(alias_weights("7", None), all);
        assert_eq!(alias_weights("7", Some(&routing(&[]))), all);
    }

    #[test]
    fn odd_weights_are_clamped_and_never_overflow() {
        assert_eq!(
            alias_weights("1", Some(&routing(&[("3", 0.7), ("2", 0.6)]))),
            vec![
                ("1".to_string(), 0),
                ("2".to_string(), 600_000),
                ("3".to_string(), 700_000)
            ]
        );
        assert_eq!(
            alias_weights("1", Some(&routing(&[("2", f64::NAN)]))),
            vec![("1".to_string(), PARTS), ("2".to_string(), 0)]
        );
        assert_eq!(
            alias_weights("1", Some(&routing(&[("2", -0.5)])))[1],
            ("2".to_string(), 0)
        );
    }
}
