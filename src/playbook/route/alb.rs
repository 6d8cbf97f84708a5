//! `route: { alb: … }` → [`Route::Alb`]: which ALB listener or rule carries the weights, and the
//! two target groups (by name or ARN).

use super::super::arn::{self, ArnKind, ElbArn};
use super::super::error::{Bad, Diag, Pos};
use super::super::model::{AlbDoc, Sp};
use crate::core::plan::{AlbRoute, AlbTarget, Route, TargetGroupRef};

const RESOURCE_HINT: &str = "write exactly one of `listener: <listener ARN>`, `rule: <rule ARN>`, or `load_balancer: <name>` with `port:` (and `priority:` for a rule)";

pub(super) fn alb_route(d: &mut Diag, alb: &Sp<AlbDoc>) -> Option<Route> {
    let at = Pos::from(alb);
    let alb = &alb.value;
    let target = target(d, at, alb);
    let stable = target_group(d, at, "stable", &alb.stable);
    let canary = target_group(d, at, "canary", &alb.canary);
    if let (Some(stable_tg), Some(canary_tg), Some(canary_doc)) = (&stable, &canary, &alb.canary) {
        if same_group(stable_tg, canary_tg) {
            d.error(
                canary_doc,
                format!("`stable` and `canary` are the same target group `{}`", tg_label(&canary_tg.0)),
                "the canary must be a different target group from the stable one; write the new version's target group under `canary:`",
            );
        }
    }
    // A target group given by ARN must live where the listener or rule is.
    if let Some((_, Some(resource_arn))) = &target {
        for (field, tg, doc) in [
            ("stable", &stable, &alb.stable),
            ("canary", &canary, &alb.canary),
        ] {
            let (Some((_, Some(tg_arn))), Some(doc)) = (tg, doc) else {
                continue;
            };
            if tg_arn.region() != resource_arn.region()
                || tg_arn.account() != resource_arn.account()
            {
                d.error(
                    doc,
                    format!(
                        "the `{field}` target group is in account {} region {}, but the load balancer resource is in account {} region {}",
                        tg_arn.account(),
                        tg_arn.region(),
                        resource_arn.account(),
                        resource_arn.region()
                    ),
                    "use target groups of the same account and region as the listener",
                );
            }
        }
    }
    Some(Route::Alb(AlbRoute {
        target: target?.0,
        stable: stable?.0,
        canary: canary?.0,
    }))
}

fn tg_label(r: &TargetGroupRef) -> &str {
    match r {
        TargetGroupRef::Arn(a) => a.as_str(),
        TargetGroupRef::Name(a) => a,
    }
}

/// Equal ARNs or names, or an ARN and a name that are the same group.
fn same_group(a: &(TargetGroupRef, Option<ElbArn>), b: &(TargetGroupRef, Option<ElbArn>)) -> bool {
    fn name(tg: &(TargetGroupRef, Option<ElbArn>)) -> &str {
        match tg {
            (_, Some(arn)) => arn::target_group_name_of(arn),
            (TargetGroupRef::Name(n), None) => n,
            (TargetGroupRef::Arn(n), None) => n.as_str(),
        }
    }
    match (&a.0, &b.0) {
        (TargetGroupRef::Arn(x), TargetGroupRef::Arn(y)) => x == y,
        _ => name(a) == name(b),
    }
}

