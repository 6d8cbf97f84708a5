//! Lambda ARNs: a function's unqualified ARN, an alias's or a version's qualified ARN
//! (`arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`).
//!
//! The deployment record keeps the route by ARN (the function, the alias, the two versions) and
//! the on-call commands have only the alias's ARN, so both directions are needed without an AWS
//! call.

/// A function ARN, optionally qualified (by a version or an alias).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionArn<'a> {
    /// `arn:…:function:<name>`, without the qualifier.
    pub unqualified: &'a str,
    pub name: &'a str,
    pub qualifier: Option<&'a str>,
}

impl<'a> FunctionArn<'a> {
    /// Parses a Lambda function ARN; None for anything else.
    pub fn parse(arn: &'a str) -> Option<FunctionArn<'a>> {
        let parsed = crate::arn::Arn::parse_regional(arn, "lambda")?;
        let parts: Vec<&str> = parsed.resource.split(':').collect();
        let well_formed = (2..=3).contains(&parts.len())
            && parts[0] == "function"
            && parts[1..].iter().all(|p| !p.is_empty());
        if !well_formed {
            return None;
        }
        let name = parts[1];
        let qualifier = parts.get(2).copied();
        let unqualified = match qualifier {
            Some(q) => &arn[..arn.len() - q.len() - 1],
            None => arn,
        };
        Some(FunctionArn {
            unqualified,
            name,
            qualifier,
        })
    }

    /// The unqualified ARN and the qualifier of an ARN pinned to an alias or a version;
    /// `None` for an unqualified ARN or `$LATEST` (whatever was deployed last).
    pub fn pinned(&self) -> Option<(&'a str, &'a str)> {
        self.qualifier
            .filter(|q| *q != "$LATEST")
            .map(|q| (self.unqualified, q))
    }
}

/// `<function ARN>:<qualifier>`: a version's or an alias's ARN.
pub fn qualified(function_arn: &str, qualifier: &str) -> String {
    format!("{function_arn}:{qualifier}")
}

/// True for a published version number (`7`), false for `$LATEST` or an alias name.
pub fn is_published_version(version: &str) -> bool {
    !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:checkout";

    #[test]
    fn parses_unqualified_and_qualified_arns() {
        let f = FunctionArn::parse(FUNCTION).unwrap();
        assert_eq!(
            (f.unqualified, f.name, f.qualifier),
            (FUNCTION, "checkout", None)
        );
        let alias = format!("{FUNCTION}:live");
        let a = FunctionArn::parse(&alias).unwrap();
        assert_eq!(
            (a.unqualified, a.name, a.qualifier),
            (FUNCTION, "checkout", Some("live"))
        );
        assert_eq!(qualified(FUNCTION, "7"), format!("{FUNCTION}:7"));
    }

    #[test]
    fn refuses_what_is_not_a_function_arn() {
        for bad in [
            "checkout",
            "arn:aws:lambda:us-east-1:123456789012:layer:x:1",
            "arn:aws:elasticloadbalancing:us-east-1:1:function:x",
            "arn:aws:lambda:us-east-1:123456789012:function:",
            "arn:aws:lambda:us-east-1:123456789012:function:f:live:extra",
            "arn:aws:lambda:us-east-1:123456789012:function:f:",
        ] {
            assert_eq!(FunctionArn::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn published_versions_are_numbers() {
        assert!(is_published_version("1"));
        assert!(is_published_version("42"));
        assert!(!is_published_version("$LATEST"));
        assert!(!is_published_version("live"));
        assert!(!is_published_version(""));
    }
}
