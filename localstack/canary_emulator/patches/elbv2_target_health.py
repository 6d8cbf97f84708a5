"""DescribeTargetHealth for Lambda target groups as AWS answers it.

moto 5.2.5 reports every registered target `healthy`. AWS does not health-check a Lambda target
group unless its health checks are enabled (they are off by default, and moto keeps that
default): its function is then `unavailable` with reason `Target.HealthCheckDisabled` ("Health
checks are disabled"), which is what canary-deploy's preflight must read as "registered".
Instance and ip targets keep moto's answer (healthy; unused when stopped or not registered).
"""

from moto.elbv2 import models

_original = models.FakeTargetGroup.health_for


def apply() -> None:
    models.FakeTargetGroup.health_for = health_for


def health_for(self, target, ec2_backend):
    status = _original(self, target, ec2_backend)
    if (self.target_type == "lambda" and not self.health_check_enabled
            and status.status == "healthy"):
        return models.FakeHealthStatus(
            status.instance_id, status.port, self.health_check_port, "unavailable",
            "Target.HealthCheckDisabled", "Health checks are disabled")
    return status
