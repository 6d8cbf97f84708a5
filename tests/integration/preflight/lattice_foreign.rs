//! `target-groups` on a VPC Lattice route whose canary another service routes to: resolution
//! does not look at who routes to a target group, so `plan`'s preflight list reports it, naming
//! both services.

use super::{lattice, plan_fails};

#[test]
fn a_canary_of_another_service_fails_target_groups() {
    let route = lattice("pf-lat-frn-a", &["--no-targets"]);
    let other = lattice("pf-lat-frn-b", &["--no-targets"]);
    let mut foreign = route.clone();
    foreign.canary_arn = other.stable_arn.clone();
    let failed = plan_fails(&foreign, "pf-lat-frn", "target-groups");
    assert_eq!(
        failed,
        format!(
            "  FAIL target-groups: canary target group pf-lat-frn-b-stable ({}) is routed to by \
             service {} and not by the route's service {}; give the route a target group that \
             no other service routes to",
            other.stable_id, other.service_arn, route.service_arn
        )
    );
}
