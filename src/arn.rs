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
}

/// An ARN checked once and kept with its fields: what a [`crate::core::Plan`] carries for every
/// ARN the playbook wrote, so no later layer splits it again. It reads and writes as its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedArn {
    text: String,
    /// Where each of the four colons after the partition, service, region and account is.
    colons: [usize; 4],
}

impl OwnedArn {
    /// `text` as an ARN, or `None` when it is not one (see [`Arn::parse`]).
    pub fn parse(text: &str) -> Option<OwnedArn> {
        let arn = Arn::parse(text)?;
        let mut at = "arn:".len();
        let mut colons = [0; 4];
        for (colon, field) in
            colons
                .iter_mut()
                .zip([arn.partition, arn.service, arn.region, arn.account])
        {
            at += field.len();
            *colon = at;
            at += 1;
        }
        Some(OwnedArn {
            text: text.to_string(),
            colons,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text between two of the colons (`None` before the first: after `arn:`).
    fn field(&self, after: Option<usize>, before: Option<usize>) -> &str {
        let start = after.map_or("arn:".len(), |i| self.colons[i] + 1);
        let end = before.map_or(self.text.len(), |i| self.colons[i]);
        self.text.get(start..end).unwrap_or_default()
    }

    pub fn partition(&self) -> &str {
        self.field(None, Some(0))
    }

    pub fn service(&self) -> &str {
        self.field(Some(0), Some(1))
    }

    pub fn region(&self) -> &str {
        self.field(Some(1), Some(2))
    }

    pub fn account(&self) -> &str {
        self.field(Some(2), Some(3))
    }

    /// Everything after the account.
    pub fn resource(&self) -> &str {
        self.field(Some(3), None)
    }

    /// The fields, borrowed.
    pub fn parts(&self) -> Arn<'_> {
        Arn {
            partition: self.partition(),
            service: self.service(),
            region: self.region(),
            account: self.account(),
            resource: self.resource(),
        }
    }
}

impl std::fmt::Display for OwnedArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for OwnedArn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for OwnedArn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        OwnedArn::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an ARN")))
    }
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
    fn an_owned_arn_keeps_its_text_and_fields() {
        let text = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-1";
        let arn = super::OwnedArn::parse(text).unwrap();
        assert_eq!(
            (arn.as_str(), arn.region(), arn.resource()),
            (text, "us-east-1", "targetgroup/tg-1")
        );
        let json = serde_json::to_string(&arn).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<super::OwnedArn>(&json).unwrap(), arn);
        assert!(serde_json::from_str::<super::OwnedArn>("\"checkout\"").is_err());
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
