//! An operator's `--target`, checked on its text alone before any AWS call: an ARN at all, of a
//! resource that can carry a route's weights (an ALB listener or listener rule, a VPC Lattice
//! listener or rule; a Lambda alias is checked in [`super::location`]). Anything else would cost
//! an STS call and a tag read to find nothing; here it is refused saying what to give instead.

use crate::arn::Arn;
use crate::traffic::lattice::arn::ServicePath;

/// The longest ARN AWS issues.
const MAX_ARN: usize = 2048;

const GIVE: &str = "give the ARN of the ALB or VPC Lattice rule or listener, or of the Lambda \
                    alias, whose weights the deployment shifts";

/// Why `text` cannot be a `--target`, or `Ok` when its shape can carry a route (a Lambda ARN
/// is left to the alias check).
#[cfg(test)]
fn check(text: &str) -> Result<(), String> {
    check_given("--target", text)
}

/// The check of the ARN given with `flag` (`--target`, `--from`), named so in the messages.
pub(super) fn check_given(flag: &str, text: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("{flag} {} {why}; {GIVE}", shown(text)));
    if text.trim().is_empty() {
        return Err(format!("{flag} is empty; {GIVE}"));
    }
    if text.len() > MAX_ARN {
        return bad(&format!(
            "is {} characters long, and an ARN is at most {MAX_ARN}",
            text.len()
        ));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains a space, a line break or a control character, which no ARN has");
    }
    let Some(arn) = Arn::parse(text) else {
        return bad("is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)");
    };
    if arn.region.is_empty() || arn.account.is_empty() {
        return bad("has no region or no account, which a routed resource's ARN has");
    }
    match arn.service {
        "elasticloadbalancing" => load_balancer(arn.resource).map_or(Ok(()), |why| bad(&why)),
        "vpc-lattice" => lattice(text).map_or(Ok(()), |why| bad(&why)),
        "lambda" => Ok(()),
        service => bad(&format!(
            "is an ARN of `{}`, which routes no traffic canary-deploy shifts",
            shown(service)
        )),
    }
}

/// Why an Elastic Load Balancing resource part is not an ALB listener or listener rule.
fn load_balancer(resource: &str) -> Option<String> {
    let segments: Vec<&str> = resource.split('/').collect();
    let filled = |n: usize| segments.len() == n && segments.iter().all(|s| !s.is_empty());
    match segments.first().copied() {
        Some("listener" | "listener-rule") if segments.get(1) != Some(&"app") => Some(
            "is not of an application load balancer (`app/`): only an ALB has weighted forward \
             actions"
                .into(),
        ),
        Some("listener") if filled(5) => None,
        Some("listener-rule") if filled(6) => None,
        Some("targetgroup") => {
            Some("names a target group, not the rule or listener that forwards to it".into())
        }
        Some("loadbalancer") => {
            Some("names a load balancer, not one of its listeners or listener rules".into())
        }
        _ => Some(
            "is not an ALB listener (`listener/app/<name>/<id>/<id>`) or listener rule \
             (`listener-rule/app/<name>/<id>/<id>/<id>`) ARN"
                .into(),
        ),
    }
}

/// Why a VPC Lattice ARN is not a listener's or a rule's.
fn lattice(text: &str) -> Option<String> {
    match ServicePath::parse(text) {
        Some(path) if path.is_listener() || path.is_rule() => None,
        Some(_) => Some("names a VPC Lattice service, not one of its listeners or rules".into()),
        None if crate::traffic::lattice::arn::target_group_id(text).is_some() => {
            Some("names a target group, not the listener or rule that forwards to it".into())
        }
        None => Some(
            "is not a VPC Lattice listener (`service/svc-…/listener/listener-…`) or rule ARN"
                .into(),
        ),
    }
}

/// `text` to echo in a message: on one line, at most 200 characters (any real ARN fits).
pub(super) fn shown(text: &str) -> String {
    crate::text::shown(text, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ELB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:";
    const LATTICE: &str =
        "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0";

    #[test]
    fn routed_resources_pass() {
        for ok in [
            format!("{ELB}listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2"),
            format!("{ELB}listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d0"),
            format!("{LATTICE}/listener/listener-0123456789abcdef1"),
            format!("{LATTICE}/listener/listener-0123456789abcdef1/rule/rule-0a"),
            "arn:aws:lambda:us-east-1:123456789012:function:f:live".to_string(),
        ] {
            assert_eq!(check(&ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_else_says_why() {
        for (text, why) in [
            (String::new(), "--target is empty"),
            ("   ".into(), "--target is empty"),
            ("checkout".into(), "is not an ARN"),
            ("arn:aws:s3:::bucket".into(), "has no region or no account"),
            (
                "arn:aws:sqs:us-east-1:123456789012:q".into(),
                "is an ARN of `sqs`",
            ),
            (
                format!("{ELB}targetgroup/tg/73e2d6bc24d8a067"),
                "names a target group",
            ),
            (
                format!("{ELB}loadbalancer/app/shop/1"),
                "names a load balancer",
            ),
            (
                format!("{ELB}listener/net/shop/1/2"),
                "application load balancer",
            ),
            (
                format!("{ELB}listener/app/shop/1"),
                "is not an ALB listener",
            ),
            (LATTICE.to_string(), "names a VPC Lattice service"),
            (
                "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0a".into(),
                "names a target group",
            ),
            (format!("{ELB}listener/app/a/1/2\nx"), "a line break"),
            (format!("{ELB}{}", "a".repeat(100_000)), "characters long"),
        ] {
            let err = check(&text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
            assert!(err.len() < 400, "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
