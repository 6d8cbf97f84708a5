"""Values/Counts and StatisticValues through PutMetricData, read back as Sum, SampleCount,
Average, pNN and TC/PR/TM, over both wire protocols (CBOR for the Rust SDK, JSON for boto3)."""

import datetime as dt

import botocore.exceptions
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


# Period 1: 100 data points, ninety at 0.1 s, eight at 0.5 s, two at 0.9 s. Period 2: one data
# point at 0.07 s. Period 3: no data, so no datapoint for any statistic. A TM with nothing in
# range has no datapoint either; TC and PR are then 0.
RANGES = {
    "TC(0.5:)": [2.0, 0.0], "TC(:0.5)": [98.0, 1.0], "TC(0.1:0.5)": [8.0, 0.0],
    "TC(0.9:)": [0.0, 0.0], "TC(:0.05)": [0.0, 0.0], "TC(0.05:)": [100.0, 1.0],
    "PR(:0.5)": [98.0, 100.0], "PR(0.5:)": [2.0, 0.0], "PR(0.9:)": [0.0, 0.0],
    "TC(90%:100%)": [10.0, 0.0],  # period 2: p90 = p100 = 0.07, so (0.07, 0.07] is empty
    "tc90": [90.0, 1.0],
    "TM(0.1:)": [0.58], "TM(0.9:)": [],
}


def test_boto3_trimmed_count_and_percentile_rank(boto):
    client = boto("cloudwatch")
    at = dt.datetime.fromtimestamp(T0 + 5, dt.timezone.utc)
    client.put_metric_data(Namespace="Test", MetricData=[
        {"MetricName": "latency", "Timestamp": at, "Values": [0.1, 0.5, 0.9],
         "Counts": [90.0, 8.0, 2.0], "Unit": "Seconds"},
        {"MetricName": "latency", "Timestamp": at + dt.timedelta(seconds=60), "Value": 0.07,
         "Unit": "Seconds"},
    ])
    out = client.get_metric_data(
        MetricDataQueries=[metric_query(f"q{i}", "latency", stat, Label=stat)
                           for i, stat in enumerate(RANGES)],
        ScanBy="TimestampAscending",
        StartTime=dt.datetime.fromtimestamp(T0, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(T0 + 180, dt.timezone.utc),
    )
    results = {r["Label"]: r for r in out["MetricDataResults"]}
    for stat, expected in RANGES.items():
        assert results[stat]["Values"] == [pytest.approx(v) for v in expected], stat
        stamps = [t.timestamp() for t in results[stat]["Timestamps"]]
        assert stamps == [T0, T0 + 60][:len(expected)], stat


@pytest.mark.parametrize("stat", ["TC(a:b)", "PR(10%:)", "TC(5:1)", "TC()", "TC(10%:500)"])
def test_malformed_range_statistic_is_invalid_parameter_value(cw, boto, stat):
    query = metric_query("q", "latency", stat)
    start = dt.datetime.fromtimestamp(T0, dt.timezone.utc)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        boto("cloudwatch").get_metric_data(
            MetricDataQueries=[query], StartTime=start,
            EndTime=start + dt.timedelta(seconds=60))
    error = refused.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (
        "InvalidParameterValue", 400)
    assert f"The value {stat} for parameter MetricDataQueries.member.1.MetricStat.Stat" in (
        error["Error"]["Message"])
    reply = cw.call("GetMetricData", MetricDataQueries=[query], StartTime=ts(T0),
                    EndTime=ts(T0 + 60))
    assert (reply.status, reply.body["__type"]) == (400, "InvalidParameterValue")


def test_get_metric_statistics_with_range_statistics(cw):
    put_latency(cw)  # 900 at 0.1, 90 at 0.2, 9 at 0.5, 1 at 2.0
    out = cw.ok("GetMetricStatistics", Namespace=LATENCY["Namespace"],
                MetricName=LATENCY["MetricName"], Dimensions=LATENCY["Dimensions"],
                StartTime=ts(T0), EndTime=ts(T0 + 60), Period=60,
                ExtendedStatistics=["TC(0.2:)", "PR(:0.2)", "tc99", "TM(0.2:)", "TM(5:)"])
    [point] = out["Datapoints"]
    assert point["ExtendedStatistics"] == {
        "TC(0.2:)": 10.0, "PR(:0.2)": 99.0, "tc99": 990.0,
        "TM(0.2:)": pytest.approx((0.5 * 9 + 2.0) / 10)}  # TM(5:): nothing in range, left out
    reply = cw.call("GetMetricStatistics", Namespace="Test", MetricName="m", StartTime=ts(T0),
                    EndTime=ts(T0 + 60), Period=60, ExtendedStatistics=["PR(50%:)"])
    assert (reply.status, reply.body["__type"]) == (400, "InvalidParameterValue")
