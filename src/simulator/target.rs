//! `--target` specs of the `traffic-sim` binary: a target group and its profile.
//!
//! Here rather than in the binary because telling the backends' target groups apart is ARN
//! knowledge (`traffic::alb::arn`, `traffic::lattice::arn`), and so that it is unit-tested with
//! the library. A spec is `<target-group>=<error_rate>,<latency_ms>,<p99_ms>[,<failure>]`, where
//! `failure` says how the failed requests show ([`Failure`]: `error`, the default;
//! `lambda-user-error` or `lambda-internal-error` on an ALB target group of Lambda functions;
//! `throttle` on a Lambda version), and the target
//! group is an ALB target group ARN (`…:targetgroup/<name>/<id>`), or a VPC Lattice target group
//! ARN (`…:targetgroup/tg-…`) or id (`tg-` and 17 lowercase letters or digits, AWS's pattern),
//! or, for a Lambda alias, a published version number (`8`). Each target carries the key its
//! weight is read under (ALB: the ARN, as in the forward action; Lattice: the id, to which the
//! weights are normalised; Lambda: the version) and its CloudWatch dimension value.

use super::{Failure, SimTarget, TargetProfile};
use crate::traffic::alb::arn::target_group_dimension;
use crate::traffic::lattice::arn::target_group_id;

/// Which backend a target group belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Alb,
    Lattice,
    /// A version of a Lambda alias.
    Lambda,
}

impl TargetKind {
    /// "an ALB" or "a VPC Lattice", for messages.
    pub fn describe(self) -> &'static str {
        match self {
            TargetKind::Alb => "an ALB",
            TargetKind::Lattice => "a VPC Lattice",
            TargetKind::Lambda => "a Lambda alias",
        }
    }

    /// What to pass for a route of this kind, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            TargetKind::Alb => "ALB target group ARNs (…:targetgroup/NAME/ID)",
            TargetKind::Lattice => "VPC Lattice target group ARNs or ids (tg-…)",
            TargetKind::Lambda => "the alias's version numbers (8=0.05,130,320)",
        }
    }
}

/// One `--target`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The target group as given (ARN or id), for messages.
    pub identifier: String,
    pub kind: TargetKind,
    /// What the route's weights are keyed by: the ARN (ALB), the `tg-…` id (Lattice) or the
    /// version number (Lambda).
    pub key: String,
    pub sim: SimTarget,
}

const USAGE: &str = "expected <target-group>=<error_rate>,<latency_ms>,<p99_ms>[,<failure>]";

/// The failures a `--target` can name, and which backend has them (`None`: every backend).
const FAILURES: [(&str, Failure, Option<TargetKind>); 4] = [
    ("error", Failure::Error, None),
    (
        "lambda-user-error",
        Failure::LambdaUserError,
        Some(TargetKind::Alb),
    ),
    (
        "lambda-internal-error",
        Failure::LambdaInternalError,
        Some(TargetKind::Alb),
    ),
    ("throttle", Failure::Throttle, Some(TargetKind::Lambda)),
];

/// Parses `<target-group>=<error_rate>,<latency_ms>,<p99_ms>`.
pub fn parse_target(spec: &str) -> Result<Target, String> {
    let (identifier, profile) = spec
        .split_once('=')
        .ok_or_else(|| format!("{spec:?}: {USAGE}"))?;
    let (kind, key, dimension) = if let Some(dimension) = target_group_dimension(identifier) {
        (TargetKind::Alb, identifier.to_string(), dimension)
    } else if let Some(id) = lattice_id(identifier) {
        (TargetKind::Lattice, id.to_string(), id.to_string())
    } else if is_version(identifier) {
        (
            TargetKind::Lambda,
            identifier.to_string(),
            identifier.to_string(),
        )
    } else {
        return Err(format!(
            "{identifier:?} is not a target group: pass an ALB target group ARN \
             (…:targetgroup/NAME/ID), or a VPC Lattice target group ARN (…:targetgroup/tg-…) or \
             id (tg- and 17 lowercase letters or digits), or a Lambda version number (8)"
        ));
    };
    Ok(Target {
        identifier: identifier.to_string(),
        kind,
        key,
        sim: SimTarget {
            target_group_dimension: dimension,
            profile: parse_profile(profile, kind)?,
        },
    })
}

