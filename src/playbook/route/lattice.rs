//! `route: { lattice: … }` → [`Route::Lattice`]: which VPC Lattice listener (its default action)
//! or rule carries the weights, and the two target groups, each by name, id or ARN.
//!
//! A listener or rule ARN names its service (and a rule ARN its listener), so those may be left
//! out; names and ids need their parents. What can be checked without AWS is checked here:
//! an ARN's ids against the ids written beside it, and target group ARNs against the route's
//! account and region. Names are looked up by the router at start.

use super::super::error::{Diag, Pos};
use super::super::model::{LatticeDoc, Sp};
use super::lattice_ids::{identifier, Kind, LatticeArn};
use crate::core::plan::{LatticeRef, LatticeRoute, Route};

const RESOURCE_HINT: &str = "write `service:` and `listener:` (names, ids or ARNs) for the listener's default action, add `rule:` for one of its rules, or give just `rule: <rule ARN>`";

type Parsed = (LatticeRef, Option<LatticeArn>);

pub(super) fn lattice_route(d: &mut Diag, doc: &Sp<LatticeDoc>) -> Option<Route> {
    let at = Pos::from(doc);
    let lattice = &doc.value;
    let parse = |d: &mut Diag, value: &Option<Sp<String>>, kind| -> Option<Option<Parsed>> {
        match value {
            None => Some(None),
            Some(v) => d.check(v, identifier(&v.value, kind)).map(Some),
        }
    };
    let service = parse(d, &lattice.service, Kind::Service);
    let listener = parse(d, &lattice.listener, Kind::Listener);
    let rule = parse(d, &lattice.rule, Kind::Rule);
    let stable = target_group(d, at, "stable", &lattice.stable);
    let canary = target_group(d, at, "canary", &lattice.canary);
    let (service, listener, rule) = (service?, listener?, rule?);

    // The most specific ARN given names the parents; ids written beside it must agree.
    let route_arn = rule
        .as_ref()
        .and_then(|r| r.1.clone())
        .or_else(|| listener.as_ref().and_then(|l| l.1.clone()))
        .or_else(|| service.as_ref().and_then(|s| s.1.clone()));
    let mut ok = parents_present(d, at, lattice, route_arn.as_ref());
    if let Some(arn) = &route_arn {
        ok &= agrees(d, &lattice.service, &service, arn.service_id.as_deref());
        ok &= agrees(d, &lattice.listener, &listener, arn.listener_id.as_deref());
        for (field, tg, value) in [
            ("stable", &stable, &lattice.stable),
            ("canary", &canary, &lattice.canary),
        ] {
            let (Some((_, Some(tg_arn))), Some(value)) = (tg, value) else {
                continue;
            };
            if tg_arn.region != arn.region || tg_arn.account != arn.account {
                d.error(
                    value,
                    format!(
                        "the `{field}` target group is in account {} region {}, but the {} is in account {} region {}",
                        tg_arn.account, tg_arn.region, arn.kind.noun(), arn.account, arn.region
                    ),
                    "use target groups of the same account and region as the service",
                );
                ok = false;
            }
        }
    }
    let (stable, canary) = (stable?, canary?);
    if same_target_group(&stable.0, &canary.0) {
        if let Some(value) = &lattice.canary {
            d.error(
                value,
                format!("`stable` and `canary` are the same target group `{}`", canary.0.as_str()),
                "the canary must be a different target group from the stable one; write the new version's target group under `canary:`",
            );
        }
        return None;
    }
    if !ok {
        return None;
    }
    Some(Route::Lattice(LatticeRoute {
        service: service.map(|s| s.0),
        listener: listener.map(|l| l.0),
        rule: rule.map(|r| r.0),
        stable: stable.0,
        canary: canary.0,
    }))
}

/// A listener needs its service unless it is an ARN; a rule needs its listener (and that its
/// service) unless it is an ARN.
fn parents_present(d: &mut Diag, at: Pos, doc: &LatticeDoc, arn: Option<&LatticeArn>) -> bool {
    let named_by_arn = |kind: Kind| arn.is_some_and(|a| a.kind == kind);
    let rule_arn = named_by_arn(Kind::Rule);
    let listener_known = rule_arn || named_by_arn(Kind::Listener);
    if doc.listener.is_none() && !rule_arn {
        let message = match &doc.rule {
            Some(_) => "`rule` given by name or id needs `listener:` next to it (a rule name is unique only within its listener)",
            None => "`lattice` does not say which listener carries the weights",
        };
        d.error(at, message, RESOURCE_HINT);
        return false;
    }
    if doc.service.is_none() && !listener_known {
        d.error(
            at,
            "`listener` given by name or id needs `service:` next to it (a listener name is unique only within its service)",
            "add `service: <name, id or ARN>`, or give the listener (or the rule) by ARN",
        );
        return false;
    }
    true
}

/// An id written beside an ARN must be the one in the ARN's path (names are checked by AWS).
fn agrees(
    d: &mut Diag,
    value: &Option<Sp<String>>,
    parsed: &Option<Parsed>,
    in_arn: Option<&str>,
) -> bool {
    let (Some(value), Some((written, _)), Some(in_arn)) = (value, parsed, in_arn) else {
        return true;
    };
    let written_id = match written {
        LatticeRef::Id(id) => id.as_str(),
        LatticeRef::Arn(arn) => arn.resource().rsplit('/').next().unwrap_or(arn.as_str()),
        LatticeRef::Name(_) => return true,
    };
    if written_id == in_arn {
        return true;
    }
    d.error(
        value,
        format!(
            "`{}` is not {in_arn}, which the ARN next to it names",
            written.as_str()
        ),
        "remove this line (the ARN already names it), or correct it",
    );
    false
}

