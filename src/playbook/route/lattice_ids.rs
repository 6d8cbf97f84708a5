//! VPC Lattice identifiers as a playbook writes them: an ARN, an id (`svc-…`, `listener-…`,
//! `rule-…`, `tg-…`) or a name. The shapes are AWS's (the VPC Lattice API model): an id is its
//! prefix and 17 lowercase letters or digits; a name is 3 to 40 (service), 63 (listener, rule) or
//! 128 (target group) lowercase letters, digits and single inner hyphens, and never starts with
//! its id prefix, so the three forms cannot be confused.

use super::super::error::Bad;
use crate::arn::{Arn, OwnedArn};
use crate::core::plan::LatticeRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Service,
    Listener,
    Rule,
    TargetGroup,
}

impl Kind {
    fn id_prefix(self) -> &'static str {
        match self {
            Kind::Service => "svc-",
            Kind::Listener => "listener-",
            Kind::Rule => "rule-",
            Kind::TargetGroup => "tg-",
        }
    }

    pub(super) fn noun(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Listener => "listener",
            Kind::Rule => "rule",
            Kind::TargetGroup => "target group",
        }
    }

    fn name_max(self) -> usize {
        match self {
            Kind::Service => 40,
            Kind::Listener | Kind::Rule => 63,
            Kind::TargetGroup => 128,
        }
    }
}

/// What a Lattice ARN says: where the resource lives and the ids in its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LatticeArn {
    pub kind: Kind,
    pub region: String,
    pub account: String,
    /// The service of a service, listener or rule ARN.
    pub service_id: Option<String>,
    /// The listener of a listener or rule ARN.
    pub listener_id: Option<String>,
}

/// A reference of `kind`, with the parsed ARN when it is one.
pub(super) fn identifier(raw: &str, kind: Kind) -> Result<(LatticeRef, Option<LatticeArn>), Bad> {
    let raw = raw.trim();
    if raw.starts_with("arn:") {
        let arn = parse_arn(raw, kind)?;
        let checked = OwnedArn::parse(raw)
            .ok_or_else(|| Bad::new(format!("`{raw}` is not a complete ARN"), example(kind)))?;
        return Ok((LatticeRef::Arn(checked), Some(arn)));
    }
    if raw.starts_with(kind.id_prefix()) {
        return match is_id(raw, kind) {
            true => Ok((LatticeRef::Id(raw.to_string()), None)),
            false => Err(Bad::new(
                format!(
                    "`{raw}` looks like a {} id, but an id is `{}` and 17 lowercase letters or digits",
                    kind.noun(),
                    kind.id_prefix()
                ),
                format!(
                    "copy the id from `aws vpc-lattice list-{}s`, or give the {} by name or ARN",
                    kind.noun().replace(' ', "-"),
                    kind.noun()
                ),
            )),
        };
    }
    name(raw, kind)?;
    Ok((LatticeRef::Name(raw.to_string()), None))
}

