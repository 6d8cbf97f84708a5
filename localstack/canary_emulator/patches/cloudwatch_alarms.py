"""Patches moto 5.2.5's CloudWatch alarms where it differs from AWS in ways the product sees.

- A new alarm starts in INSUFFICIENT_DATA (moto: OK), so "alarm state OK" really means someone
  set it.
- DescribeAlarms applies AlarmNames / AlarmNamePrefix, StateValue, ActionPrefix and AlarmTypes
  together (moto used only the first filter given), rejects AlarmNames with AlarmNamePrefix, and
  without AlarmTypes returns metric alarms only, as AWS documents.
- SetAlarmState on an unknown alarm says which alarm (moto: "An unspecified service error").
"""

from moto.cloudwatch import models, responses
from moto.cloudwatch.exceptions import InvalidParameterCombination, ResourceNotFound
from moto.core.responses import ActionResult

_original_alarm_init = models.Alarm.__init__
_original_set_alarm_state = models.CloudWatchBackend.set_alarm_state


def apply() -> None:
    models.Alarm.__init__ = alarm_init
    models.CloudWatchBackend.set_alarm_state = set_alarm_state
    responses.CloudWatchResponse.describe_alarms = describe_alarms


def alarm_init(self, *args, **kwargs) -> None:
    _original_alarm_init(self, *args, **kwargs)
    self.state_value = "INSUFFICIENT_DATA"


def set_alarm_state(self, alarm_name, reason, reason_data, state_value) -> None:
    if alarm_name not in self.alarms:
        raise ResourceNotFound(f"Alarm {alarm_name} not found")
    _original_set_alarm_state(self, alarm_name, reason, reason_data, state_value)


def describe_alarms(self) -> ActionResult:
    names = self._get_param("AlarmNames", [])
    prefix = self._get_param("AlarmNamePrefix")
    state = self._get_param("StateValue")
    action_prefix = self._get_param("ActionPrefix")
    types = self._get_param("AlarmTypes", []) or ["MetricAlarm"]
    if names and prefix:
        raise InvalidParameterCombination(
            "AlarmNamePrefix and AlarmNames cannot be specified together."
        )

    def wanted(alarm) -> bool:
        return (
            (not names or alarm.name in names)
            and (not prefix or alarm.name.startswith(prefix))
            and (not state or alarm.state_value == state)
            and (not action_prefix or any(a.startswith(action_prefix) for a in alarm.alarm_actions))
        )

    alarms = sorted(
        (a for a in self.cloudwatch_backend.describe_alarms() if wanted(a)), key=lambda a: a.name
    )
    metric = [a for a in alarms if a.rule is None] if "MetricAlarm" in types else []
    composite = [a for a in alarms if a.rule is not None] if "CompositeAlarm" in types else []
    return ActionResult({"MetricAlarms": metric, "CompositeAlarms": composite})
