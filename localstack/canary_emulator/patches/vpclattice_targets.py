"""VPC Lattice RegisterTargets, DeregisterTargets and ListTargets, which moto 5.2.5 lacks (a
call answered 404/500), with the model's shapes: `{successful: [Target], unsuccessful:
[TargetFailure]}` and `{items: [TargetSummary], nextToken}`, the model's constraints
(1-100 targets to register or deregister, at most 20 to list, maxResults 1-100) as a
ValidationException, and an unknown target group as ResourceNotFoundException (404).

The emulator has no data plane, so no health check runs. A registered target's status is what
AWS reports once checks settle: HEALTHY, or for a LAMBDA target group (which has no health
checks) UNAVAILABLE, the model's "health checks are unavailable". A test sets another status
by sending the RegisterTargets request with the header
`x-canary-emulator-target-status: STATUS[;reasonCode]` (e.g. `UNHEALTHY;HealthCheckFailed`),
which applies to the targets of that request (tests/test_vpclattice_targets.py sets it with a
boto3 event hook). A target's `port` defaults to the target group's config port, and is left
out for LAMBDA. Registering a registered target again keeps it (and sets the status given, if any).
"""

import json

from moto.vpclattice import responses

from canary_emulator.patches import vpclattice_api as api
from canary_emulator.patches import vpclattice_model as model

STATUS_HEADER = "x-canary-emulator-target-status"
STATUSES = ("DRAINING", "UNAVAILABLE", "HEALTHY", "UNHEALTHY", "INITIAL", "UNUSED")


def apply() -> None:
    for handler in (register_targets, deregister_targets, list_targets):
        setattr(responses.VPCLatticeResponse, handler.__name__, handler)


def _json(body: dict):
    return json.dumps(body), {"status": 200, "Content-Type": "application/json"}


def _targets_of(target_group) -> dict:
    if not hasattr(target_group, "canary_targets"):
        target_group.canary_targets = {}
    return target_group.canary_targets


def _requested(self, field: str, low: int, high: int) -> list:
    targets = self._get_param("targets")
    if targets is None and low == 0:
        return []
    if not isinstance(targets, list) or not low <= len(targets) <= high:
        raise model.constraint("targets", targets,
                               f"Member must have length between {low} and {high}")
    for target in targets:
        if not isinstance(target, dict) or not 1 <= len(str(target.get("id") or "")) <= 200:
            raise model.Invalid("Target id is required and must have length between 1 and 200",
                                f"{field}.id")
        port = target.get("port")
        if port is not None and not 1 <= int(port) <= 65535:
            raise model.constraint(f"{field}.port", port,
                                   "Member must have value between 1 and 65535")
    return targets


def _port(target_group, target: dict):
    if target_group.type == "LAMBDA":
        return None
    return target.get("port") or (target_group.config or {}).get("port")


def _status_from_header(self) -> tuple[str | None, str | None]:
    raw = self.headers.get(STATUS_HEADER)
    if not raw:
        return None, None
    status, _, reason = raw.partition(";")
    status = status.strip().upper()
    if status not in STATUSES:
        raise model.Invalid(f"{STATUS_HEADER}: {status} is not one of {', '.join(STATUSES)}")
    return status, reason.strip() or None


def register_targets(self):
    target_group = model.find_target_group(self.backend, self._get_param("targetGroupIdentifier"))
    targets = _requested(self, "targets", 1, 100)
    status, reason = _status_from_header(self)
    default = "UNAVAILABLE" if target_group.type == "LAMBDA" else "HEALTHY"
    registered = _targets_of(target_group)
    successful = []
    for target in targets:
        port = _port(target_group, target)
        key = (target["id"], port)
        entry = registered.get(key) or {"id": target["id"], "port": port, "status": default}
        if status:
            entry["status"], entry["reasonCode"] = status, reason
        registered[key] = entry
        successful.append(
            {k: v for k, v in (("id", target["id"]), ("port", port)) if v is not None})
    return _json({"successful": successful, "unsuccessful": []})


def deregister_targets(self):
    target_group = model.find_target_group(self.backend, self._get_param("targetGroupIdentifier"))
    targets = _requested(self, "targets", 1, 100)
    registered = _targets_of(target_group)
    successful, unsuccessful = [], []
    for target in targets:
        port = _port(target_group, target)
        shown = {k: v for k, v in (("id", target["id"]), ("port", port)) if v is not None}
        if registered.pop((target["id"], port), None) is None:
            unsuccessful.append({**shown, "failureCode": "TargetNotFound",
                                 "failureMessage": f"Target {target['id']} is not registered"})
        else:
            successful.append(shown)
    return _json({"successful": successful, "unsuccessful": unsuccessful})


def list_targets(self):
    target_group = model.find_target_group(self.backend, self._get_param("targetGroupIdentifier"))
    wanted = _requested(self, "targets", 0, 20)
    items = list(_targets_of(target_group).values())
    if wanted:
        ids = {t["id"] for t in wanted}
        items = [t for t in items if t["id"] in ids]
    listed, token = api.page(self, items)
    body = {"items": [{k: v for k, v in t.items() if v is not None} for t in listed]}
    if token is not None:
        body["nextToken"] = token
    return _json(body)
