"""Patches moto 5.2.5's ELBv2 actions to read back and validate as AWS does.

- A plain forward action (`TargetGroupArn` only) reads back from AWS with both the
  `TargetGroupArn` and a `ForwardConfig` holding that one group at weight 1 with stickiness
  off; moto returned the ARN alone. The product parses ForwardConfig, so this matters.
- Target group weights must be 0-999; moto stored 1000 or -1. Out of range is a ValidationError.
- AWS accepts TargetGroupArn together with ForwardConfig only if ForwardConfig names that one
  group; moto accepted any mix. A mismatch is a ValidationError.
The checks sit in FakeAction's constructor, which CreateRule, ModifyRule, CreateListener and
ModifyListener all go through (moto's ModifyListener skips its own action validation).
The messages follow AWS's validation wording; their exact text is not confirmed against AWS.
"""

from moto.elbv2 import models
from moto.elbv2.exceptions import ValidationError

MAX_WEIGHT = 999
_original_init = models.FakeAction.__init__


def apply() -> None:
    models.FakeAction.__init__ = action_init


def action_init(self, data: dict) -> None:
    if data.get("Type") == "forward":
        data = dict(data)
        _validate_forward(data)
        if data.get("TargetGroupArn") and "ForwardConfig" not in data:
            data["ForwardConfig"] = {
                "TargetGroups": [{"TargetGroupArn": data["TargetGroupArn"], "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": False},
            }
    _original_init(self, data)


def _validate_forward(data: dict) -> None:
    groups = (data.get("ForwardConfig") or {}).get("TargetGroups") or []
    for n, group in enumerate(groups, start=1):
        weight = group.get("Weight")
        if weight is None:
            continue
        if int(weight) > MAX_WEIGHT:
            _invalid(weight, n, f"Member must have value less than or equal to {MAX_WEIGHT}")
        if int(weight) < 0:
            _invalid(weight, n, "Member must have value greater than or equal to 0")
    arn = data.get("TargetGroupArn")
    if arn and groups and [g.get("TargetGroupArn") for g in groups] != [arn]:
        raise ValidationError(
            "You can specify both a top-level target group ARN and a target group ARN in the "
            "forward config only if they refer to the same single target group"
        )


def _invalid(weight, n: int, constraint: str) -> None:
    raise ValidationError(
        f"1 validation error detected: Value '{weight}' at "
        f"'forwardConfig.targetGroups.{n}.member.weight' failed to satisfy constraint: {constraint}"
    )
