"""What VPC Lattice services, listeners, rules and target groups look like on AWS, for the
vpclattice_* patches: their errors, their ids, finding them by id or ARN, and their JSON.

Why each piece exists (moto 5.2.5 differs from AWS here):
- Errors. moto answers every ResourceNotFoundException with HTTP 400 and a message that is just
  the identifier; botocore's model (the shape source) gives ResourceNotFoundException 404 with
  `resourceId` and `resourceType`, ValidationException 400 with `reason` and optional
  `fieldList`, ConflictException 409 with `resourceId` and `resourceType`. Errors here are
  rest-json as AWS sends them: header `x-amzn-errortype: <Code>`, body
  `{"__type": "<Code>", "message": ..., <modelled members>}`. The codes, statuses and members
  are the model's; the message wording and the resourceType values are not confirmed.
- Ids. moto made ids from a uuid prefix (`svc-ec2b5006-d621-449`); the model's patterns are
  `svc-`/`listener-`/`rule-`/`tg-` + 17 characters of [0-9a-z], and ARNs embed them
  (`.../service/svc-X/listener/listener-Y/rule/rule-Z`). New resources get ids of that form.
- Identifiers. Every *Identifier member takes the id or the full ARN (the API reference says
  "The ID or ARN of ..."); moto looked ids up in a dict, so ARNs were "not found" or, for
  rules, baked into the rule's ARN. `find_*` accept both and check the parent (a listener of
  another service is not found).
- JSON. Responses carry exactly the members of the operation's output shape in botocore's
  model (moto added `serviceIdentifier`, `tags`, empty strings, ...), and timestamps read as in
  the AWS CLI examples, e.g. "2023-05-07T05:08:45.192Z".
"""

import json
import secrets
from datetime import datetime, timezone

import botocore.session
from moto.core.exceptions import JsonRESTError
from moto.vpclattice import exceptions as moto_exceptions
from moto.vpclattice import models

SERVICE = "SERVICE"
LISTENER = "LISTENER"
RULE = "RULE"
TARGET_GROUP = "TARGET_GROUP"

_service_model = botocore.session.get_session().get_service_model("vpc-lattice")


# ---- errors --------------------------------------------------------------------------------------


class LatticeError(JsonRESTError):
    def __init__(self, code: str, message: str, **members):
        super().__init__(code, message)
        self.members = {k: v for k, v in members.items() if v is not None}
        self.description = json.dumps({"__type": code, "message": message, **self.members})


class ResourceNotFound(LatticeError):
    code = 404

    def __init__(self, resource_type: str, resource_id: str):
        kind = resource_type.lower().replace("_", " ")
        super().__init__("ResourceNotFoundException", f"Failed to find {kind} {resource_id}",
                         resourceId=resource_id, resourceType=resource_type)


class Conflict(LatticeError):
    code = 409

    def __init__(self, message: str, resource_type: str, resource_id: str):
        super().__init__("ConflictException", message, resourceId=resource_id,
                         resourceType=resource_type)


class Invalid(LatticeError):
    code = 400

    def __init__(self, message: str, field: str | None = None,
                 reason: str = "fieldValidationFailed"):
        field_list = [{"name": field, "message": message}] if field else None
        super().__init__("ValidationException", message, reason=reason, fieldList=field_list)


def constraint(field: str, value, rule: str) -> Invalid:
    """A model-constraint violation, worded as AWS words them for other services."""
    shown = json.dumps(value) if isinstance(value, (list, dict)) else value
    return Invalid(f"1 validation error detected: Value '{shown}' at '{field}' failed to "
                   f"satisfy constraint: {rule}", field)


# ---- ids -----------------------------------------------------------------------------------------


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(9)[:17]}"


def _arn_prefix(arn: str) -> str:
    """`arn:aws:vpc-lattice:REGION:ACCOUNT:` of an ARN moto built."""
    return ":".join(arn.split(":")[:5]) + ":"