fn is_id(raw: &str, kind: Kind) -> bool {
    raw.strip_prefix(kind.id_prefix()).is_some_and(|rest| {
        rest.len() == 17
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

fn name(raw: &str, kind: Kind) -> Result<(), Bad> {
    let valid_chars = raw
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let valid = valid_chars
        && (3..=kind.name_max()).contains(&raw.len())
        && !raw.starts_with('-')
        && !raw.ends_with('-')
        && !raw.contains("--");
    if valid {
        return Ok(());
    }
    Err(Bad::new(
        format!(
            "`{raw}` is not a VPC Lattice {} name, id or ARN",
            kind.noun()
        ),
        format!(
            "a {} name is 3–{} lowercase letters, digits and single hyphens (not first or last); \
             an id is `{}…`; an ARN starts with `arn:`",
            kind.noun(),
            kind.name_max(),
            kind.id_prefix()
        ),
    ))
}

/// `arn:<partition>:vpc-lattice:<region>:<account>:<resource>` with the resource of `kind`.
fn parse_arn(raw: &str, kind: Kind) -> Result<LatticeArn, Bad> {
    let hint = format!(
        "a VPC Lattice {} ARN looks like {}",
        kind.noun(),
        example(kind)
    );
    let Some(Arn {
        service,
        region,
        account,
        resource,
        ..
    }) = Arn::parse(raw)
    else {
        return Err(Bad::new(format!("`{raw}` is not a complete ARN"), hint));
    };
    if service != "vpc-lattice" {
        return Err(Bad::new(
            format!("`{raw}` is an ARN of `{service}`, not of VPC Lattice"),
            hint,
        ));
    }
    if region.is_empty() || account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(Bad::new(
            format!("`{raw}` has no valid region and 12-digit account"),
            hint,
        ));
    }
    let segments: Vec<&str> = resource.split('/').collect();
    let found = match segments[..] {
        ["service", svc] if is_id(svc, Kind::Service) => Some((Kind::Service, Some(svc), None)),
        ["service", svc, "listener", listener]
            if is_id(svc, Kind::Service) && is_id(listener, Kind::Listener) =>
        {
            Some((Kind::Listener, Some(svc), Some(listener)))
        }
        ["service", svc, "listener", listener, "rule", rule]
            if is_id(svc, Kind::Service)
                && is_id(listener, Kind::Listener)
                && is_id(rule, Kind::Rule) =>
        {
            Some((Kind::Rule, Some(svc), Some(listener)))
        }
        ["targetgroup", tg] if is_id(tg, Kind::TargetGroup) => {
            Some((Kind::TargetGroup, None, None))
        }
        _ => None,
    };
    let Some((found, service_id, listener_id)) = found else {
        return Err(Bad::new(
            format!("`{raw}` is not a VPC Lattice {} ARN", kind.noun()),
            hint,
        ));
    };
    if found != kind {
        return Err(Bad::new(
            format!(
                "`{raw}` is a VPC Lattice {} ARN, not a {} ARN",
                found.noun(),
                kind.noun()
            ),
            hint,
        ));
    }
    Ok(LatticeArn {
        kind,
        region: region.to_string(),
        account: account.to_string(),
        service_id: service_id.map(str::to_string),
        listener_id: listener_id.map(str::to_string),
    })
}

fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0",
        Kind::Listener => "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0",
        Kind::Rule => "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0",
        Kind::TargetGroup => "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVC: &str = "svc-0123456789abcdef0";
    const RULE: &str = "arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0";

    #[test]
    fn ids_names_and_arns_are_told_apart() {
        assert_eq!(
            identifier(SVC, Kind::Service).unwrap().0,
            LatticeRef::Id(SVC.into())
        );
        assert_eq!(
            identifier("checkout", Kind::Service).unwrap().0,
            LatticeRef::Name("checkout".into())
        );
        let (r, arn) = identifier(RULE, Kind::Rule).unwrap();
        assert_eq!(r, LatticeRef::Arn(OwnedArn::parse(RULE).unwrap()));
        let arn = arn.unwrap();
        assert_eq!(arn.region, "us-west-2");
        assert_eq!(arn.service_id.as_deref(), Some(SVC));
        assert_eq!(
            arn.listener_id.as_deref(),
            Some("listener-0123456789abcdef0")
        );
    }

    #[test]
    fn bad_identifiers_say_what_they_look_like() {
        let bad = |raw: &str, kind| identifier(raw, kind).unwrap_err().message;
        assert_eq!(
            bad("svc-123", Kind::Service),
            "`svc-123` looks like a service id, but an id is `svc-` and 17 lowercase letters or digits"
        );
        assert_eq!(
            bad("Checkout_V2", Kind::TargetGroup),
            "`Checkout_V2` is not a VPC Lattice target group name, id or ARN"
        );
        assert_eq!(
            bad(RULE, Kind::Listener),
            format!("`{RULE}` is a VPC Lattice rule ARN, not a listener ARN")
        );
        assert!(bad(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/73e2d6bc24d8a067",
            Kind::TargetGroup
        )
        .contains("is an ARN of `elasticloadbalancing`, not of VPC Lattice"));
        assert!(bad("ab", Kind::Rule).contains("not a VPC Lattice rule name"));
        assert!(bad("a--b", Kind::Rule).contains("not a VPC Lattice rule name"));
    }
}
