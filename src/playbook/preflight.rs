//! The playbook's `preflight:` section → [`PreflightPolicy`]. A check can be skipped only by
//! naming it, so an unknown name is an error listing the valid ones (a typo must not leave a
//! check running that the author meant to skip, or the reverse).

use super::error::Diag;
use super::model::Sp;
use super::values::closest;
use crate::core::plan::PreflightKind;
use crate::core::plan::PreflightPolicy;
use serde::Deserialize;

/// `preflight: { min_healthy_targets: N, warm_starts: bool, skip: [names…] }`, as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreflightDoc {
    /// The healthy targets each target group needs before the first write (0–1000, default 1).
    #[schemars(range(min = 0, max = MAX_HEALTHY_TARGETS))]
    pub min_healthy_targets: Option<Sp<i64>>,
    /// Require provisioned concurrency `READY` on the canary's Lambda function (default false).
    pub warm_starts: Option<Sp<bool>>,
    /// Preflight checks not to make, by name.
    #[serde(default)]
    #[schemars(schema_with = "super::schema::preflight_skip")]
    pub skip: Option<Sp<Vec<Sp<String>>>>,
}

/// The most healthy targets a playbook may ask for (a target group holds at most 1,000).
const MAX_HEALTHY_TARGETS: i64 = 1000;

pub(crate) fn policy(d: &mut Diag, doc: &Sp<PreflightDoc>) -> Option<PreflightPolicy> {
    let errors_before = d.error_count();
    let mut policy = PreflightPolicy::default();
    if let Some(n) = &doc.value.min_healthy_targets {
        if (0..=MAX_HEALTHY_TARGETS).contains(&n.value) {
            policy.min_healthy_targets = n.value as u32;
        } else {
            d.error(
                n,
                format!(
                    "`min_healthy_targets: {}` is out of range (0–{MAX_HEALTHY_TARGETS})",
                    n.value
                ),
                "write the number of healthy targets each target group needs, e.g. \
                 `min_healthy_targets: 2` (default 1); to skip the check, add \
                 `canary-healthy-targets` and `stable-healthy-targets` to `skip`",
            );
        }
    }
    if let Some(warm) = &doc.value.warm_starts {
        policy.warm_starts = warm.value;
    }
    for name in doc.value.skip.iter().flat_map(|s| s.value.iter()) {
        let raw = name.value.trim();
        if let Some(kind) = PreflightKind::parse(raw) {
            if !policy.skip.contains(&kind) {
                policy.skip.push(kind);
            }
            continue;
        }
        let hint = closest(&raw.to_ascii_lowercase(), &PreflightKind::NAMES)
            .map_or(String::new(), |c| format!("did you mean `{c}`? "));
        d.error(
            name,
            format!("`{raw}` is not a preflight check"),
            format!(
                "{hint}the preflight checks are: {}",
                PreflightKind::NAMES.join(", ")
            ),
        );
    }
    (d.error_count() == errors_before).then_some(policy)
}

#[cfg(test)]
mod tests {
    use crate::core::plan::PreflightPolicy;

    const ROUTE: &str = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    \
                         stable: s\n    canary: c\nsteps:\n  canary: [10, 50]\n  bake: 2m\n";

    fn parse(extra: &str) -> Result<PreflightPolicy, String> {
        crate::playbook::parse(&format!("{ROUTE}{extra}"), "p.yaml")
            .map(|v| v.plan.preflight)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_apply_without_a_section() {
        assert_eq!(parse("").unwrap(), PreflightPolicy::default());
        assert_eq!(PreflightPolicy::default().min_healthy_targets, 1);
    }

    #[test]
    fn the_section_sets_each_field() {
        let policy = parse(
            "preflight:\n  min_healthy_targets: 3\n  warm_starts: true\n  skip: [start-split]\n",
        )
        .unwrap();
        assert_eq!(policy.min_healthy_targets, 3);
        assert!(policy.warm_starts);
        assert_eq!(policy.skip, [crate::core::plan::PreflightKind::StartSplit]);
    }

    #[test]
    fn an_unknown_skip_name_lists_the_valid_ones() {
        let error = parse("preflight:\n  skip: [canary-healthy-target]\n").unwrap_err();
        assert!(
            error.contains("p.yaml:12:10: error: `canary-healthy-target` is not a preflight check"),
            "{error}"
        );
        assert!(
            error.contains("did you mean `canary-healthy-targets`?"),
            "{error}"
        );
        assert!(
            error.contains("target-groups, canary-healthy-targets"),
            "{error}"
        );
    }

    #[test]
    fn out_of_range_counts_and_unknown_fields_are_errors() {
        let error = parse("preflight:\n  min_healthy_targets: -1\n").unwrap_err();
        assert!(error.contains("out of range (0–1000)"), "{error}");
        let error = parse("preflight:\n  warm: true\n").unwrap_err();
        assert!(error.contains("warm"), "{error}");
    }
}
