//! ARNs, split in this one place: `arn:<partition>:<service>:<region>:<account>:<resource>`.
//!
//! Every layer that reads an ARN (the playbook's validation, each backend's ARN module, the
//! record's tag location, the region check, the IAM scope) takes its fields from [`Arn::parse`];
//! what a resource part means is the business of the service's own module
//! (`traffic::alb::arn`, `traffic::lattice::arn`, `traffic::lambda_alias::arn`).

/// The fields of an ARN, borrowed from its text. Only the shape is checked: six fields, the
/// `arn` scheme, a partition; the service decides what the rest must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the account, colons included (`function:f:live`).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// The fields of `text`, or `None` when it is not an ARN at all.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut fields = text.splitn(6, ':');
        let scheme = fields.next()?;
        let arn = Arn {
            partition: fields.next()?,
            service: fields.next()?,
            region: fields.next()?,
            account: fields.next()?,
            resource: fields.next()?,
        };
        (scheme == "arn" && !arn.partition.is_empty()).then_some(arn)
    }

    /// The ARN of `service` with a region and an account (a resource's, not a global one's).
    pub fn parse_regional(text: &'a str, service: &str) -> Option<Arn<'a>> {
        Arn::parse(text).filter(|arn| {
            arn.service == service && !arn.region.is_empty() && !arn.account.is_empty()
        })
    }

    /// `arn:<partition>:<service>:<region>:<account>:`, what comes before the resource.
    pub fn prefix(&self) -> String {
        format!(
            "arn:{}:{}:{}:{}:",
            self.partition, self.service, self.region, self.account
        )
    }

    /// The text before the resource part and the resource part, of a regional ARN of
    /// `service`, both borrowed from `text`.
    pub fn split(text: &'a str, service: &str) -> Option<(&'a str, &'a str)> {
        let arn = Arn::parse_regional(text, service)?;
        let prefix = text.get(..text.len() - arn.resource.len())?;
        Some((prefix, arn.resource))
    }

    /// The same fields, owned (for what outlives the text, such as a playbook's checked ARNs).
    pub fn to_owned(&self) -> OwnedArn {
        OwnedArn {
            partition: self.partition.to_string(),
            service: self.service.to_string(),
            region: self.region.to_string(),
            account: self.account.to_string(),
            resource: self.resource.to_string(),
        }
    }
}

/// An [`Arn`]'s fields, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedArn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

#[cfg(test)]
mod tests {
    use super::Arn;

    #[test]
    fn an_arn_splits_into_its_six_fields() {
        let arn = Arn::parse("arn:aws:lambda:eu-west-1:123456789012:function:f:live").unwrap();
        assert_eq!(
            (
                arn.partition,
                arn.service,
                arn.region,
                arn.account,
                arn.resource
            ),
            (
                "aws",
                "lambda",
                "eu-west-1",
                "123456789012",
                "function:f:live"
            )
        );
        assert_eq!(arn.prefix(), "arn:aws:lambda:eu-west-1:123456789012:");
        let global = Arn::parse("arn:aws:iam::123456789012:role/x").unwrap();
        assert_eq!(global.region, "");
        assert_eq!(
            Arn::parse_regional("arn:aws:iam::123456789012:role/x", "iam"),
            None
        );
    }

    #[test]
    fn anything_else_is_not_an_arn() {
        for text in [
            "",
            "arn",
            "arn:aws:s3",
            "urn:aws:s3:::b",
            "arn::s3:::b",
            "checkout",
        ] {
            assert_eq!(Arn::parse(text), None, "{text}");
        }
    }
}
