//! IAM's matching of a policy's actions and resources, enough to check a policy against the
//! calls actually made: `*` (any run of characters) and `?` (one character); actions compare
//! case-insensitively; an ARN pattern matches segment by segment (partition, service, region,
//! account), and its resource part may span `:` and `/`, as in IAM. A call of an action without
//! resource-level permissions is authorized against `*`, which only the pattern `*` matches.

use crate::arn::Arn;

/// Whether the policy action `pattern` (e.g. `elasticloadbalancing:Describe*`) covers `action`.
pub(super) fn action_matches(pattern: &str, action: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// Whether the policy resource `pattern` covers `resource` (an ARN, or `*`).
pub fn arn_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (Some(wanted), Some(given)) = (Arn::parse(pattern), Arn::parse(resource)) else {
        return false;
    };
    let wanted = [
        wanted.partition,
        wanted.service,
        wanted.region,
        wanted.account,
        wanted.resource,
    ];
    let given = [
        given.partition,
        given.service,
        given.region,
        given.account,
        given.resource,
    ];
    wanted.iter().zip(given).all(|(w, g)| glob(w, g))
}

/// Wildcard matching with `*` and `?`, iterative (no recursion blow-up on many stars).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((star_p, star_t)) = star {
            pi = star_p + 1;
            ti = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        assert!(action_matches(
            "elasticloadbalancing:Describe*",
            "elasticloadbalancing:DescribeRules"
        ));
        assert!(action_matches(
            "sts:getcalleridentity",
            "sts:GetCallerIdentity"
        ));
        assert!(!action_matches(
            "elasticloadbalancing:Describe*",
            "elasticloadbalancing:ModifyRule"
        ));
        assert!(!action_matches(
            "vpc-lattice:GetRule",
            "vpc-lattice:GetRules"
        ));
    }

    #[test]
    fn arn_patterns_match_per_segment() {
        let rule =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1a/2b/3c";
        assert!(arn_matches("*", rule));
        assert!(arn_matches("*", "*"));
        assert!(arn_matches(rule, rule));
        assert!(arn_matches(
            "arn:aws:elasticloadbalancing:*:*:listener-rule/app/shop/*",
            rule
        ));
        assert!(!arn_matches(
            "arn:aws:elasticloadbalancing:*:*:listener-rule/app/shops/*",
            rule
        ));
        assert!(!arn_matches(
            "arn:aws:elasticloadbalancing:*:*:listener/app/shop/*",
            rule
        ));
        // A wildcard in a segment does not reach into the next one.
        assert!(!arn_matches(
            "arn:aws:elastic*:123456789012:listener-rule/*",
            rule
        ));
        assert!(arn_matches(
            "arn:aws:elasticloadbalancing:us-east-?:*:*",
            rule
        ));
        // Only `*` covers a call that names no resource.
        assert!(!arn_matches("arn:aws:cloudwatch:*:*:alarm:*", "*"));
        // The resource part may contain colons (alarms, Lambda aliases).
        assert!(arn_matches(
            "arn:aws:cloudwatch:*:*:alarm:checkout-*",
            "arn:aws:cloudwatch:us-east-1:1:alarm:checkout-5xx"
        ));
    }

    #[test]
    fn glob_edge_cases() {
        assert!(glob("", ""));
        assert!(glob("*", ""));
        assert!(!glob("?", ""));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("**a", "bba"));
    }
}
