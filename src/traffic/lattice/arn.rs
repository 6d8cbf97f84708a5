//! Pure parsing of VPC Lattice ARNs.
//!
//! ```text
//! arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0
//! arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0
//! arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0
//! arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0
//! ```
//!
//! A listener or rule ARN names its service (and a rule ARN its listener), which is how a
//! playbook can give just the ARN, and how resolution checks that the parts belong together.

/// The ids in a service, listener or rule ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicePath<'a> {
    /// `arn:<partition>:vpc-lattice:<region>:<account>:`
    prefix: &'a str,
    pub service_id: &'a str,
    pub listener_id: Option<&'a str>,
    pub rule_id: Option<&'a str>,
}

impl<'a> ServicePath<'a> {
    /// Parses a service, listener or rule ARN; `None` for anything else.
    pub fn parse(arn: &'a str) -> Option<ServicePath<'a>> {
        let (prefix, resource) = split(arn)?;
        let parts: Vec<&str> = resource.split('/').collect();
        let id = |index: usize, kind: &str, id_prefix: &str| {
            (parts.get(index) == Some(&kind))
                .then(|| parts.get(index + 1).copied())
                .flatten()
                .filter(|id| is_id(id, id_prefix))
        };
        let service_id = id(0, "service", "svc-")?;
        let (listener_id, rule_id) = match parts.len() {
            2 => (None, None),
            4 => (Some(id(2, "listener", "listener-")?), None),
            6 => (
                Some(id(2, "listener", "listener-")?),
                Some(id(4, "rule", "rule-")?),
            ),
            _ => return None,
        };
        Some(ServicePath {
            prefix,
            service_id,
            listener_id,
            rule_id,
        })
    }

    /// The ARN of the service (of a service, listener or rule ARN).
    pub fn service_arn(&self) -> String {
        format!("{}service/{}", self.prefix, self.service_id)
    }

    /// The ARN of the listener (of a listener or rule ARN).
    pub fn listener_arn(&self) -> Option<String> {
        let listener = self.listener_id?;
        Some(format!("{}/listener/{listener}", self.service_arn()))
    }

    /// True for a service ARN (no listener, no rule).
    pub fn is_service(&self) -> bool {
        self.listener_id.is_none()
    }

    /// True for a listener ARN (a listener, no rule).
    pub fn is_listener(&self) -> bool {
        self.listener_id.is_some() && self.rule_id.is_none()
    }

    /// True for a rule ARN.
    pub fn is_rule(&self) -> bool {
        self.rule_id.is_some()
    }
}

/// The target group id (`tg-…`) of a target group ARN.
pub fn target_group_id(arn: &str) -> Option<&str> {
    let (_, resource) = split(arn)?;
    resource
        .strip_prefix("targetgroup/")
        .filter(|id| is_id(id, "tg-"))
}

/// The last part of any Lattice ARN (the resource's id), e.g. for a response without an id.
pub fn id_of(arn: &str) -> Option<&str> {
    let (_, resource) = split(arn)?;
    resource.rsplit('/').next().filter(|id| !id.is_empty())
}

/// `arn:<partition>:vpc-lattice:<region>:<account>:` and the resource part after it.
fn split(arn: &str) -> Option<(&str, &str)> {
    crate::arn::Arn::split(arn, "vpc-lattice")
}

/// `svc-…`, `listener-…`, `rule-…` or `tg-…`: the prefix, then letters and digits.
fn is_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:";
    const SVC: &str = "svc-0123456789abcdef0";
    const LISTENER: &str = "listener-0123456789abcdef1";
    const RULE: &str = "rule-0123456789abcdef2";

    fn arn(resource: &str) -> String {
        format!("{PREFIX}{resource}")
    }

    #[test]
    fn a_rule_arn_names_its_service_and_listener() {
        let rule = arn(&format!("service/{SVC}/listener/{LISTENER}/rule/{RULE}"));
        let path = ServicePath::parse(&rule).unwrap();
        assert_eq!(
            (path.service_id, path.listener_id, path.rule_id),
            (SVC, Some(LISTENER), Some(RULE))
        );
        assert!(path.is_rule() && !path.is_listener() && !path.is_service());
        assert_eq!(path.service_arn(), arn(&format!("service/{SVC}")));
        assert_eq!(
            path.listener_arn(),
            Some(arn(&format!("service/{SVC}/listener/{LISTENER}")))
        );
        assert_eq!(id_of(&rule), Some(RULE));
    }

    #[test]
    fn listener_and_service_arns() {
        let listener = arn(&format!("service/{SVC}/listener/{LISTENER}"));
        let path = ServicePath::parse(&listener).unwrap();
        assert!(path.is_listener());
        assert_eq!(path.rule_id, None);
        assert_eq!(path.listener_arn().as_deref(), Some(listener.as_str()));

        let service = arn(&format!("service/{SVC}"));
        let path = ServicePath::parse(&service).unwrap();
        assert!(path.is_service());
        assert_eq!(path.listener_arn(), None);
        assert_eq!(path.service_arn(), service);
    }

    #[test]
    fn target_group_ids() {
        assert_eq!(
            target_group_id(&arn("targetgroup/tg-00aa11bb22cc33dd4")),
            Some("tg-00aa11bb22cc33dd4")
        );
        assert_eq!(
            target_group_id(&arn(&format!("service/{SVC}"))),
            None,
            "a service is not a target group"
        );
        assert_eq!(
            target_group_id("tg-00aa11bb22cc33dd4"),
            None,
            "an id is not an ARN"
        );
    }

    #[test]
    fn other_partitions_are_fine() {
        let listener = format!(
            "arn:aws-cn:vpc-lattice:cn-north-1:123456789012:service/{SVC}/listener/{LISTENER}"
        );
        let path = ServicePath::parse(&listener).unwrap();
        assert_eq!(
            path.service_arn(),
            format!("arn:aws-cn:vpc-lattice:cn-north-1:123456789012:service/{SVC}")
        );
    }

    #[test]
    fn malformed_arns_are_refused() {
        for bad in [
            String::new(),
            SVC.to_string(),
            "arn:aws:vpc-lattice:us-east-1".to_string(),
            format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:service/{SVC}"),
            format!("arn:aws:vpc-lattice::123456789012:service/{SVC}"),
            arn("service/"),
            arn("service/svc-"),
            arn("service/demo"),
            arn(&format!("service/{SVC}/listener")),
            arn(&format!("service/{SVC}/listener/{RULE}")),
            arn(&format!("service/{SVC}/rule/{RULE}")),
            arn(&format!(
                "service/{SVC}/listener/{LISTENER}/rule/{RULE}/extra"
            )),
            arn(&format!("service/{SVC}/listener/{LISTENER}/rule/")),
            arn("targetgroup/tg-1"),
            arn("servicenetwork/sn-0123"),
        ] {
            assert_eq!(ServicePath::parse(&bad), None, "{bad}");
        }
        for bad in [
            arn("targetgroup/"),
            arn("targetgroup/tg-"),
            arn("targetgroup/tg-1/x"),
            arn("targetgroup/demo"),
        ] {
            assert_eq!(target_group_id(&bad), None, "{bad}");
        }
    }
}
