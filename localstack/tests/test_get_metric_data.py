"""GetMetricData semantics: period buckets aligned to StartTime over [StartTime, EndTime), one
datapoint per bucket with data, ScanBy order, exact metric identity, no data = empty result."""

from helpers import epoch, metric_query, ts

T0 = 1_735_732_800  # 2025-01-01T12:00:00Z
DIMS = [{"Name": "TargetGroup", "Value": "targetgroup/demo-stable/1"}]


def put(cw, at, value=1.0, name="m", namespace="Test", dimensions=DIMS):
    datum = {"MetricName": name, "Timestamp": ts(at), "Value": value}
    if dimensions is not None:
        datum["Dimensions"] = dimensions
    cw.ok("PutMetricData", Namespace=namespace, MetricData=[datum])


def get(cw, queries, start=T0, end=T0 + 600, **extra):
    out = cw.ok("GetMetricData", MetricDataQueries=queries, StartTime=ts(start),
                EndTime=ts(end), **extra)
    return {r["Id"]: r for r in out["MetricDataResults"]}


def series(result):
    return [(epoch(t) - T0, v) for t, v in zip(result["Timestamps"], result["Values"], strict=True)]


def test_buckets_align_to_start_time_and_default_to_descending(cw):
    for offset, value in [(0, 1), (59, 2), (60, 4), (250, 8), (599, 16), (600, 32), (-1, 64)]:
        put(cw, T0 + offset, value)
    result = get(cw, [metric_query("q", "m", "Sum", dimensions=DIMS)])["q"]
    # 600 is EndTime (excluded), -1 is before StartTime
    assert series(result) == [(540, 16.0), (240, 8.0), (60, 4.0), (0, 3.0)]
    assert result["StatusCode"] == "Complete"
    assert result["Label"] == "m"


def test_unaligned_start_time(cw):
    put(cw, T0 + 30)
    put(cw, T0 + 100)
    result = get(cw, [metric_query("q", "m", "SampleCount", period=60, dimensions=DIMS)],
                 start=T0 + 20, end=T0 + 200, ScanBy="TimestampAscending")["q"]
    assert [epoch(t) for t in result["Timestamps"]] == [T0 + 20, T0 + 80]
    assert result["Values"] == [1.0, 1.0]


def test_scan_by_ascending(cw):
    for offset in (0, 60, 120):
        put(cw, T0 + offset, offset)
    result = get(cw, [metric_query("q", "m", "Maximum", dimensions=DIMS)],
                 ScanBy="TimestampAscending")["q"]
    assert series(result) == [(0, 0.0), (60, 60.0), (120, 120.0)]


def test_no_data_is_an_empty_complete_result(cw):
    result = get(cw, [metric_query("q", "absent", "Sum", dimensions=DIMS, Label="none")])["q"]
    assert result == {"Id": "q", "Label": "none", "Timestamps": [], "Values": [],
                      "StatusCode": "Complete"}


def test_metric_identity_is_exact(cw):
    put(cw, T0, 1.0)                                  # the metric asked for
    put(cw, T0, 10.0, namespace="Other")              # same name+dims, other namespace
    put(cw, T0, 100.0, dimensions=DIMS + [{"Name": "AvailabilityZone", "Value": "a"}])
    put(cw, T0, 1000.0, dimensions=None)              # no dimensions
    results = get(cw, [
        metric_query("exact", "m", "Sum", dimensions=DIMS),
        metric_query("bare", "m", "Sum"),
    ])
    assert results["exact"]["Values"] == [1.0]
    assert results["bare"]["Values"] == [1000.0]


def test_several_queries_keep_order_and_return_data(cw):
    put(cw, T0, 2.0)
    out = cw.ok("GetMetricData", MetricDataQueries=[
        metric_query("b", "m", "Sum", dimensions=DIMS),
        metric_query("hidden", "m", "Sum", dimensions=DIMS, ReturnData=False),
        metric_query("a", "m", "Average", dimensions=DIMS, Label="avg"),
    ], StartTime=ts(T0), EndTime=ts(T0 + 60))
    assert [(r["Id"], r["Label"], r["Values"]) for r in out["MetricDataResults"]] == [
        ("b", "m", [2.0]), ("a", "avg", [2.0])]


def test_high_resolution_period(cw):
    for offset in (0, 1, 1, 7):
        put(cw, T0 + offset)
    result = get(cw, [metric_query("q", "m", "SampleCount", period=1, dimensions=DIMS)],
                 end=T0 + 10, ScanBy="TimestampAscending")["q"]
    assert series(result) == [(0, 1.0), (1, 2.0), (7, 1.0)]


def test_end_before_start_is_a_validation_error(cw):
    reply = cw.call("GetMetricData", MetricDataQueries=[metric_query("q", "m", "Sum")],
                    StartTime=ts(T0 + 60), EndTime=ts(T0))
    assert reply.status == 400
    assert reply.body["__type"] == "ValidationError"
