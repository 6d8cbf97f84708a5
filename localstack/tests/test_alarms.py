"""Alarms over CBOR: PutMetricAlarm, DescribeAlarms filters, SetAlarmState, DeleteAlarms."""

from helpers import epoch

DIMS = [{"Name": "TargetGroup", "Value": "targetgroup/demo-canary/2"}]


def put_alarm(cw, name, **extra):
    cw.ok("PutMetricAlarm", AlarmName=name, Namespace="AWS/ApplicationELB",
          MetricName="HTTPCode_Target_5XX_Count", Dimensions=DIMS, Statistic="Sum", Period=60,
          EvaluationPeriods=1, Threshold=5.0, ComparisonOperator="GreaterThanThreshold", **extra)


def describe(cw, **params):
    return cw.ok("DescribeAlarms", **params)


def test_new_alarm_reads_back_in_insufficient_data(cw):
    put_alarm(cw, "canary-5xx", AlarmDescription="5xx on canary")
    out = describe(cw, AlarmNames=["canary-5xx"])
    assert out["CompositeAlarms"] == []
    [alarm] = out["MetricAlarms"]
    assert alarm["AlarmName"] == "canary-5xx"
    assert alarm["AlarmArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:canary-5xx"
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert alarm["Threshold"] == 5.0 and isinstance(alarm["Threshold"], float)
    assert alarm["EvaluationPeriods"] == 1 and isinstance(alarm["EvaluationPeriods"], int)
    assert alarm["Dimensions"] == DIMS
    assert epoch(alarm["StateUpdatedTimestamp"]) > 1_700_000_000


def test_set_alarm_state(cw):
    put_alarm(cw, "canary-5xx")
    cw.ok("SetAlarmState", AlarmName="canary-5xx", StateValue="ALARM", StateReason="too many 5xx")
    [alarm] = describe(cw, AlarmNames=["canary-5xx"])["MetricAlarms"]
    assert (alarm["StateValue"], alarm["StateReason"]) == ("ALARM", "too many 5xx")


def test_filters_combine(cw):
    for name in ("canary-a", "canary-b", "other"):
        put_alarm(cw, name)
    cw.ok("SetAlarmState", AlarmName="canary-b", StateValue="ALARM", StateReason="r")
    cw.ok("SetAlarmState", AlarmName="other", StateValue="ALARM", StateReason="r")

    def names(**params):
        return [a["AlarmName"] for a in describe(cw, **params)["MetricAlarms"]]

    assert names() == ["canary-a", "canary-b", "other"]
    assert names(AlarmNamePrefix="canary-") == ["canary-a", "canary-b"]
    assert names(AlarmNamePrefix="canary-", StateValue="ALARM") == ["canary-b"]
    assert names(AlarmNames=["canary-a", "other"], StateValue="ALARM") == ["other"]
    assert names(AlarmNames=["nope"]) == []


def test_names_and_prefix_together_are_refused(cw):
    reply = cw.call("DescribeAlarms", AlarmNames=["a"], AlarmNamePrefix="a")
    assert reply.status == 400
    assert reply.body["__type"] == "InvalidParameterCombination"


def test_delete_alarms(cw):
    put_alarm(cw, "a")
    put_alarm(cw, "b")
    cw.ok("DeleteAlarms", AlarmNames=["a"])
    assert [a["AlarmName"] for a in describe(cw)["MetricAlarms"]] == ["b"]