/// Each target with its requests of one second: `split` is the second's requests in the order
/// of the route's `weights`, matched to the targets by [`Target::key`]; a target the route does
/// not forward to gets none.
pub fn requests_per_target(
    targets: &[Target],
    weights: &[(String, u32)],
    split: &[u64],
) -> Vec<(SimTarget, u64)> {
    targets
        .iter()
        .map(|target| {
            let requests = weights
                .iter()
                .zip(split)
                .filter(|((key, _), _)| *key == target.key)
                .map(|(_, n)| *n)
                .sum();
            (target.sim.clone(), requests)
        })
        .collect()
}

/// A published Lambda version: digits only (`$LATEST` takes no share of an alias).
fn is_version(identifier: &str) -> bool {
    !identifier.is_empty() && identifier.chars().all(|c| c.is_ascii_digit())
}

/// The id of a Lattice target group ARN or id, if it has AWS's id pattern `tg-[0-9a-z]{17}`.
fn lattice_id(identifier: &str) -> Option<&str> {
    let id = target_group_id(identifier).unwrap_or(identifier);
    let rest = id.strip_prefix("tg-")?;
    let valid = rest.len() == 17
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    valid.then_some(id)
}

fn parse_profile(profile: &str, kind: TargetKind) -> Result<TargetProfile, String> {
    let mut fields: Vec<&str> = profile.split(',').map(str::trim).collect();
    let failure = match fields.len() {
        4 => failure(fields.pop().unwrap_or_default(), kind)?,
        _ => Failure::Error,
    };
    let numbers: Vec<f64> = fields
        .iter()
        .map(|n| n.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{profile:?}: {e}; {USAGE}"))?;
    let [error_rate, latency_ms, p99_ms] = numbers[..] else {
        return Err(format!("{profile:?}: {USAGE}"));
    };
    if !(0.0..=1.0).contains(&error_rate) {
        return Err(format!("error rate {error_rate} must be between 0 and 1"));
    }
    if !(latency_ms >= 0.0 && p99_ms >= latency_ms) {
        return Err(format!(
            "latencies {latency_ms},{p99_ms}: need 0 <= latency_ms <= p99_ms"
        ));
    }
    Ok(TargetProfile {
        error_rate,
        latency_ms,
        p99_ms,
        failure,
    })
}

/// The failure named `name`, if `kind`'s backend has it.
fn failure(name: &str, kind: TargetKind) -> Result<Failure, String> {
    let names: Vec<&str> = FAILURES.iter().map(|(n, _, _)| *n).collect();
    let Some((_, failure, only)) = FAILURES.iter().find(|(n, _, _)| *n == name) else {
        return Err(format!(
            "failure {name:?} is not one of {}",
            names.join(", ")
        ));
    };
    match only {
        Some(only) if *only != kind => Err(format!(
            "failure {name:?} is for {} target, and this is {} one",
            only.describe(),
            kind.describe()
        )),
        _ => Ok(*failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALB_TG: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/943f";
    const LATTICE_ID: &str = "tg-0fedcba9876543210";

    #[test]
    fn alb_target_specs_parse() {
        let t = parse_target(&format!("{ALB_TG}=0.02,50,400")).expect("valid");
        assert_eq!(t.kind, TargetKind::Alb);
        assert_eq!(t.key, ALB_TG);
        assert_eq!(t.identifier, ALB_TG);
        assert_eq!(t.sim.target_group_dimension, "targetgroup/green/943f");
        assert_eq!(t.sim.profile.p99_ms, 400.0);
        assert!(parse_target("arn:x:targetgroup/g/1").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=2,1,2").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=0.1,5,2").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=0.1,5").is_err());
        assert!(parse_target("not-an-arn=0.1,1,2").is_err());
    }

    #[test]
    fn lattice_target_specs_parse_by_id_or_arn_to_the_id() {
        let arn = format!("arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/{LATTICE_ID}");
        for identifier in [LATTICE_ID, arn.as_str()] {
            let t = parse_target(&format!("{identifier}=0.5,10,20")).expect("valid");
            assert_eq!(t.kind, TargetKind::Lattice);
            assert_eq!(t.identifier, identifier);
            assert_eq!(t.key, LATTICE_ID);
            assert_eq!(t.sim.target_group_dimension, LATTICE_ID);
            assert_eq!(t.sim.profile.error_rate, 0.5);
        }
        for bad in [
            "tg-1",
            "tg-0FEDCBA9876543210",
            "tg-0fedcba98765432100",
            "tg-0fedcba987654321-",
            "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-1",
            "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0fedcba9876543210",
        ] {
            let err = parse_target(&format!("{bad}=0,1,2")).expect_err(bad);
            assert!(err.contains("is not a target group"), "{err}");
        }
        assert!(parse_target(&format!("{LATTICE_ID}=0,5,1")).is_err());
    }

    #[test]
    fn lambda_version_specs_parse_to_the_version() {
        let t = parse_target("8=0.05,130,320").expect("valid");
        assert_eq!(t.kind, TargetKind::Lambda);
        assert_eq!((t.key.as_str(), t.identifier.as_str()), ("8", "8"));
        assert_eq!(t.sim.target_group_dimension, "8");
        assert_eq!(t.sim.profile.p99_ms, 320.0);
        for bad in ["$LATEST", "8a", "-8", "live"] {
            let err = parse_target(&format!("{bad}=0,1,2")).expect_err(bad);
            assert!(err.contains("a Lambda version number"), "{err}");
        }
    }

    #[test]
    fn a_fourth_field_names_the_failure_of_the_backend() {
        let profile = |spec: &str| parse_target(spec).map(|t| t.sim.profile.failure);
        assert_eq!(profile("8=0.05,130,320"), Ok(Failure::Error));
        assert_eq!(profile("8=0.05,130,320,throttle"), Ok(Failure::Throttle));
        assert_eq!(profile("8=0.05,130,320, error"), Ok(Failure::Error));
        assert_eq!(
            profile(&format!("{ALB_TG}=0.05,50,400,lambda-user-error")),
            Ok(Failure::LambdaUserError)
        );
        assert_eq!(
            profile(&format!("{ALB_TG}=0.05,50,400,lambda-internal-error")),
            Ok(Failure::LambdaInternalError)
        );
        let err = profile(&format!("{ALB_TG}=0.05,50,400,throttle")).unwrap_err();
        assert_eq!(
            err,
            "failure \"throttle\" is for a Lambda alias target, and this is an ALB one"
        );
        let err = profile("8=0.05,130,320,lambda-user-error").unwrap_err();
        assert!(err.contains("is for an ALB target"), "{err}");
        let err = profile(&format!("{LATTICE_ID}=0.05,1,2,oops")).unwrap_err();
        assert!(
            err.contains("is not one of error, lambda-user-error"),
            "{err}"
        );
        assert!(profile("8=0.05,130,320,throttle,x").is_err());
    }

    #[test]
    fn each_target_gets_the_requests_of_its_key() {
        let targets: Vec<Target> = [format!("{ALB_TG}=0,1,2"), format!("{LATTICE_ID}=0,1,2")]
            .iter()
            .map(|spec| parse_target(spec).expect("valid"))
            .collect();
        let weights = [
            (LATTICE_ID.to_string(), 40),
            ("tg-elsewhere".to_string(), 20),
            (ALB_TG.to_string(), 60),
        ];
        let got = requests_per_target(&targets, &weights, &[4, 2, 6]);
        let got: Vec<(&str, u64)> = got
            .iter()
            .map(|(t, n)| (t.target_group_dimension.as_str(), *n))
            .collect();
        assert_eq!(got, vec![("targetgroup/green/943f", 6), (LATTICE_ID, 4)]);
        let none = requests_per_target(&targets, &[], &[]);
        assert!(none.iter().all(|(_, n)| *n == 0));
    }
}
