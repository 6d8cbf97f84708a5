//! The Lambda alias route after resolution: the function and alias by ARN, the two published
//! versions, and the words messages use for them. Requests name the function by its
//! unqualified ARN; the metrics layer takes the function's name, the alias and the versions.

use super::arn;

/// The route as verified ARNs and version numbers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResolvedAlias {
    /// `arn:…:function:<name>` (unqualified).
    pub function_arn: String,
    pub function_name: String,
    /// The alias's name, e.g. `live`.
    pub alias: String,
    /// `arn:…:function:<name>:<alias>`.
    pub alias_arn: String,
    /// The published version the alias serves outside a deployment (its FunctionVersion).
    pub stable_version: String,
    /// The published version that gets the canary's weight.
    pub canary_version: String,
}

impl ResolvedAlias {
    /// The alias, for messages: "Lambda alias arn:…:function:checkout:live".
    pub fn resource(&self) -> String {
        format!("Lambda alias {}", self.alias_arn)
    }

    /// [`crate::traffic::Router::describe`]: "Lambda alias live of function checkout (stable
    /// version 7, canary version 8)".
    pub fn describe(&self) -> String {
        format!(
            "Lambda alias {} of function {} (stable version {}, canary version {})",
            self.alias, self.function_name, self.stable_version, self.canary_version
        )
    }

    /// The qualified ARN of the stable version.
    pub fn stable_arn(&self) -> String {
        arn::qualified(&self.function_arn, &self.stable_version)
    }

    /// The qualified ARN of the canary version.
    pub fn canary_arn(&self) -> String {
        arn::qualified(&self.function_arn, &self.canary_version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_alias_and_the_versions() {
        let f = "arn:aws:lambda:us-east-1:123456789012:function:checkout";
        let r = ResolvedAlias {
            function_arn: f.into(),
            function_name: "checkout".into(),
            alias: "live".into(),
            alias_arn: format!("{f}:live"),
            stable_version: "7".into(),
            canary_version: "8".into(),
        };
        assert_eq!(r.resource(), format!("Lambda alias {f}:live"));
        assert_eq!(
            r.describe(),
            "Lambda alias live of function checkout (stable version 7, canary version 8)"
        );
        assert_eq!(
            (r.stable_arn(), r.canary_arn()),
            (format!("{f}:7"), format!("{f}:8"))
        );
    }
}
