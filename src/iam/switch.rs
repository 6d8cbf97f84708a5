//! The schedules' permissions. The dead-man's switch's: the runner's (read, create, move and
//! delete its one schedule, and pass the switch's role to Scheduler) and the role's own, which
//! is exactly the weight write the runner makes (the restoring write is that write with the
//! stable's weights). And the Lambda runner's: deleting the deployment's tick schedule.

use super::grants::{grant, Scope};
use super::{assemble, Grant, Policy};
use crate::core::switch::{lane_schedule_name, schedule_name, tick_schedule_name};
use crate::core::Plan;

const SCHEDULE_ACTIONS: [&str; 4] = [
    "scheduler:GetSchedule",
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
];

/// The runner's grants for `plan`'s switch (none without one).
pub(super) fn runner_grants(plan: &Plan, scope: &Scope) -> Vec<Grant> {
    let Some(switch) = &plan.switch else {
        return Vec::new();
    };
    let schedule = format!(
        "{}schedule/{}/{}",
        scope.prefix("scheduler"),
        switch.group,
        schedule_name(&plan.name)
    );
    let mut schedules = vec![schedule];
    if plan.lane.is_some() {
        schedules.push(format!(
            "{}schedule/{}/{}",
            scope.prefix("scheduler"),
            switch.group,
            lane_schedule_name(&plan.name)
        ));
    }
    let mut grants: Vec<Grant> = schedules
        .iter()
        .flat_map(|s| {
            SCHEDULE_ACTIONS
                .iter()
                .map(move |a| grant("DeadMansSwitch", a, s))
        })
        .collect();
    grants.push(grant("PassSwitchRole", "iam:PassRole", &switch.role_arn));
    grants
}

/// The Lambda runner's grant to delete the deployment's tick schedule, in the switch's group
/// (`schedule`'s default group) or `default`.
pub(super) fn tick_schedule_grant(plan: &Plan, scope: &Scope) -> Grant {
    grant(
        "EndTickSchedule",
        "scheduler:DeleteSchedule",
        &tick_schedule(plan, scope),
    )
}

/// `status`'s read of the deployment's tick schedule.
pub(super) fn tick_schedule_read(plan: &Plan, scope: &Scope) -> Grant {
    grant(
        "ReadTickSchedule",
        "scheduler:GetSchedule",
        &tick_schedule(plan, scope),
    )
}

fn tick_schedule(plan: &Plan, scope: &Scope) -> String {
    let group = plan.switch.as_ref().map_or("default", |s| s.group.as_str());
    format!(
        "{}schedule/{group}/{}",
        scope.prefix("scheduler"),
        tick_schedule_name(&plan.name)
    )
}

/// The switch role's policy: the route's weight write, on the same resources, and with a
/// header lane the deletion of its rule (the lane's own switch).
pub(super) fn role_policy(grants: &[Grant]) -> Policy {
    assemble(
        grants
            .iter()
            .filter(|g| {
                g.sid == "WriteWeights"
                    || (g.sid == "HeaderLane" && g.action.ends_with(":DeleteRule"))
            })
            .cloned()
            .collect(),
    )
}

/// The role's trust policy: EventBridge Scheduler may assume it.
pub fn trust_policy() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "scheduler.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::super::{policy, RecordStore};
    use crate::playbook::parse;

    #[test]
    fn the_runner_may_keep_one_schedule_and_the_role_only_write_the_weights() {
        let yaml = "name: shop\nroute:\n  alb:\n    rule: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3\n    stable: s\n    canary: c\nsteps:\n  canary: [10, 100]\n  bake: 1m\nswitch:\n  role: arn:aws:iam::123456789012:role/switch\n";
        let plan = parse(yaml, "p.yaml").unwrap().plan;
        let generated = policy(&plan, None, RecordStore::Tags);
        let schedule =
            "arn:aws:scheduler:us-east-1:123456789012:schedule/default/canary-deploy-shop";
        for action in super::SCHEDULE_ACTIONS {
            assert!(generated.policy.allows(action, schedule), "{action}");
            assert!(!generated.policy.allows(
                action,
                "arn:aws:scheduler:us-east-1:123456789012:schedule/default/other"
            ));
        }
        assert!(generated
            .policy
            .allows("iam:PassRole", "arn:aws:iam::123456789012:role/switch"));
        let role = generated.switch_role.expect("the role's policy");
        let rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3";
        assert!(role.allows("elasticloadbalancing:ModifyRule", rule));
        assert_eq!(role.actions().len(), 1, "{:?}", role.actions());
        // With a header lane: its own schedule, and the role may delete the lane's rules only.
        let laned = parse(
            &yaml.replace(
                "steps:\n",
                "steps:\n  header_lane: { header: x-canary, value: \"1\" }\n",
            ),
            "p.yaml",
        )
        .unwrap()
        .plan;
        let generated = policy(&laned, None, RecordStore::Tags);
        let lane_schedule =
            "arn:aws:scheduler:us-east-1:123456789012:schedule/default/canary-deploy-shop.lane";
        for action in super::SCHEDULE_ACTIONS {
            assert!(generated.policy.allows(action, lane_schedule), "{action}");
        }
        let role = generated.switch_role.expect("the role's policy");
        let lane_rule =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/99";
        assert!(role.allows("elasticloadbalancing:DeleteRule", lane_rule));
        assert!(role.allows("elasticloadbalancing:ModifyRule", rule));
        assert_eq!(role.actions().len(), 2, "{:?}", role.actions());
        let without = parse(
            &yaml.replace(
                "switch:\n  role: arn:aws:iam::123456789012:role/switch\n",
                "",
            ),
            "p.yaml",
        )
        .unwrap()
        .plan;
        let generated = policy(&without, None, RecordStore::Tags);
        assert!(generated.switch_role.is_none());
        // Without a switch, only `status`'s read of the runner's tick schedule.
        let scheduler: Vec<String> = generated
            .policy
            .actions()
            .into_iter()
            .filter(|a| a.starts_with("scheduler:"))
            .collect();
        assert_eq!(scheduler, ["scheduler:GetSchedule"]);
        assert!(!generated.policy.allows(
            "scheduler:GetSchedule",
            "arn:aws:scheduler:us-east-1:123456789012:schedule/default/canary-deploy-shop"
        ));
    }
}
