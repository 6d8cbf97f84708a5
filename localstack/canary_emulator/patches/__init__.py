"""Monkeypatches of moto 5.2.5 models and responses, applied once at server start.

Each module says what moto does differently from AWS and what the patch does instead.
"""

from canary_emulator.patches import (
    cloudwatch_alarms,
    cloudwatch_metrics,
    elbv2_actions,
    elbv2_target_health,
    lambda_aliases,
    lambda_provisioned,
    lambda_replies,
    lambda_version_state,
    lambda_versions,
    resource_tags,
    vpclattice_api,
    vpclattice_targets,
)

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    cloudwatch_metrics.apply()
    cloudwatch_alarms.apply()
    elbv2_actions.apply()
    lambda_replies.apply()
    vpclattice_api.apply()
    resource_tags.apply()
    lambda_aliases.apply()
    vpclattice_targets.apply()
    lambda_provisioned.apply()
    lambda_version_state.apply()
    lambda_versions.apply()
    elbv2_target_health.apply()
    _applied = True
