//! `route:` → [`Route`]: which resource carries the weights (exactly one backend), and the two
//! targets. One file per backend; this one only picks it.

mod alb;
mod lambda_alias;
mod lattice;
mod lattice_ids;

use super::error::{Diag, Pos};
use super::model::{RouteDoc, Sp};
use crate::core::plan::Route;

const ROUTE_HINT: &str = "write `route: { alb: { listener: <listener ARN>, stable: <target group>, canary: <target group> } }`, `route: { lattice: { service: <name>, listener: <name>, stable: <target group>, canary: <target group> } }` or `route: { lambda_alias: { function: <name>, alias: <name>, canary_version: \"<n>\" } }`";

pub(crate) fn route(d: &mut Diag, doc: &Sp<RouteDoc>) -> Option<Route> {
    let route = backend(d, doc)?;
    one_partition(d, doc, &route).then_some(route)
}

/// Every ARN of a route in one partition (`aws`, `aws-cn`, …): a route cannot span two, and each
/// backend compares only regions and accounts. The problem is put at the first ARN written in
/// another partition than the route's first.
fn one_partition(d: &mut Diag, doc: &Sp<RouteDoc>, route: &Route) -> bool {
    let arns = route.arns();
    let Some(first) = arns.first() else {
        return true;
    };
    let partition = first.partition();
    let Some(other) = arns.iter().find(|a| a.partition() != partition) else {
        return true;
    };
    let r = &doc.value;
    let fields: Vec<&Sp<String>> = [
        r.alb.as_ref().map(|a| {
            vec![
                &a.value.listener,
                &a.value.rule,
                &a.value.stable,
                &a.value.canary,
            ]
        }),
        r.lattice.as_ref().map(|l| {
            let l = &l.value;
            vec![&l.service, &l.listener, &l.rule, &l.stable, &l.canary]
        }),
        r.lambda_alias.as_ref().map(|l| vec![&l.value.function]),
    ]
    .into_iter()
    .flatten()
    .flatten()
    .flatten()
    .collect();
    let at = fields
        .iter()
        .find(|f| f.value.trim() == other.as_str())
        .map_or(Pos::from(doc), |f| Pos::from(*f));
    d.error(
        at,
        format!(
            "`{other}` is in the AWS partition `{}`, but `{first}` is in `{partition}`: one route cannot span two partitions",
            other.partition()
        ),
        format!("write every ARN of the route in the partition the route is in (`arn:{partition}:…`)"),
    );
    false
}

fn backend(d: &mut Diag, doc: &Sp<RouteDoc>) -> Option<Route> {
    if let Some(lambda) = &doc.value.lambda_alias {
        if doc.value.alb.is_some() || doc.value.lattice.is_some() {
            d.error(
                lambda,
                "`route` names `lambda_alias:` beside `alb:` or `lattice:`; a deployment shifts traffic on one of them",
                "keep the one whose weights this playbook shifts, and write another playbook for the other",
            );
            return None;
        }
        return lambda_alias::lambda_alias_route(d, lambda);
    }
    match (&doc.value.alb, &doc.value.lattice) {
        (Some(alb), None) => alb::alb_route(d, alb),
        (None, Some(lattice)) => lattice::lattice_route(d, lattice),
        (Some(_), Some(lattice)) => {
            d.error(
                lattice,
                "`route` names both `alb:` and `lattice:`; a deployment shifts traffic on one of them",
                "keep the one whose weights this playbook shifts, and write another playbook for the other",
            );
            None
        }
        (None, None) => {
            d.error(
                doc,
                "`route` needs `alb:` (an application load balancer listener or rule), `lattice:` (a VPC Lattice listener or rule) or `lambda_alias:` (a Lambda alias)",
                ROUTE_HINT,
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::test_support::{section, without_hints};

    fn run(yaml: &str) -> Result<Route, Vec<String>> {
        section(yaml, route).map_err(without_hints)
    }

    #[test]
    fn a_route_needs_exactly_one_backend() {
        let e = run("{}").unwrap_err();
        assert!(
            e[0].contains("needs `alb:`")
                && e[0].contains("`lattice:`")
                && e[0].contains("or `lambda_alias:`"),
            "{e:?}"
        );
        let e = run(
            "alb: {load_balancer: x, port: 80, stable: a, canary: b}\nlattice: {service: s, listener: l, stable: a, canary: b}",
        )
        .unwrap_err();
        assert_eq!(e, vec!["2:10 `route` names both `alb:` and `lattice:`; a deployment shifts traffic on one of them"]);
    }

    #[test]
    fn a_route_is_in_one_partition() {
        let elb = "elasticloadbalancing:us-east-1:123456789012";
        let listener = format!("arn:aws:{elb}:listener/app/a/0123456789abcdef/0123456789abcdef");
        let e = run(&format!(
            "alb:\n  listener: {listener}\n  stable: arn:aws:{elb}:targetgroup/s/01\n  canary: arn:aws-cn:{elb}:targetgroup/c/01\n"
        ))
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("4:11 `arn:aws-cn:")
                && e[0].contains("is in the AWS partition `aws-cn`, but"),
            "{e:?}"
        );
        let lattice = "vpc-lattice:us-east-1:123456789012";
        let e = run(&format!(
            "lattice:\n  listener: arn:aws-us-gov:{lattice}:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0\n  stable: arn:aws:{lattice}:targetgroup/tg-0123456789abcdef0\n  canary: arn:aws:{lattice}:targetgroup/tg-0123456789abcdef1\n"
        ))
        .unwrap_err();
        assert!(
            e[0].starts_with("3:11 `arn:aws:")
                && e[0].contains("one route cannot span two partitions"),
            "{e:?}"
        );
    }
}