/// The resource carrying the weights (and its ARN when given by ARN).
fn target(d: &mut Diag, at: Pos, alb: &AlbDoc) -> Option<(AlbTarget, Option<ElbArn>)> {
    let kinds: Vec<(&str, &Sp<String>)> = [
        ("listener", &alb.listener),
        ("rule", &alb.rule),
        ("load_balancer", &alb.load_balancer),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();

    if kinds.len() > 1 {
        let (first, _) = kinds[0];
        for (second, value) in &kinds[1..] {
            d.error(
                *value,
                format!("`{first}` and `{second}` both name the resource that carries the weights; keep one"),
                RESOURCE_HINT,
            );
        }
        return None;
    }
    let Some((kind, value)) = kinds.first() else {
        let key = if alb.priority.is_some() {
            "priority"
        } else {
            "port"
        };
        match alb.port.as_ref().or(alb.priority.as_ref()) {
            Some(orphan) => d.error(
                orphan,
                format!("`{key}` goes with `load_balancer:`, which is missing"),
                "add `load_balancer: <name>` next to `port:` (and `priority:` for a rule), or use `listener:`/`rule:` with an ARN instead",
            ),
            None => d.error(at, "`alb` does not say which listener or rule carries the weights", RESOURCE_HINT),
        }
        return None;
    };

    match *kind {
        "listener" | "rule" => {
            for (key, extra) in [("port", &alb.port), ("priority", &alb.priority)] {
                if let Some(extra) = extra {
                    d.error(
                        extra,
                        format!("`{key}` goes only with `load_balancer:`; the `{kind}` ARN already names the {kind}"),
                        format!("remove `{key}:`, or replace `{kind}:` with `load_balancer: <name>` and `port:`"),
                    );
                }
            }
            let arn_kind = if *kind == "listener" {
                ArnKind::Listener
            } else {
                ArnKind::Rule
            };
            let parsed = d.check(*value, arn::parse(value.value.trim(), arn_kind))?;
            if alb.port.is_some() || alb.priority.is_some() {
                return None;
            }
            let target = if arn_kind == ArnKind::Listener {
                AlbTarget::ListenerArn(parsed.clone())
            } else {
                AlbTarget::RuleArn(parsed.clone())
            };
            Some((target, Some(parsed)))
        }
        _ => {
            let name = d.check(*value, arn::load_balancer_name(value.value.trim()));
            let port = match (&alb.port, &alb.priority) {
                (Some(p), _) => d.check(p, in_range("port", p.value, 1, 65535, "443")),
                (None, Some(priority)) => {
                    d.error(
                        priority,
                        "`priority` needs `port:` next to it: a rule is found by `load_balancer`, `port` and `priority` together",
                        "add the listener's port, e.g. `port: 443`, next to `load_balancer:` and `priority:`",
                    );
                    None
                }
                (None, None) => {
                    d.error(
                        *value,
                        "`load_balancer` needs `port:` to find the listener",
                        "add the listener's port next to `load_balancer:`, e.g. `port: 443`",
                    );
                    None
                }
            };
            let priority = match &alb.priority {
                Some(p) => Some(d.check(p, in_range("priority", p.value, 1, 50000, "10"))?),
                None => None,
            };
            let load_balancer = name.map(|()| value.value.trim().to_string())?;
            let port = u16::try_from(port?).ok()?;
            let target = match priority {
                None => AlbTarget::Listener {
                    load_balancer,
                    port,
                },
                Some(p) => AlbTarget::Rule {
                    load_balancer,
                    port,
                    priority: u32::try_from(p).ok()?,
                },
            };
            Some((target, None))
        }
    }
}

fn in_range(field: &str, v: i64, min: i64, max: i64, example: &str) -> Result<i64, Bad> {
    if v < min || v > max {
        return Err(Bad::new(
            format!("`{field}: {v}` is outside {min}–{max}"),
            format!("write a {field} from {min} to {max}, e.g. `{field}: {example}`"),
        ));
    }
    Ok(v)
}

/// `stable:`/`canary:` → a reference by name or ARN (with the parsed ARN).
fn target_group(
    d: &mut Diag,
    parent: Pos,
    field: &str,
    value: &Option<Sp<String>>,
) -> Option<(TargetGroupRef, Option<ElbArn>)> {
    let Some(value) = value else {
        let role = if field == "stable" {
            "serves the current version"
        } else {
            "serves the new version"
        };
        d.error(
            parent,
            format!("`alb` needs `{field}:`, the target group that {role}"),
            format!("add `{field}: <target group name or ARN>` under `alb:`"),
        );
        return None;
    };
    let raw = value.value.trim();
    if raw.starts_with("arn:") {
        let parsed = d.check(value, arn::parse(raw, ArnKind::TargetGroup))?;
        Some((TargetGroupRef::Arn(parsed.clone()), Some(parsed)))
    } else {
        d.check(value, arn::target_group_name(raw))?;
        Some((TargetGroupRef::Name(raw.to_string()), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::route::route;
    use crate::playbook::test_support::{section, without_hints};

    fn run(yaml: &str) -> Result<Route, Vec<String>> {
        section(yaml, route).map_err(without_hints)
    }

    const L: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";

    #[test]
    fn listener_by_arn() {
        let r = run(&format!(
            "alb:\n  listener: {L}\n  stable: a\n  canary: b\n"
        ))
        .unwrap();
        let Route::Alb(alb) = r else {
            panic!("not an alb route")
        };
        let listener = crate::arn::OwnedArn::parse(L).unwrap();
        assert_eq!(alb.target, AlbTarget::ListenerArn(listener));
        assert_eq!(alb.stable, TargetGroupRef::Name("a".into()));
    }

    #[test]
    fn by_name_port_and_priority() {
        let Route::Alb(alb) =
            run("alb: {load_balancer: demo-alb, port: 80, priority: 10, stable: a, canary: b}")
                .unwrap()
        else {
            panic!("not an alb route")
        };
        assert_eq!(
            alb.target,
            AlbTarget::Rule {
                load_balancer: "demo-alb".into(),
                port: 80,
                priority: 10
            }
        );
        let Route::Alb(alb) =
            run("alb: {load_balancer: demo-alb, port: 443, stable: a, canary: b}").unwrap()
        else {
            panic!("not an alb route")
        };
        assert_eq!(
            alb.target,
            AlbTarget::Listener {
                load_balancer: "demo-alb".into(),
                port: 443
            }
        );
    }

    #[test]
    fn wrong_combinations_say_which_keys_go_together() {
        for (yaml, says) in [
            (
                format!("alb: {{listener: {L}, load_balancer: x, stable: a, canary: b}}"),
                "`listener` and `load_balancer` both",
            ),
            (
                "alb: {load_balancer: x, priority: 3, stable: a, canary: b}".to_string(),
                "`priority` needs `port:`",
            ),
            (
                "alb: {load_balancer: x, stable: a, canary: b}".to_string(),
                "`load_balancer` needs `port:`",
            ),
            (
                "alb: {port: 80, stable: a, canary: b}".to_string(),
                "`port` goes with `load_balancer:`",
            ),
            (
                format!("alb: {{listener: {L}, port: 80, stable: a, canary: b}}"),
                "`port` goes only with `load_balancer:`",
            ),
            (
                "alb: {stable: a, canary: b}".to_string(),
                "does not say which listener",
            ),
        ] {
            let e = run(&yaml).unwrap_err();
            assert!(e[0].contains(says), "{e:?}");
        }
    }

    #[test]
    fn ranges_and_names() {
        let e = run("alb: {load_balancer: x, port: 70000, priority: 0, stable: a, canary: b}")
            .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("`port: 70000` is outside 1–65535"));
        assert!(e[1].contains("`priority: 0` is outside 1–50000"));
        let e = run("alb: {load_balancer: x, port: 80, stable: bad_name, canary: b}").unwrap_err();
        assert!(e[0].contains("target group name `bad_name`"), "{e:?}");
    }

    #[test]
    fn stable_and_canary_differ_and_both_are_required() {
        let e = run("alb: {load_balancer: x, port: 80, stable: a, canary: a}").unwrap_err();
        assert!(e[0].contains("the same target group"), "{e:?}");
        let tg =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/73e2d6bc24d8a067";
        let e = run(&format!(
            "alb: {{load_balancer: x, port: 80, stable: {tg}, canary: a}}"
        ))
        .unwrap_err();
        assert!(e[0].contains("the same target group"), "{e:?}");
        let e = run("alb:\n  load_balancer: x\n  port: 80\n").unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].starts_with("2:3 `alb` needs `stable:`"), "{e:?}");
    }

    #[test]
    fn target_groups_must_share_region_with_the_listener() {
        let tg =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/b/73e2d6bc24d8a067";
        let e = run(&format!("alb: {{listener: {L}, stable: a, canary: {tg}}}")).unwrap_err();
        assert!(e[0].contains("region eu-west-1"), "{e:?}");
    }
}
