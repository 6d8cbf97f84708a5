"""Patches moto 5.2.5's ELBv2 actions to read back and validate as AWS does.

Forward actions:
- A plain forward action (`TargetGroupArn` only) reads back from AWS with both the
  `TargetGroupArn` and a `ForwardConfig` holding that one group at weight 1 with stickiness
  off; moto returned the ARN alone. The product parses ForwardConfig, so this matters.
- Target group weights must be 0-999; moto stored 1000 or -1. Out of range is a ValidationError.
- AWS accepts TargetGroupArn together with ForwardConfig only if ForwardConfig names that one
  group; moto accepted any mix. A mismatch is a ValidationError.
These checks sit in FakeAction's constructor, which CreateRule, ModifyRule, CreateListener and
ModifyListener all go through (moto's ModifyListener skips its own action validation).

authenticate-oidc actions (moto stored and echoed the whole AuthenticateOidcConfig as sent):
- AWS never returns `ClientSecret`: not from DescribeRules / DescribeListeners, nor in the
  rules or listeners that the write operations answer with. The emulator keeps the secret on
  the action (`client_secret(action)`), out of the config that is serialised.
- CreateRule / CreateListener require `ClientSecret` (the API reference: "required if you are
  creating a rule"); without it the answer is a 400 ValidationError.
- ModifyRule / ModifyListener take either `ClientSecret` (the new secret) or
  `UseExistingClientSecret: true`, which keeps the secret stored on the rule's or listener's
  current authenticate-oidc action. Neither is a 400 ValidationError, and so is
  `UseExistingClientSecret: true` when there is no current secret to keep. Both together is a
  400 InvalidLoadBalancerAction "You cannot both specify a client secret and set
  UseExistingClientSecret to true": that code and text are AWS's own, as quoted from a live
  ModifyRule in ansible-collections/amazon.aws#1877.
- `UseExistingClientSecret` is write-only here: it is not stored and never read back. Whether
  AWS echoes it in Describe* is not confirmed (the API reference describes it only as a request
  parameter), so the emulator does not return it.
The wording of every ValidationError message in this module follows AWS's style but is not
confirmed against AWS; the codes and the 400 status are.
"""

from moto.elbv2 import models
from moto.elbv2.exceptions import InvalidLoadBalancerActionException, ValidationError

MAX_WEIGHT = 999
OIDC = "authenticate-oidc"
_SECRET_ATTR = "_canary_oidc_client_secret"

_original_init = models.FakeAction.__init__
_original = {
    name: getattr(models.ELBv2Backend, name)
    for name in ("create_rule", "create_listener", "modify_rule", "modify_listener")
}


def apply() -> None:
    models.FakeAction.__init__ = action_init
    models.ELBv2Backend.create_rule = create_rule
    models.ELBv2Backend.create_listener = create_listener
    models.ELBv2Backend.modify_rule = modify_rule
    models.ELBv2Backend.modify_listener = modify_listener


def client_secret(action) -> str | None:
    """The OIDC client secret the emulator stores for an action (None if it has none)."""
    return getattr(action, _SECRET_ATTR, None)


# ---- FakeAction ---------------------------------------------------------------------------------


def action_init(self, data: dict) -> None:
    secret = None
    if data.get("Type") == "forward":
        data = dict(data)
        _validate_forward(data)
        if data.get("TargetGroupArn") and "ForwardConfig" not in data:
            data["ForwardConfig"] = {
                "TargetGroups": [{"TargetGroupArn": data["TargetGroupArn"], "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": False},
            }
    elif data.get("Type") == OIDC and isinstance(data.get("AuthenticateOidcConfig"), dict):
        # What is serialised is the config without the secret and without the write-only flag.
        data = dict(data)
        config = dict(data["AuthenticateOidcConfig"])
        secret = config.pop("ClientSecret", None)
        config.pop("UseExistingClientSecret", None)
        data["AuthenticateOidcConfig"] = config
    _original_init(self, data)
    setattr(self, _SECRET_ATTR, secret)


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


# ---- the client secret on writes ----------------------------------------------------------------


def create_rule(self, listener_arn, conditions, priority, actions, tags=None):
    _require_secrets(actions)
    return _original["create_rule"](self, listener_arn, conditions, priority, actions, tags)


def create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions,
                    alpn_policy=None, tags=None):
    _require_secrets(actions)
    return _original["create_listener"](self, load_balancer_arn, protocol, port, ssl_policy,
                                        certificate, actions, alpn_policy, tags)


def modify_rule(self, rule_arn, conditions, actions):
    if actions:
        try:
            [current] = self.describe_rules(listener_arn=None, rule_arns=[rule_arn])
        except Exception:
            current = None  # moto's own modify_rule answers for a missing rule
        if current is not None:
            actions = _resolve_secrets(actions, current.actions, "rule")
    return _original["modify_rule"](self, rule_arn, conditions, actions)


def modify_listener(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None,
                    actions=None):
    if actions:
        try:
            current = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
        except Exception:
            current = None  # moto's own modify_listener answers for a missing listener
        if current is not None:
            actions = _resolve_secrets(actions, current.default_actions, "listener")
    return _original["modify_listener"](self, arn, port, protocol, ssl_policy, certificates,
                                        actions)


def _oidc_configs(actions: list[dict]):
    for n, action in enumerate(actions or [], start=1):
        if action.get("Type") == OIDC and isinstance(action.get("AuthenticateOidcConfig"), dict):
            yield n, action["AuthenticateOidcConfig"]


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _require_secrets(actions: list[dict]) -> None:
    for n, config in _oidc_configs(actions):
        if config.get("ClientSecret") is None:
            raise ValidationError(
                f"A client secret must be specified in the OIDC configuration of action {n} "
                "when creating a rule or listener"
            )


def _resolve_secrets(actions: list[dict], current_actions, owner: str) -> list[dict]:
    """The actions to store: UseExistingClientSecret replaced by the current secret."""
    current = next(
        (client_secret(a) for a in current_actions or []
         if a.type == OIDC and client_secret(a) is not None),
        None,
    )
    resolved = [dict(action) for action in actions]
    for n, config in _oidc_configs(resolved):
        has_secret = config.get("ClientSecret") is not None
        use_existing = _is_true(config.get("UseExistingClientSecret"))
        if has_secret and use_existing:
            raise InvalidLoadBalancerActionException(
                "You cannot both specify a client secret and set UseExistingClientSecret to true"
            )
        if not has_secret and not use_existing:
            raise ValidationError(
                f"You must either specify a client secret or set UseExistingClientSecret to "
                f"true in the OIDC configuration of action {n}"
            )
        if use_existing:
            if current is None:
                raise ValidationError(
                    f"UseExistingClientSecret is true in the OIDC configuration of action {n} "
                    f"but the {owner} has no existing client secret"
                )
            resolved[n - 1]["AuthenticateOidcConfig"] = {**config, "ClientSecret": current}
    return resolved
