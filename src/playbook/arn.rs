//! Shapes of Elastic Load Balancing ARNs and names, checked before any AWS call.

use super::error::Bad;
use crate::arn::{Arn, OwnedArn};

const LISTENER_EXAMPLE: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE_EXAMPLE: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
const TG_EXAMPLE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";

/// A checked `arn:<partition>:elasticloadbalancing:<region>:<account>:<resource>` ARN.
pub(crate) type ElbArn = OwnedArn;

/// What a resource ARN is expected to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArnKind {
    Listener,
    Rule,
    TargetGroup,
}

impl ArnKind {
    fn noun(self) -> &'static str {
        match self {
            ArnKind::Listener => "listener",
            ArnKind::Rule => "listener rule",
            ArnKind::TargetGroup => "target group",
        }
    }
    fn example(self) -> &'static str {
        match self {
            ArnKind::Listener => LISTENER_EXAMPLE,
            ArnKind::Rule => RULE_EXAMPLE,
            ArnKind::TargetGroup => TG_EXAMPLE,
        }
    }
    fn shape(self) -> &'static str {
        match self {
            ArnKind::Listener => "listener/app/<load-balancer>/<id>/<id>",
            ArnKind::Rule => "listener-rule/app/<load-balancer>/<id>/<id>/<id>",
            ArnKind::TargetGroup => "targetgroup/<name>/<id>",
        }
    }
    fn hint(self) -> String {
        let source = match self {
            ArnKind::Listener => "aws elbv2 describe-listeners",
            ArnKind::Rule => "aws elbv2 describe-rules",
            ArnKind::TargetGroup => "aws elbv2 describe-target-groups",
        };
        format!(
            "a {} ARN looks like `{}`; copy it from `{source}`",
            self.noun(),
            self.example()
        )
    }
}

/// Parse `raw` as an ELB ARN of the given kind; the error says which part is wrong.
pub(crate) fn parse(raw: &str, kind: ArnKind) -> Result<ElbArn, Bad> {
    let bad = |what: String| {
        Bad::new(
            format!("`{raw}` is not a {} ARN: {what}", kind.noun()),
            kind.hint(),
        )
    };
    let Some(parsed) = Arn::parse(raw) else {
        return Err(bad("an ARN has the form `arn:<partition>:elasticloadbalancing:<region>:<account>:<resource>`".into()));
    };
    let Arn {
        partition,
        service,
        region,
        account,
        resource,
    } = parsed;
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
        return Err(bad(format!(
            "the partition `{partition}` is not `aws`, `aws-cn` or `aws-us-gov`"
        )));
    }
    if service != "elasticloadbalancing" {
        return Err(bad(format!(
            "the service is `{service}`, not `elasticloadbalancing`"
        )));
    }
    if !is_region(region) {
        return Err(bad(format!(
            "`{region}` is not a region such as `us-east-1`"
        )));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("the account `{account}` is not 12 digits")));
    }
    let actual = resource_kind(resource);
    if actual != Some(kind) {
        let swapped = |key: &str, other: &str| {
            Bad::new(
                format!("`{raw}` is not a {} ARN: it names a {other}", kind.noun()),
                format!("write it as `{key}: {raw}`"),
            )
        };
        return Err(match (actual, kind) {
            (Some(ArnKind::Rule), ArnKind::Listener) => swapped("rule", "listener rule"),
            (Some(ArnKind::Listener), ArnKind::Rule) => swapped("listener", "listener"),
            _ if resource.starts_with("listener/net/") || resource.starts_with("listener-rule/net/") => bad(
                "it belongs to a network load balancer, which has no weighted forward actions; use an application load balancer (`app/`)".to_string(),
            ),
            _ => bad(format!("the resource `{resource}` does not have the form `{}`", kind.shape())),
        });
    }
    OwnedArn::parse(raw).ok_or_else(|| bad("it is not an ARN".into()))
}

/// Which kind of resource `resource` names, if any (shape only).
fn resource_kind(resource: &str) -> Option<ArnKind> {
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        ["listener", "app", lb, a, b] if is_lb_name(lb) && is_hex(a) && is_hex(b) => {
            Some(ArnKind::Listener)
        }
        ["listener-rule", "app", lb, a, b, c]
            if is_lb_name(lb) && is_hex(a) && is_hex(b) && is_hex(c) =>
        {
            Some(ArnKind::Rule)
        }
        ["targetgroup", name, id] if target_group_name(name).is_ok() && is_hex(id) => {
            Some(ArnKind::TargetGroup)
        }
        _ => None,
    }
}

