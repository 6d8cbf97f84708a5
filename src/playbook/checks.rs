//! `checks:` → [`Check`]s: the list itself. Each item has exactly one kind key, and names are
//! unique (a check without `name:` is named after its kind).
//!
//! The values under each kind key are read elsewhere, one file per family of kinds:
//! - `builtin`: the per-target-group checks of any route (`error_rate`, `latency` and their
//!   `_vs_stable` twins), and `throttles`, which only a Lambda alias route has (so `checks` is
//!   given the validated route, when it is valid);
//! - `custom`: checks named by the user in CloudWatch's terms (`metric`, `alarms`).

mod builtin;
mod custom;

use super::error::{Diag, Pos};
use super::model::{CheckDoc, Sp};
use super::values::simple_name;
use crate::core::plan::{Check, CheckKind, Route};
use std::collections::HashMap;

const KINDS_HINT: &str = "start the check with one of `error_rate:`, `latency:`, `error_rate_vs_stable:`, `latency_vs_stable:`, `throttles:`, `metric:` or `alarms:`";

/// The checks of `list`; `route` is the playbook's route when it validated (a route-specific
/// check is judged against it, and not at all without one).
pub(crate) fn checks(
    d: &mut Diag,
    list: &Sp<Vec<Sp<CheckDoc>>>,
    route: Option<&Route>,
) -> Option<Vec<Check>> {
    let errors_before = d.error_count();
    let mut out = Vec::new();
    let mut names: HashMap<String, Pos> = HashMap::new();
    for item in &list.value {
        let Some((kind_key, kind)) = one_check(d, item, route) else {
            continue;
        };
        let (name, name_at) = match &item.value.name {
            Some(n) => match d.check(n, simple_name("name", &n.value, "check name")) {
                Some(name) => (name, Pos::from(n)),
                None => continue,
            },
            None => (kind_key.to_string(), Pos::from(item)),
        };
        if let Some(first) = names.get(&name) {
            let how = if item.value.name.is_some() {
                ""
            } else {
                " (a check without `name:` is named after its kind)"
            };
            d.error(
                name_at,
                format!(
                    "two checks are named `{name}`; the first is on line {}{how}",
                    first.line
                ),
                format!("give each check a distinct `name:`, e.g. `name: {name}-2`"),
            );
            continue;
        }
        names.insert(name.clone(), name_at);
        if let Some(kind) = kind {
            out.push(Check {
                name,
                kind,
                slower_than_ms: None,
            });
        }
    }
    (d.error_count() == errors_before).then_some(out)
}

/// The single kind key of a check item and, when its values are valid, the kind.
fn one_check(
    d: &mut Diag,
    item: &Sp<CheckDoc>,
    route: Option<&Route>,
) -> Option<(&'static str, Option<CheckKind>)> {
    let c = &item.value;
    let present: Vec<(&'static str, Pos)> = [
        ("error_rate", c.error_rate.as_ref().map(Pos::from)),
        ("latency", c.latency.as_ref().map(Pos::from)),
        (
            "error_rate_vs_stable",
            c.error_rate_vs_stable.as_ref().map(Pos::from),
        ),
        (
            "latency_vs_stable",
            c.latency_vs_stable.as_ref().map(Pos::from),
        ),
        ("throttles", c.throttles.as_ref().map(Pos::from)),
        ("metric", c.metric.as_ref().map(Pos::from)),
        ("alarms", c.alarms.as_ref().map(Pos::from)),
    ]
    .into_iter()
    .filter_map(|(k, at)| at.map(|at| (k, at)))
    .collect();
    match present.as_slice() {
        [] => {
            d.error(item, "this check has no kind", KINDS_HINT);
            None
        }
        [(first, _), rest @ ..] if !rest.is_empty() => {
            for (second, at) in rest {
                d.error(
                    *at,
                    format!("this check has two kinds, `{first}` and `{second}`; a check has exactly one"),
                    format!("split it into two list items, each starting with `- `: `- {first}: ...` and `- {second}: ...`"),
                );
            }
            None
        }
        [(key, _)] => Some((key, kind(d, c, route))),
        _ => None,
    }
}

/// The kind of an item with exactly one kind key, read by that kind's family.
fn kind(d: &mut Diag, c: &CheckDoc, route: Option<&Route>) -> Option<CheckKind> {
    if let Some(e) = &c.error_rate {
        return builtin::error_rate(d, e);
    }
    if let Some(l) = &c.latency {
        return builtin::latency(d, l);
    }
    if let Some(e) = &c.error_rate_vs_stable {
        return builtin::error_rate_vs_stable(d, e);
    }
    if let Some(l) = &c.latency_vs_stable {
        return builtin::latency_vs_stable(d, l);
    }
    if let Some(t) = &c.throttles {
        return builtin::throttles(d, t, route);
    }
    if let Some(m) = &c.metric {
        return custom::metric(d, m).map(CheckKind::Custom);
    }
    if let Some(a) = &c.alarms {
        return custom::alarms(d, a).map(|names| CheckKind::Alarms { names });
    }
    None
}

/// A required field of a check kind; missing → error at the kind's mapping.
fn required<'a, P, T>(
    d: &mut Diag,
    parent: &Sp<P>,
    kind: &str,
    field: &str,
    example: &str,
    value: &'a Option<Sp<T>>,
) -> Option<&'a Sp<T>> {
    if value.is_none() {
        d.error(
            parent,
            format!("`{kind}` needs `{field}:`"),
            format!("write e.g. `{example}`"),
        );
    }
    value.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::test_support::{section, with_hints};

    /// The checks of a `checks:` list, or its problems as `line:column message | hint`.
    pub(super) fn run(yaml: &str) -> Result<Vec<Check>, Vec<String>> {
        run_on(yaml, None)
    }

    /// [`run`] for a playbook whose route is `route`.
    pub(super) fn run_on(yaml: &str, route: Option<&Route>) -> Result<Vec<Check>, Vec<String>> {
        section(yaml, |d, list| checks(d, list, route)).map_err(with_hints)
    }

    #[test]
    fn exactly_one_kind() {
        let e = run("- error_rate: { max_percent: 1 }\n  latency: { max: 1s }\n").unwrap_err();
        assert!(
            e[0].starts_with("2:12 this check has two kinds, `error_rate` and `latency`"),
            "{e:?}"
        );
        let e = run("- name: lonely\n").unwrap_err();
        assert!(e[0].starts_with("1:3 this check has no kind"), "{e:?}");
    }

    #[test]
    fn names_are_unique_including_defaults() {
        let e = run("- error_rate: { max_percent: 1 }\n- error_rate: { max_percent: 2 }\n")
            .unwrap_err();
        assert!(
            e[0].contains(
                "two checks are named `error_rate`; the first is on line 1 (a check without"
            ),
            "{e:?}"
        );
        let e = run("- name: x\n  alarms: [a]\n- name: x\n  alarms: [b]\n").unwrap_err();
        assert!(e[0].starts_with("3:9 two checks are named `x`"), "{e:?}");
        assert!(run("- name: a/b\n  alarms: [a]\n").unwrap_err()[0].contains("check name `a/b`"));
    }
}