fn target_group(
    d: &mut Diag,
    parent: Pos,
    field: &str,
    value: &Option<Sp<String>>,
) -> Option<Parsed> {
    let Some(value) = value else {
        let role = match field {
            "stable" => "serves the current version",
            _ => "serves the new version",
        };
        d.error(
            parent,
            format!("`lattice` needs `{field}:`, the target group that {role}"),
            format!("add `{field}: <target group name, id or ARN>` under `lattice:`"),
        );
        return None;
    };
    d.check(value, identifier(&value.value, Kind::TargetGroup))
}

/// Equal as written, or an id and an ARN of the same target group.
fn same_target_group(a: &LatticeRef, b: &LatticeRef) -> bool {
    let id = |r: &LatticeRef| match r {
        LatticeRef::Arn(arn) => arn.resource().rsplit('/').next().map(str::to_string),
        LatticeRef::Id(id) => Some(id.clone()),
        LatticeRef::Name(_) => None,
    };
    a == b || (id(a).is_some() && id(a) == id(b))
}

#[cfg(test)]
mod tests {
    use crate::core::plan::{LatticeRef, Route};
    use crate::playbook::route::route;
    use crate::playbook::test_support::{section, without_hints};

    fn run(yaml: &str) -> Result<Route, Vec<String>> {
        section(yaml, route).map_err(without_hints)
    }

    const SVC_ID: &str = "svc-0123456789abcdef0";
    const LISTENER: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0";
    const RULE: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0";
    const TG: &str = "arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-0123456789abcdef0";

    fn lattice(yaml: &str) -> crate::core::plan::LatticeRoute {
        match run(yaml) {
            Ok(Route::Lattice(route)) => route,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn by_names_ids_and_arns() {
        let r = lattice(
            "lattice: {service: checkout, listener: https, stable: primary, canary: secondary}",
        );
        assert_eq!(r.service, Some(LatticeRef::Name("checkout".into())));
        assert_eq!(r.listener, Some(LatticeRef::Name("https".into())));
        assert_eq!(r.rule, None);
        assert_eq!(r.canary, LatticeRef::Name("secondary".into()));
        let r = lattice(&format!(
            "lattice: {{rule: {RULE}, stable: tg-0123456789abcdef0, canary: b2c}}"
        ));
        let rule = crate::arn::OwnedArn::parse(RULE).unwrap();
        assert_eq!(r.rule, Some(LatticeRef::Arn(rule)));
        assert_eq!(r.service, None);
        assert_eq!(r.stable, LatticeRef::Id("tg-0123456789abcdef0".into()));
        let r = lattice(&format!(
            "lattice: {{listener: {LISTENER}, rule: canary-rule, stable: a1b, canary: b2c}}"
        ));
        assert_eq!(r.rule, Some(LatticeRef::Name("canary-rule".into())));
        let r = lattice(&format!(
            "lattice: {{service: {SVC_ID}, rule: {RULE}, stable: a1b, canary: b2c}}"
        ));
        assert_eq!(r.service, Some(LatticeRef::Id(SVC_ID.into())));
    }

    #[test]
    fn parents_are_needed_for_names_and_ids() {
        let e = run("lattice: {service: checkout, rule: canary-rule, stable: a1b, canary: b2c}")
            .unwrap_err();
        assert!(
            e[0].contains("`rule` given by name or id needs `listener:`"),
            "{e:?}"
        );
        let e = run("lattice: {listener: https, stable: a1b, canary: b2c}").unwrap_err();
        assert!(
            e[0].contains("`listener` given by name or id needs `service:`"),
            "{e:?}"
        );
        let e = run("lattice: {service: checkout, stable: a1b, canary: b2c}").unwrap_err();
        assert!(e[0].contains("does not say which listener"), "{e:?}");
    }

    #[test]
    fn ids_beside_an_arn_must_agree_and_regions_match() {
        let e = run(&format!(
            "lattice: {{service: svc-0123456789abcdef9, rule: {RULE}, stable: a1b, canary: b2c}}"
        ))
        .unwrap_err();
        assert!(
            e[0].contains("`svc-0123456789abcdef9` is not svc-0123456789abcdef0"),
            "{e:?}"
        );
        let e = run(&format!(
            "lattice: {{rule: {RULE}, stable: a1b, canary: {TG}}}"
        ))
        .unwrap_err();
        assert!(
            e[0].contains(
                "region eu-west-1, but the rule is in account 123456789012 region us-east-1"
            ),
            "{e:?}"
        );
    }

    #[test]
    fn target_groups_are_required_and_different() {
        let e =
            run("lattice: {service: s1a, listener: l1a, stable: a1b, canary: a1b}").unwrap_err();
        assert!(e[0].contains("the same target group `a1b`"), "{e:?}");
        let same = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0";
        let e = run(&format!(
            "lattice: {{rule: {RULE}, stable: {same}, canary: tg-0123456789abcdef0}}"
        ))
        .unwrap_err();
        assert!(e[0].contains("the same target group"), "{e:?}");
        let e = run("lattice:\n  service: s1a\n  listener: l1a\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("2:3 `lattice` needs `stable:`"), "{e:?}");
    }
}
