//! The Lattice route after resolution: verified ids and ARNs (names when known), and the words
//! messages use for it.
//!
//! Requests carry the ids; a forward action may name a target group by id or by ARN, so both are
//! kept and [`LatticeResource::is`] accepts either. The metrics layer builds its dimensions from
//! the same ids.

/// One verified VPC Lattice resource (service, listener, rule or target group).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LatticeResource {
    /// `svc-…`, `listener-…`, `rule-…` or `tg-…`
    pub id: String,
    pub arn: String,
    /// Its name, when the playbook or an AWS response gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl LatticeResource {
    /// True when `identifier` (a forward's `targetGroupIdentifier`: an id or an ARN) is this.
    pub fn is(&self, identifier: &str) -> bool {
        identifier == self.id || identifier == self.arn
    }

    /// The name when known, else the id.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// "name (id)" when the name is known, else the id.
    pub fn label_with_id(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// The route as verified ids and ARNs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResolvedLattice {
    pub service: LatticeResource,
    pub listener: LatticeResource,
    /// The rule carrying the weights; `None` for the listener's default action.
    pub rule: Option<LatticeResource>,
    pub stable: LatticeResource,
    pub canary: LatticeResource,
}

impl ResolvedLattice {
    /// The resource whose action carries the weights, for messages: "Lattice rule arn:… of
    /// listener … of service …" or "Lattice listener arn:… (default action) of service …".
    pub fn resource(&self) -> String {
        let service = self.service.label();
        match &self.rule {
            Some(rule) => format!(
                "Lattice rule {} of listener {} of service {service}",
                rule.arn,
                self.listener.label()
            ),
            None => format!(
                "Lattice listener {} (default action) of service {service}",
                self.listener.arn
            ),
        }
    }

    /// [`crate::traffic::Router::describe`]: "Lattice rule rule-… of service demo (stable
    /// demo-stable, canary demo-canary)".
    pub fn describe(&self) -> String {
        let groups = format!(
            "(stable {}, canary {})",
            self.stable.label(),
            self.canary.label()
        );
        let service = self.service.label();
        match &self.rule {
            Some(rule) => format!("Lattice rule {} of service {service} {groups}", rule.id),
            None => format!(
                "Lattice listener {} default action of service {service} {groups}",
                self.listener.id
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:";

    fn resource(path: &str, id: &str, name: Option<&str>) -> LatticeResource {
        LatticeResource {
            id: id.into(),
            arn: format!("{PREFIX}{path}"),
            name: name.map(str::to_string),
        }
    }

    fn resolved(rule: bool, names: bool) -> ResolvedLattice {
        let name = |n: &'static str| names.then_some(n);
        ResolvedLattice {
            service: resource("service/svc-1", "svc-1", name("demo")),
            listener: resource(
                "service/svc-1/listener/listener-2",
                "listener-2",
                name("http"),
            ),
            rule: rule.then(|| {
                resource(
                    "service/svc-1/listener/listener-2/rule/rule-3",
                    "rule-3",
                    name("api"),
                )
            }),
            stable: resource("targetgroup/tg-4", "tg-4", name("demo-stable")),
            canary: resource("targetgroup/tg-5", "tg-5", name("demo-canary")),
        }
    }

    #[test]
    fn a_target_group_is_named_by_id_or_arn() {
        let r = resolved(false, false);
        assert!(r.stable.is("tg-4"));
        assert!(r.stable.is(&format!("{PREFIX}targetgroup/tg-4")));
        assert!(!r.stable.is("tg-5"));
        assert!(!r.stable.is("demo-stable"));
    }

    #[test]
    fn resource_names_the_rule_or_the_listener_and_their_parents() {
        assert_eq!(
            resolved(true, true).resource(),
            format!(
                "Lattice rule {PREFIX}service/svc-1/listener/listener-2/rule/rule-3 of listener \
                 http of service demo"
            )
        );
        assert_eq!(
            resolved(false, false).resource(),
            format!(
                "Lattice listener {PREFIX}service/svc-1/listener/listener-2 (default action) of \
                 service svc-1"
            )
        );
    }

    #[test]
    fn describe_uses_names_when_known() {
        assert_eq!(
            resolved(true, true).describe(),
            "Lattice rule rule-3 of service demo (stable demo-stable, canary demo-canary)"
        );
        assert_eq!(
            resolved(false, false).describe(),
            "Lattice listener listener-2 default action of service svc-1 (stable tg-4, canary \
             tg-5)"
        );
    }
}
