"""Values/Counts and StatisticValues through PutMetricData, read back as Sum, SampleCount,
Average and pNN, over both wire protocols (CBOR for the Rust SDK, JSON for boto3)."""

import datetime as dt

import pytest

from helpers import epoch, metric_query, ts

T0 = 1_735_732_800
LATENCY = {"Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime",
           "Dimensions": [{"Name": "TargetGroup", "Value": "targetgroup/demo-canary/2"}]}
# 1000 samples: 900 at 0.1 s, 90 at 0.2 s, 9 at 0.5 s, 1 at 2.0 s
VALUES, COUNTS = [0.1, 0.2, 0.5, 2.0], [900.0, 90.0, 9.0, 1.0]
EXPECTED = {"p50": 0.1, "p90": 0.1, "p90.1": 0.2, "p99": 0.2, "p99.1": 0.5, "p99.9": 0.5,
            "p99.95": 2.0, "p100": 2.0, "SampleCount": 1000.0,
            "Sum": 0.1 * 900 + 0.2 * 90 + 0.5 * 9 + 2.0, "Minimum": 0.1, "Maximum": 2.0}


def put_latency(cw):
    cw.ok("PutMetricData", Namespace=LATENCY["Namespace"], MetricData=[{
        "MetricName": LATENCY["MetricName"], "Dimensions": LATENCY["Dimensions"],
        "Timestamp": ts(T0 + 5), "Values": VALUES, "Counts": COUNTS, "Unit": "Seconds",
        "StorageResolution": 60,
    }])


def queries():
    metric = {k: LATENCY[k] for k in ("Namespace", "MetricName", "Dimensions")}
    return [{"Id": f"q{i}", "Label": stat,
             "MetricStat": {"Metric": metric, "Period": 60, "Stat": stat}}
            for i, stat in enumerate(EXPECTED)]


def test_cbor_percentiles_and_counts(cw):
    put_latency(cw)
    out = cw.ok("GetMetricData", MetricDataQueries=queries(), StartTime=ts(T0), EndTime=ts(T0 + 60))
    got = {r["Label"]: r["Values"] for r in out["MetricDataResults"]}
    for stat, expected in EXPECTED.items():
        assert got[stat] == [pytest.approx(expected)], stat
    stamps = {epoch(t) for r in out["MetricDataResults"] for t in r["Timestamps"]}
    assert stamps == {T0}


def test_boto3_json_path_gives_the_same_numbers(cw, boto):
    put_latency(cw)
    out = boto("cloudwatch").get_metric_data(
        MetricDataQueries=queries(),
        StartTime=dt.datetime.fromtimestamp(T0, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(T0 + 60, dt.timezone.utc),
    )
    got = {r["Label"]: r["Values"] for r in out["MetricDataResults"]}
    for stat, expected in EXPECTED.items():
        assert got[stat] == [pytest.approx(expected)], stat


def test_boto3_put_with_counts_is_stored_once_per_value(cw, boto):
    boto("cloudwatch").put_metric_data(Namespace="Test", MetricData=[{
        "MetricName": "m", "Timestamp": dt.datetime.fromtimestamp(T0, dt.timezone.utc),
        "Values": [3.0, 7.0], "Counts": [2.5, 1.5],
    }])
    out = cw.ok("GetMetricData", MetricDataQueries=[
        metric_query("n", "m", "SampleCount"), metric_query("s", "m", "Sum"),
        metric_query("avg", "m", "Average"),
    ], StartTime=ts(T0), EndTime=ts(T0 + 60))
    got = {r["Id"]: r["Values"] for r in out["MetricDataResults"]}
    assert got == {"n": [4.0], "s": [18.0], "avg": [4.5]}


def test_statistic_values_mix_with_values(cw):
    cw.ok("PutMetricData", Namespace="Test", MetricData=[
        {"MetricName": "m", "Timestamp": ts(T0), "StatisticValues":
            {"SampleCount": 4.0, "Sum": 10.0, "Minimum": 1.0, "Maximum": 4.0}},
        {"MetricName": "m", "Timestamp": ts(T0 + 1), "Value": 6.0},
    ])
    out = cw.ok("GetMetricData", MetricDataQueries=[
        metric_query(s.lower(), "m", s)
        for s in ("SampleCount", "Sum", "Average", "Minimum", "Maximum")
    ], StartTime=ts(T0), EndTime=ts(T0 + 60))
    got = {r["Id"]: r["Values"] for r in out["MetricDataResults"]}
    assert got == {"samplecount": [5.0], "sum": [16.0], "average": [3.2], "minimum": [1.0],
                   "maximum": [6.0]}


def test_get_metric_statistics_with_extended_statistics(cw):
    put_latency(cw)
    out = cw.ok("GetMetricStatistics", Namespace=LATENCY["Namespace"],
                MetricName=LATENCY["MetricName"], Dimensions=LATENCY["Dimensions"],
                StartTime=ts(T0 - 30), EndTime=ts(T0 + 90), Period=60,
                Statistics=["SampleCount", "Sum"], ExtendedStatistics=["p99", "p99.9"])
    assert out["Label"] == "TargetResponseTime"
    [point] = out["Datapoints"]
    assert epoch(point["Timestamp"]) == T0 - 30  # buckets start at StartTime
    assert point["SampleCount"] == 1000.0
    assert point["Sum"] == pytest.approx(EXPECTED["Sum"])
    assert point["ExtendedStatistics"] == {"p99": 0.2, "p99.9": 0.5}
    assert point["Unit"] == "Seconds"