def _reid_service(self, *args, **kwargs):
    _inits["service"](self, *args, **kwargs)
    region = self.arn.split(":")[3]
    self.id = new_id("svc")
    self.arn = f"{_arn_prefix(self.arn)}service/{self.id}"
    self.dns_entry = models.VPCLatticeDNSEntry(region, self.id, self.custom_domain_name or None)


def _reid_listener(self, *args, **kwargs):
    _inits["listener"](self, *args, **kwargs)
    self.id = new_id("listener")
    self.arn = f"{self.service_arn}/listener/{self.id}"


def _reid_target_group(self, *args, **kwargs):
    _inits["target_group"](self, *args, **kwargs)
    self.id = new_id("tg")
    self.arn = f"{_arn_prefix(self.arn)}targetgroup/{self.id}"


_inits = {
    "service": models.VPCLatticeService.__init__,
    "listener": models.VPCLatticeListener.__init__,
    "target_group": models.VPCLatticeTargetGroup.__init__,
}


def apply() -> None:
    models.VPCLatticeService.__init__ = _reid_service
    models.VPCLatticeListener.__init__ = _reid_listener
    models.VPCLatticeTargetGroup.__init__ = _reid_target_group
    # moto's own not-found errors (service networks, ...) get the model's status too.
    moto_exceptions.ResourceNotFoundException.code = 404


# ---- finding resources by id or ARN --------------------------------------------------------------


def _find(items, identifier: str):
    key = "arn" if identifier.startswith("arn:") else "id"
    return next((item for item in items if getattr(item, key) == identifier), None)


def find_service(backend, identifier: str):
    service = _find(backend.services.values(), identifier)
    if service is None:
        raise ResourceNotFound(SERVICE, identifier)
    return service


def find_listener(backend, service, identifier: str):
    listener = _find(backend.listeners.values(), identifier)
    if listener is None or listener.service_identifier != service.id:
        raise ResourceNotFound(LISTENER, identifier)
    return listener


def find_rule(rules, identifier: str):
    """`rules`: the listener's rules (default rule included)."""
    rule = _find(rules, identifier)
    if rule is None:
        raise ResourceNotFound(RULE, identifier)
    return rule


def find_target_group(backend, identifier: str):
    target_group = _find(backend.target_groups.values(), identifier)
    if target_group is None:
        raise ResourceNotFound(TARGET_GROUP, identifier)
    return target_group


# ---- JSON ----------------------------------------------------------------------------------------


def timestamp(value) -> str:
    """AWS's form: millisecond precision, UTC, `Z`. Takes a datetime or moto's isoformat()."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def now() -> datetime:
    return datetime.now(timezone.utc)


def shaped(shape_name: str, values: dict) -> dict:
    """`values` cut to the members of a botocore output shape, None members left out."""
    members = _service_model.shape_for(shape_name).members
    return {k: values[k] for k in members if values.get(k) is not None}


def listener_json(listener, shape_name: str) -> dict:
    return shaped(shape_name, {
        "arn": listener.arn, "id": listener.id, "name": listener.name,
        "protocol": listener.protocol, "port": listener.port,
        "serviceArn": listener.service_arn, "serviceId": listener.service_identifier,
        "defaultAction": listener.default_action,
        "createdAt": timestamp(listener.createdAt),
        "lastUpdatedAt": timestamp(listener.last_updated_at),
    })


def target_group_json(target_group, service_arns: list[str], shape_name: str) -> dict:
    return shaped(shape_name, {
        "id": target_group.id, "arn": target_group.arn, "name": target_group.name,
        "type": target_group.type, "config": target_group.config or None,
        "createdAt": timestamp(target_group.createdAt),
        "lastUpdatedAt": timestamp(target_group.last_updated_at),
        "status": target_group.status, "serviceArns": service_arns,
    })


def service_json(service, shape_name: str) -> dict:
    return shaped(shape_name, {k: v for k, v in service.to_dict().items() if v != ""})
