//! The playbook's `switch:` section and `analysis.max_gap` → [`DeadMansSwitch`]. The role must
//! be an IAM role's ARN (EventBridge Scheduler assumes it to make the restoring write), and
//! `max_gap` at least four `interval`s: a healthy runner pushes the schedule forward once it is
//! within the last third of the gap, so it must tick at least once inside that third.

use super::error::{Bad, Diag, Pos};
use super::model::Sp;
use super::values::{show_duration, whole_seconds};
use crate::core::plan::DeadMansSwitch;
use std::time::Duration;

/// `switch: { role: <IAM role ARN>, group: <schedule group> }`, as written.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwitchDoc {
    /// The IAM role EventBridge Scheduler assumes to restore the stable split
    /// (`arn:aws:iam::<account>:role/<name>`); `iam-policy` prints what it needs.
    #[schemars(
        required,
        regex(pattern = r"^\s*arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}\s*$")
    )]
    pub role: Option<Sp<String>>,
    /// The schedule group of the switch's schedule (default `default`).
    #[schemars(regex(pattern = r"^\s*[0-9A-Za-z._-]{1,64}\s*$"))]
    pub group: Option<Sp<String>>,
}

/// The default `max_gap`.
pub(crate) const DEFAULT_MAX_GAP: Duration = Duration::from_secs(600);

/// The switch of `doc` (with `max_gap` from `analysis`, checked against `interval`); `None`
/// after an error, `Some(None)` when the playbook has no switch.
pub(crate) fn switch(
    d: &mut Diag,
    doc: Option<&Sp<SwitchDoc>>,
    max_gap: Option<&Sp<String>>,
    interval: Option<Duration>,
    root: Pos,
) -> Option<Option<DeadMansSwitch>> {
    let Some(doc) = doc else {
        if let Some(gap) = max_gap {
            d.warn(
                gap,
                "`max_gap` has no effect without `switch:` (the role the dead-man's switch uses)",
            );
        }
        return Some(None);
    };
    let errors_before = d.error_count();
    let role = match &doc.value.role {
        Some(r) => d.check(r, role_arn(r.value.trim())),
        None => {
            d.error(
                doc,
                "`switch` needs `role:`, the IAM role EventBridge Scheduler assumes to put the \
                 traffic back on stable",
                "add `role: arn:aws:iam::<account>:role/canary-deploy-switch` (`canary-deploy \
                 iam-policy` prints what it must allow)",
            );
            None
        }
    };
    let group = match &doc.value.group {
        Some(g) => d.check(g, group_name(g.value.trim())),
        None => Some("default".to_string()),
    };
    let gap = match max_gap {
        Some(g) => d.check(g, whole_seconds("max_gap", &g.value)),
        None => Some(DEFAULT_MAX_GAP),
    };
    if let (Some(gap), Some(interval)) = (gap, interval) {
        let least = interval.saturating_mul(4).max(Duration::from_secs(2));
        if gap < least {
            d.error(
                max_gap.map_or(root, Pos::from),
                format!(
                    "`max_gap` {} is shorter than four intervals ({}): a healthy runner could \
                     miss pushing the switch forward and have its canary rolled back",
                    show_duration(gap),
                    show_duration(least)
                ),
                format!("write `max_gap: {}` or longer", show_duration(least)),
            );
        }
    }
    if d.error_count() > errors_before {
        return None;
    }
    Some(Some(DeadMansSwitch {
        role_arn: role?,
        group: group?,
        max_gap: gap?,
    }))
}

fn role_arn(raw: &str) -> Result<String, Bad> {
    let hint =
        "write the role's ARN, e.g. `role: arn:aws:iam::123456789012:role/canary-deploy-switch`";
    let arn = crate::arn::Arn::parse(raw)
        .ok_or_else(|| Bad::new(format!("`{raw}` is not an IAM role ARN"), hint))?;
    let account_ok = arn.account.len() == 12 && arn.account.bytes().all(|b| b.is_ascii_digit());
    let name = arn.resource.strip_prefix("role/").unwrap_or_default();
    if arn.service != "iam" || !arn.region.is_empty() || !account_ok || name.is_empty() {
        return Err(Bad::new(format!("`{raw}` is not an IAM role ARN"), hint));
    }
    Ok(raw.to_string())
}

fn group_name(raw: &str) -> Result<String, Bad> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if raw.is_empty() || raw.len() > 64 || !raw.chars().all(ok) {
        return Err(Bad::new(
            format!(
                "`{raw}` is not a schedule group name (1–64 of letters, digits, `.`, `-`, `_`)"
            ),
            "write `group: default` or the name of a schedule group, or leave it out",
        ));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use crate::playbook::parse;

    const BASE: &str = "name: x\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 100]\n  bake: 1m\n";

    fn errors(extra: &str) -> Vec<String> {
        match parse(&format!("{BASE}{extra}"), "p.yaml") {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(|p| p.message.clone()).collect(),
        }
    }

    #[test]
    fn a_switch_reads_its_role_group_and_gap() {
        let yaml = format!(
            "{BASE}switch:\n  role: arn:aws:iam::123456789012:role/switch\nanalysis:\n  interval: 30s\n  max_gap: 5m\n"
        );
        let plan = parse(&yaml, "p.yaml").unwrap().plan;
        let switch = plan.switch.expect("a switch");
        assert_eq!(switch.role_arn, "arn:aws:iam::123456789012:role/switch");
        assert_eq!(switch.group, "default");
        assert_eq!(switch.max_gap.as_secs(), 300);
        let defaulted = parse(
            &format!("{BASE}switch: {{role: 'arn:aws:iam::123456789012:role/a/b'}}\n"),
            "p.yaml",
        )
        .unwrap()
        .plan;
        assert_eq!(defaulted.switch.unwrap().max_gap.as_secs(), 600);
        assert!(parse(BASE, "p.yaml").unwrap().plan.switch.is_none());
    }

    #[test]
    fn bad_switches_say_what_to_write() {
        assert!(errors("switch: {}\n")[0].contains("needs `role:`"));
        assert!(errors("switch: {role: arn:aws:s3:::bucket}\n")[0].contains("not an IAM role ARN"));
        assert!(
            errors("switch: {role: 'arn:aws:iam::123456789012:user/u'}\n")[0]
                .contains("not an IAM role ARN")
        );
        let short = errors(
            "switch: {role: 'arn:aws:iam::123456789012:role/r'}\nanalysis: {interval: 30s, max_gap: 1m}\n",
        );
        assert!(
            short[0].contains("shorter than four intervals (2m)"),
            "{short:?}"
        );
        assert!(
            errors("switch: {role: 'arn:aws:iam::123456789012:role/r', group: 'a b'}\n")[0]
                .contains("schedule group")
        );
    }
}
