"""Checks and normal form of the VPC Lattice rule parts the product writes: the RuleAction
(forward with weighted target groups, or fixedResponse), the rule priority and the match.
moto 5.2.5 stored whatever it was sent; AWS refuses what breaks these rules.

In two steps, as AWS does (input constraints first, then what needs the account's resources):
- `check_*` enforce botocore's model constraints on the input, before any lookup. A violation
  is a ValidationException (400) naming the field (`action.forward.targetGroups.2.member.weight`),
  in the Coral wording AWS uses for model constraints ("1 validation error detected: ..."):
  RuleAction is a union (exactly one of forward / fixedResponse); 1-10 target groups per
  forward; weight 0-999 (the API reference for WeightedTargetGroup: "Valid Range: Minimum value
  of 0. Maximum value of 999", so 0 is accepted); fixedResponse statusCode 100-599; priority
  1-2000 (the model and the current API reference say 2000, not 100); RuleMatch is a union
  holding httpMatch.
- `resolve_action` then needs the backend: every forwarded target group must exist
  (ValidationException, as the brief for this emulator asks; AWS's code for this case is not
  confirmed), a forward to several groups needs a weight on each (the user guide: "you must
  specify a weight for each target group"), a single group without a weight gets weight 100
  (the API reference: "If there's only one target group specified, then the default value is
  100"; the AWS CLI create-listener example reads it back as 100), and a fixedResponse may only
  be 404 or 500 (the user guide: "You can use this action to return a 404 or 500 response
  code"). Everything else is kept exactly as written, targetGroupIdentifier included (an ARN
  stays an ARN; what AWS echoes for an ARN is not confirmed).
The wording of the non-constraint messages is not confirmed against AWS.
"""

import copy

from canary_emulator.patches.vpclattice_model import (
    Invalid,
    ResourceNotFound,
    constraint,
    find_target_group,
)

MAX_TARGET_GROUPS = 10
MAX_WEIGHT = 999
DEFAULT_WEIGHT = 100
MIN_PRIORITY, MAX_PRIORITY = 1, 2000
FIXED_RESPONSE_CODES = (404, 500)
_ACTION_MEMBERS = ("forward", "fixedResponse")


def _set_members(union: dict) -> list[str]:
    return [k for k, v in union.items() if v is not None]


def check_action(action, field: str) -> None:
    if not isinstance(action, dict) or len(_set_members(action)) != 1 \
            or _set_members(action)[0] not in _ACTION_MEMBERS:
        raise Invalid(f"{field} must set exactly one of: forward, fixedResponse", field)
    if action.get("forward") is not None:
        _check_forward(action["forward"], f"{field}.forward")
    else:
        code = action["fixedResponse"].get("statusCode")
        where = f"{field}.fixedResponse.statusCode"
        if code is None:
            raise constraint(where, code, "Member must not be null")
        if not 100 <= int(code) <= 599:
            bound = ("greater than or equal to 100" if int(code) < 100
                     else "less than or equal to 599")
            raise constraint(where, code, f"Member must have value {bound}")


def _check_forward(forward: dict, field: str) -> None:
    groups = forward.get("targetGroups")
    where = f"{field}.targetGroups"
    if groups is None:
        raise constraint(where, groups, "Member must not be null")
    if len(groups) < 1:
        raise constraint(where, groups, "Member must have length greater than or equal to 1")
    if len(groups) > MAX_TARGET_GROUPS:
        raise constraint(where, [g.get("targetGroupIdentifier") for g in groups],
                         f"Member must have length less than or equal to {MAX_TARGET_GROUPS}")
    for n, group in enumerate(groups, start=1):
        if not group.get("targetGroupIdentifier"):
            raise constraint(f"{where}.{n}.member.targetGroupIdentifier", None,
                             "Member must not be null")
        weight = group.get("weight")
        if weight is None:
            continue
        if int(weight) > MAX_WEIGHT:
            raise constraint(f"{where}.{n}.member.weight", weight,
                             f"Member must have value less than or equal to {MAX_WEIGHT}")
        if int(weight) < 0:
            raise constraint(f"{where}.{n}.member.weight", weight,
                             "Member must have value greater than or equal to 0")


def require(value, field: str) -> None:
    """A member the model marks required (boto3 checks it too, the Rust SDK at build time)."""
    if value is None:
        raise constraint(field, value, "Member must not be null")


def check_priority(priority, field: str) -> None:
    if priority is None:
        return
    if int(priority) < MIN_PRIORITY:
        raise constraint(field, priority,
                         f"Member must have value greater than or equal to {MIN_PRIORITY}")
    if int(priority) > MAX_PRIORITY:
        raise constraint(field, priority,
                         f"Member must have value less than or equal to {MAX_PRIORITY}")


def check_match(match, field: str) -> None:
    if not isinstance(match, dict) or _set_members(match) != ["httpMatch"]:
        raise Invalid(f"{field} must set exactly one of: httpMatch", field)


def resolve_action(backend, action: dict, field: str) -> dict:
    """The action as it is stored and read back (after check_action)."""
    action = {k: copy.deepcopy(v) for k, v in action.items() if v is not None}
    if "fixedResponse" in action:
        code = int(action["fixedResponse"]["statusCode"])
        if code not in FIXED_RESPONSE_CODES:
            raise Invalid(f"Invalid status code {code} at '{field}.fixedResponse.statusCode': "
                          "a fixed response can return 404 or 500 only",
                          f"{field}.fixedResponse.statusCode")
        return action
    groups = action["forward"]["targetGroups"]
    for n, group in enumerate(groups, start=1):
        identifier = group["targetGroupIdentifier"]
        where = f"{field}.forward.targetGroups.{n}.member.targetGroupIdentifier"
        try:
            find_target_group(backend, identifier)
        except ResourceNotFound:
            raise Invalid(f"Target group {identifier} at '{where}' does not exist", where) from None
    if len(groups) == 1 and groups[0].get("weight") is None:
        groups[0]["weight"] = DEFAULT_WEIGHT
    for n, group in enumerate(groups, start=1):
        if group.get("weight") is None:
            where = f"{field}.forward.targetGroups.{n}.member.weight"
            raise Invalid(f"A weight is required at '{where}': a forward action with more than "
                          "one target group needs a weight for each", where)
    return action
