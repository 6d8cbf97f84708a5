//! The header lane's grants (`steps.header_lane`), derived from the resource the route writes
//! its weights on (its rule or listener, exact or a pattern): creating a rule on that
//! listener, tagging it in the same call, reading it back and its tags, and deleting it.
//!
//! Per the Service Authorization Reference: ELB's CreateRule takes the listener, DeleteRule and
//! AddTags (tag-on-create) the rule (`listener-rule/app/…`), Describe* none; VPC Lattice's
//! CreateRule takes the listener, GetRule, DeleteRule and TagResource the rule, ListRules and
//! ListTagsForResource none.

use super::grants::grant;
use super::Grant;
use crate::core::plan::Route;

/// The lane's grants for a route whose weights are written on `resource`; none for a Lambda
/// alias (which has no lane).
pub(super) fn grants(route: &Route, resource: &str) -> Vec<Grant> {
    match route {
        Route::Alb(_) => alb(resource),
        Route::Lattice(_) => lattice(resource),
        Route::LambdaAlias(_) => Vec::new(),
    }
}

fn alb(resource: &str) -> Vec<Grant> {
    let elb = |action: &str| format!("elasticloadbalancing:{action}");
    let listener = match resource.contains(":listener-rule/") {
        true => {
            let listener = resource.replace(":listener-rule/", ":listener/");
            match listener.ends_with("/*") {
                true => listener,
                false => listener
                    .rsplit_once('/')
                    .map_or(listener.clone(), |(parent, _)| parent.to_string()),
            }
        }
        false => resource.to_string(),
    };
    let rules = format!("{}/*", listener.replace(":listener/", ":listener-rule/"));
    vec![
        grant("HeaderLane", &elb("DescribeRules"), "*"),
        grant("HeaderLane", &elb("DescribeTags"), "*"),
        grant("HeaderLane", &elb("CreateRule"), &listener),
        grant("HeaderLane", &elb("AddTags"), &rules),
        grant("HeaderLane", &elb("DeleteRule"), &rules),
    ]
}

fn lattice(resource: &str) -> Vec<Grant> {
    let vpc = |action: &str| format!("vpc-lattice:{action}");
    let listener = resource
        .split_once("/rule/")
        .map_or(resource, |(listener, _)| listener);
    let rules = format!("{listener}/rule/*");
    vec![
        grant("HeaderLane", &vpc("ListRules"), "*"),
        grant("HeaderLane", &vpc("ListTagsForResource"), "*"),
        grant("HeaderLane", &vpc("CreateRule"), listener),
        grant("HeaderLane", &vpc("TagResource"), &rules),
        grant("HeaderLane", &vpc("GetRule"), &rules),
        grant("HeaderLane", &vpc("DeleteRule"), &rules),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(grants: &[Grant], action: &str) -> Vec<String> {
        grants
            .iter()
            .filter(|g| g.action.ends_with(action))
            .map(|g| g.resource.clone())
            .collect()
    }

    #[test]
    fn an_alb_rule_routes_lane_is_made_on_its_listener() {
        let rule =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1a/2b/3c";
        let grants = alb(rule);
        let listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1a/2b";
        assert_eq!(on(&grants, ":CreateRule"), vec![listener]);
        assert_eq!(
            on(&grants, ":DeleteRule"),
            vec![
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1a/2b/*"
            ]
        );
        let by_listener = alb(listener);
        assert_eq!(on(&by_listener, ":CreateRule"), vec![listener]);
        let pattern = alb("arn:aws:elasticloadbalancing:*:*:listener-rule/app/web/*");
        assert_eq!(
            on(&pattern, ":CreateRule"),
            vec!["arn:aws:elasticloadbalancing:*:*:listener/app/web/*"]
        );
    }

    #[test]
    fn a_lattice_lane_is_made_on_the_routes_listener() {
        let listener =
            "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-1/listener/listener-2";
        for resource in [listener.to_string(), format!("{listener}/rule/rule-3")] {
            let grants = lattice(&resource);
            assert_eq!(on(&grants, ":CreateRule"), vec![listener]);
            assert_eq!(
                on(&grants, ":DeleteRule"),
                vec![format!("{listener}/rule/*")]
            );
        }
    }
}
