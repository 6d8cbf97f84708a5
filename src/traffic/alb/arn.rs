//! Pure parsing of Elastic Load Balancing ARNs.
//!
//! ```text
//! arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/demo/50dc6c495c0c9188
//! arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2
//! arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
//! arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-stable/73e2d6bc24d8a067
//! ```
//!
//! CloudWatch's `AWS/ApplicationELB` dimensions are the resource parts of these ARNs:
//! `LoadBalancer=app/<name>/<id>` and `TargetGroup=targetgroup/<name>/<id>`.

use crate::arn::Arn;

/// An ELB ARN: `arn:<partition>:elasticloadbalancing:<region>:<account>:` and the resource part
/// after it.
struct Parts<'a> {
    prefix: &'a str,
    resource: &'a str,
}

fn parse(arn: &str) -> Option<Parts<'_>> {
    let (prefix, resource) = Arn::split(arn, "elasticloadbalancing")?;
    Some(Parts { prefix, resource })
}

/// The resource part split on '/', after checking its kind and number of segments, none empty.
fn segments<'a>(resource: &'a str, kind: &str, count: usize) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = resource.split('/').collect();
    (parts.len() == count + 1 && parts[0] == kind && parts[1..].iter().all(|p| !p.is_empty()))
        .then(|| parts[1..].to_vec())
}

/// The `<type>/<name>/<id>` of the load balancer a load balancer, listener or rule ARN
/// belongs to (e.g. `app/demo/50dc6c495c0c9188`).
fn load_balancer_path(parsed: &Parts<'_>) -> Option<String> {
    let parts = segments(parsed.resource, "loadbalancer", 3)
        .or_else(|| segments(parsed.resource, "listener", 4))
        .or_else(|| segments(parsed.resource, "listener-rule", 5))?;
    Some(parts[..3].join("/"))
}

/// The load balancer ARN from a load balancer, listener or listener rule ARN.
pub fn load_balancer_arn(arn: &str) -> Option<String> {
    let parsed = parse(arn)?;
    let path = load_balancer_path(&parsed)?;
    Some(format!("{}loadbalancer/{path}", parsed.prefix))
}

/// The listener ARN from a listener rule ARN (or a listener ARN, returned as is).
pub fn listener_arn(arn: &str) -> Option<String> {
    let parsed = parse(arn)?;
    let parts = segments(parsed.resource, "listener-rule", 5)
        .or_else(|| segments(parsed.resource, "listener", 4))?;
    Some(format!(
        "{}listener/{}",
        parsed.prefix,
        parts[..4].join("/")
    ))
}

/// CloudWatch's `LoadBalancer` dimension value, `app/<name>/<id>`, from a load balancer,
/// listener or listener rule ARN.
pub fn load_balancer_dimension(arn: &str) -> Option<String> {
    load_balancer_path(&parse(arn)?)
}

/// CloudWatch's `TargetGroup` dimension value, `targetgroup/<name>/<id>`, from a target group
/// ARN.
pub fn target_group_dimension(arn: &str) -> Option<String> {
    let parsed = parse(arn)?;
    segments(parsed.resource, "targetgroup", 2).map(|_| parsed.resource.to_string())
}

/// The target group's name from its ARN.
pub fn target_group_name(arn: &str) -> Option<&str> {
    let parsed = parse(arn)?;
    segments(parsed.resource, "targetgroup", 2)?;
    parsed.resource.split('/').nth(1)
}

/// True when `arn` is an ARN of an Application Load Balancer (or its listener or rule).
pub fn is_application(arn: &str) -> bool {
    load_balancer_dimension(arn).is_some_and(|path| path.starts_with("app/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:";

    fn arn(resource: &str) -> String {
        format!("{PREFIX}{resource}")
    }

    #[test]
    fn load_balancer_arn_from_each_kind() {
        let lb = arn("loadbalancer/app/demo/50dc6c495c0c9188");
        assert_eq!(load_balancer_arn(&lb), Some(lb.clone()));
        assert_eq!(
            load_balancer_arn(&arn("listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2")),
            Some(lb.clone())
        );
        assert_eq!(
            load_balancer_arn(&arn(
                "listener-rule/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
            )),
            Some(lb)
        );
    }

    #[test]
    fn listener_arn_from_rule_arn() {
        let listener = arn("listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2");
        assert_eq!(
            listener_arn(&arn(
                "listener-rule/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
            )),
            Some(listener.clone())
        );
        assert_eq!(listener_arn(&listener), Some(listener.clone()));
        assert_eq!(listener_arn(&arn("loadbalancer/app/demo/50dc")), None);
    }

    #[test]
    fn dimensions_are_the_resource_paths() {
        assert_eq!(
            load_balancer_dimension(&arn("loadbalancer/app/demo/50dc6c495c0c9188")).as_deref(),
            Some("app/demo/50dc6c495c0c9188")
        );
        assert_eq!(
            load_balancer_dimension(&arn("listener-rule/app/demo/50dc/f2f7/9683")).as_deref(),
            Some("app/demo/50dc")
        );
        assert_eq!(
            target_group_dimension(&arn("targetgroup/demo-stable/73e2d6bc24d8a067")).as_deref(),
            Some("targetgroup/demo-stable/73e2d6bc24d8a067")
        );
        assert_eq!(
            target_group_name(&arn("targetgroup/demo-stable/73e2")),
            Some("demo-stable")
        );
    }

    #[test]
    fn other_partitions_are_fine() {
        let lb = "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/x/1";
        assert_eq!(
            load_balancer_arn(
                "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:listener/app/x/1/2"
            )
            .as_deref(),
            Some(lb)
        );
    }

    #[test]
    fn network_load_balancers_are_not_application() {
        assert!(is_application(&arn("listener/app/demo/1/2")));
        assert!(!is_application(&arn("listener/net/demo/1/2")));
        assert!(!is_application("not an arn"));
    }

    #[test]
    fn malformed_arns_are_refused() {
        for bad in [
            String::new(),
            "demo-stable".to_string(),
            "arn:aws:elasticloadbalancing:us-east-1".to_string(),
            "arn:aws:lambda:us-east-1:123456789012:function:f".to_string(),
            "arn:aws:ec2:us-east-1:123456789012:targetgroup/x/1".to_string(),
            arn("targetgroup/demo-stable"),
            arn("targetgroup//1"),
            arn("targetgroup/a/1/extra"),
            arn("listener/app/demo/1"),
            arn("loadbalancer/app/demo/1/2"),
        ] {
            assert_eq!(target_group_dimension(&bad), None, "{bad}");
            assert_eq!(load_balancer_arn(&bad), None, "{bad}");
            assert_eq!(load_balancer_dimension(&bad), None, "{bad}");
        }
        assert_eq!(target_group_name(&arn("listener/app/demo/1/2")), None);
    }
}
