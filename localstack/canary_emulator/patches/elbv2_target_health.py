"""DescribeTargetHealth as AWS answers it, and a way for tests to set a target's health.

moto 5.2.5 reports every registered target `healthy`. AWS does not health-check a Lambda target
group unless its health checks are enabled (they are off by default, and moto keeps that
default): its function is then `unavailable` with reason `Target.HealthCheckDisabled` ("Health
checks are disabled"), which is what canary-deploy's preflight must read as "registered".
Instance and ip targets keep moto's answer (healthy; unused when stopped or not registered).

The emulator has no data plane, so no health check runs. A test sets a target's health by
sending the RegisterTargets request with the header
`x-canary-emulator-target-health: STATE[;Reason]` (e.g. `unhealthy;Target.Timeout`, or
`unused;Target.NotInUse` for a target group no listener rule uses yet), which applies to the
targets of that request until they are registered again without it or deregistered. The state
must be one of AWS's TargetHealthStateEnum values, else the request is a 400 ValidationError.
"""

from moto.elbv2 import models, responses
from moto.elbv2.exceptions import ValidationError

HEALTH_HEADER = "x-canary-emulator-target-health"
STATES = ("initial", "healthy", "unhealthy", "unhealthy.draining", "unused", "draining",
          "unavailable")
_SET = "_canary_health"

_original = models.FakeTargetGroup.health_for
_original_register = responses.ELBV2Response.register_targets


def apply() -> None:
    models.FakeTargetGroup.health_for = health_for
    responses.ELBV2Response.register_targets = register_targets


def _health_from_header(self):
    raw = self.headers.get(HEALTH_HEADER)
    if not raw:
        return None
    state, _, reason = raw.partition(";")
    state = state.strip().lower()
    if state not in STATES:
        raise ValidationError(f"{HEALTH_HEADER}: {state} is not one of {', '.join(STATES)}")
    return state, reason.strip() or None


def register_targets(self):
    health = _health_from_header(self)
    result = _original_register(self)
    group = self.elbv2_backend.target_groups.get(self._get_param("TargetGroupArn"))
    if group is not None:
        for target in self._get_param("Targets", []):
            registered = group.targets.get(target["Id"])
            if registered is not None:
                registered[_SET] = health
    return result


def health_for(self, target, ec2_backend):
    registered = self.targets.get(target["Id"]) or {}
    health = registered.get(_SET)
    if health is not None:
        state, reason = health
        port = registered.get("Port", self.port)
        description = None if state == "healthy" else f"set by {HEALTH_HEADER}"
        return models.FakeHealthStatus(target["Id"], port, self.health_check_port, state,
                                       None if state == "healthy" else reason, description)
    status = _original(self, target, ec2_backend)
    if (self.target_type == "lambda" and not self.health_check_enabled
            and status.status == "healthy"):
        return models.FakeHealthStatus(
            status.instance_id, status.port, self.health_check_port, "unavailable",
            "Target.HealthCheckDisabled", "Health checks are disabled")
    return status
