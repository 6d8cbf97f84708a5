//! `route:` → [`Route`]: which resource carries the weights (exactly one backend), and the two
//! targets. One file per backend; this one only picks it.

mod alb;
mod lambda_alias;
mod lattice;
mod lattice_ids;

use super::error::Diag;
use super::model::{RouteDoc, Sp};
use crate::core::plan::Route;

const ROUTE_HINT: &str = "write `route: { alb: { listener: <listener ARN>, stable: <target group>, canary: <target group> } }`, `route: { lattice: { service: <name>, listener: <name>, stable: <target group>, canary: <target group> } }` or `route: { lambda_alias: { function: <name>, alias: <name>, canary_version: \"<n>\" } }`";

pub(crate) fn route(d: &mut Diag, doc: &Sp<RouteDoc>) -> Option<Route> {
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
}