/// The target group name inside a target group ARN (`targetgroup/<name>/<id>`).
pub(crate) fn target_group_name_of(arn: &ElbArn) -> &str {
    arn.resource().split('/').nth(1).unwrap_or("")
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`...
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_lb_name(s: &str) -> bool {
    elb_name(s).is_ok()
}

/// 1–32 characters, letters, digits and hyphens, not starting or ending with a hyphen.
fn elb_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 32 {
        return Err("must be 1–32 characters".into());
    }
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err("may contain only letters, digits and hyphens".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must not start or end with a hyphen".into());
    }
    Ok(())
}

/// A target group name as AWS accepts it.
pub(crate) fn target_group_name(s: &str) -> Result<(), Bad> {
    elb_name(s).map_err(|why| {
        Bad::new(
            format!("target group name `{s}` {why}"),
            format!(
                "write the target group's name (1–32 letters, digits and hyphens, e.g. `checkout-canary`) or its ARN (`{TG_EXAMPLE}`)"
            ),
        )
    })
}

/// A load balancer name as AWS accepts it (and not an ARN).
pub(crate) fn load_balancer_name(s: &str) -> Result<(), Bad> {
    let hint = "write the load balancer's name as shown by `aws elbv2 describe-load-balancers`, e.g. `load_balancer: my-alb`";
    if s.starts_with("arn:") {
        return Err(Bad::new(
            format!("`load_balancer` takes a name, and `{s}` is an ARN"),
            format!("{hint}; or give the listener by ARN with `listener:`"),
        ));
    }
    if s.starts_with("internal-") {
        return Err(Bad::new(
            format!("load balancer name `{s}` must not start with `internal-`"),
            hint,
        ));
    }
    elb_name(s).map_err(|why| Bad::new(format!("load balancer name `{s}` {why}"), hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_shapes() {
        let l = parse(LISTENER_EXAMPLE, ArnKind::Listener).unwrap();
        assert_eq!(
            (l.partition(), l.region(), l.account()),
            ("aws", "us-east-1", "123456789012")
        );
        parse(RULE_EXAMPLE, ArnKind::Rule).unwrap();
        let tg = parse(TG_EXAMPLE, ArnKind::TargetGroup).unwrap();
        assert_eq!(target_group_name_of(&tg), "my-targets");
        parse(
            "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/a/1",
            ArnKind::TargetGroup,
        )
        .unwrap();
        parse(
            "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/a/ABCDEF",
            ArnKind::TargetGroup,
        )
        .unwrap();
    }

    #[test]
    fn accepts_emulator_rule_ids() {
        // moto appends a decimal object id to rule ARNs.
        let rule = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo-alb/0123456789abcdef/fedcba9876543210/140233011122512";
        parse(rule, ArnKind::Rule).unwrap();
    }

    #[test]
    fn says_which_part_is_wrong() {
        let msg = |raw: &str, kind| parse(raw, kind).unwrap_err().message;
        let elb = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
        for (raw, kind, says) in [
            ("my-listener".to_string(), ArnKind::Listener, "has the form"),
            (
                "arn:aws:ec2:us-east-1:123456789012:listener/app/a/1/2".to_string(),
                ArnKind::Listener,
                "service is `ec2`",
            ),
            (
                "arn:awz:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2"
                    .to_string(),
                ArnKind::Listener,
                "partition",
            ),
            (
                "arn:aws:elasticloadbalancing:useast:123456789012:listener/app/a/1/2".to_string(),
                ArnKind::Listener,
                "region",
            ),
            (
                "arn:aws:elasticloadbalancing:us-east-1:1234:listener/app/a/1/2".to_string(),
                ArnKind::Listener,
                "12 digits",
            ),
            (
                RULE_EXAMPLE.to_string(),
                ArnKind::Listener,
                "it names a listener rule",
            ),
            (
                LISTENER_EXAMPLE.to_string(),
                ArnKind::Rule,
                "it names a listener",
            ),
            (
                format!("{elb}:listener/net/a/1/2"),
                ArnKind::Listener,
                "network load balancer",
            ),
            (
                format!("{elb}:targetgroup/a/xyz"),
                ArnKind::TargetGroup,
                "does not have the form",
            ),
        ] {
            assert!(msg(&raw, kind).contains(says), "{raw}");
        }
        assert!(parse(RULE_EXAMPLE, ArnKind::Listener)
            .unwrap_err()
            .hint
            .starts_with("write it as `rule: arn:"));
        assert!(parse(TG_EXAMPLE, ArnKind::Listener)
            .unwrap_err()
            .hint
            .contains("describe-listeners"));
    }

    #[test]
    fn names_follow_aws_rules() {
        assert!(target_group_name("checkout-ec2").is_ok());
        assert!(target_group_name(&"a".repeat(32)).is_ok());
        assert!(target_group_name(&"a".repeat(33)).is_err());
        assert!(target_group_name("-x").is_err());
        assert!(target_group_name("x-").is_err());
        assert!(target_group_name("a_b").is_err());
        assert!(target_group_name("").is_err());
        assert!(load_balancer_name("demo-alb").is_ok());
        assert!(load_balancer_name("internal-x").is_err());
        assert!(load_balancer_name(TG_EXAMPLE)
            .unwrap_err()
            .message
            .contains("is an ARN"));
    }
}
