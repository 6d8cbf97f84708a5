"""The RPC v2 CBOR wire format the AWS SDK for Rust relies on: path, headers, tag-1 timestamps,
strict number types, error bodies, account and region from the Authorization header."""

import datetime
import gzip
import urllib.error
import urllib.request

import cbor2
import pytest

from helpers import CborClient, ts

T0 = 1_735_732_800  # 2025-01-01T12:00:00Z, a multiple of 300


def put(cw, value=5.0, at=T0 + 10, **datum):
    cw.ok("PutMetricData", Namespace="Test", MetricData=[
        {"MetricName": "m", "Timestamp": ts(at), "Value": value, **datum}
    ])


def query(cw, stat="Sum", start=T0, end=T0 + 300, **extra):
    return cw.ok("GetMetricData", MetricDataQueries=[{
        "Id": "q", "MetricStat": {"Metric": {"Namespace": "Test", "MetricName": "m"},
                                  "Period": 60, "Stat": stat},
    }], StartTime=ts(start), EndTime=ts(end), **extra)


def test_success_headers_and_empty_output(cw):
    reply = cw.call("PutMetricData", Namespace="Test",
                    MetricData=[{"MetricName": "m", "Value": 1.0}])
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/cbor"
    assert reply.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert reply.body == {}


def test_timestamps_are_tag_1_and_values_are_floats(cw):
    put(cw, value=5)  # an int on the wire must still come back as a CBOR float
    reply = cw.call("GetMetricData", MetricDataQueries=[{
        "Id": "q", "MetricStat": {"Metric": {"Namespace": "Test", "MetricName": "m"},
                                  "Period": 60, "Stat": "Sum"},
    }], StartTime=ts(T0), EndTime=ts(T0 + 300))
    assert reply.status == 200
    result = reply.body["MetricDataResults"][0]
    assert [t.timestamp() for t in result["Timestamps"]] == [T0]
    # 0xc1 = tag 1, then T0 as a 32-bit unsigned integer (epoch seconds)
    assert bytes([0xC1, 0x1A]) + T0.to_bytes(4, "big") in reply.raw
    assert result["Values"] == [5.0] and isinstance(result["Values"][0], float)
    assert result["StatusCode"] == "Complete"
    # 0xfb: the Value went out as a 64-bit float, which the Rust decoder requires
    assert bytes([0xFB]) + cbor2.dumps(5.0)[1:] in reply.raw


def test_fractional_tag_1_timestamp_is_accepted(cw):
    put(cw, at=T0 + 61.25)
    result = query(cw)["MetricDataResults"][0]
    assert [t.timestamp() for t in result["Timestamps"]] == [T0 + 60]


def test_error_body_type_and_query_error_header(cw):
    reply = cw.call("SetAlarmState", AlarmName="missing", StateValue="ALARM", StateReason="x")
    assert reply.status == 404
    assert reply.headers["content-type"] == "application/cbor"
    assert reply.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert reply.headers["x-amzn-query-error"] == "ResourceNotFound;Sender"
    assert reply.body == {"__type": "ResourceNotFound", "message": "Alarm missing not found"}


def test_invalid_parameter_value(cw):
    reply = cw.call("GetMetricData", MetricDataQueries=[{
        "Id": "q", "MetricStat": {"Metric": {"Namespace": "Test", "MetricName": "m"},
                                  "Period": 60, "Stat": "Median"},
    }], StartTime=ts(T0), EndTime=ts(T0 + 300))
    assert reply.status == 400
    assert reply.body["__type"] == "InvalidParameterValue"
    assert "Stat" in reply.body["message"]


def test_invalid_parameter_combination(cw):
    reply = cw.call("GetMetricStatistics", Namespace="Test", MetricName="m",
                    StartTime=ts(T0), EndTime=ts(T0 + 60), Period=60)
    assert reply.status == 400
    assert reply.body["__type"] == "InvalidParameterCombination"


def test_unknown_operation(cw):
    reply = cw.call("NoSuchOperation")
    assert reply.status == 404
    assert reply.body["__type"] == "UnknownOperationException"


def test_unknown_service(endpoint):
    request = urllib.request.Request(
        endpoint + "/service/OtherService/operation/Op", data=b"\xa0", method="POST",
        headers={"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 404
    assert cbor2.loads(caught.value.read())["__type"] == "UnknownOperationException"


def test_malformed_body(cw):
    reply = cw.raw("ListMetrics", b"\xff\xff")
    assert reply.status == 400
    assert reply.body["__type"] == "SerializationException"


def test_empty_body_means_no_parameters(cw):
    reply = cw.raw("ListMetrics", b"")
    assert reply.status == 200
    assert reply.body["Metrics"] == []


def test_region_comes_from_the_credential_scope(endpoint):
    west = CborClient(endpoint, region="eu-west-1")
    east = CborClient(endpoint, region="us-east-1")
    put(west)
    assert len(west.ok("ListMetrics", Namespace="Test")["Metrics"]) == 1
    assert east.ok("ListMetrics", Namespace="Test")["Metrics"] == []


def test_unsigned_request_defaults_to_us_east_1(endpoint):
    put(CborClient(endpoint, region=None))
    assert len(CborClient(endpoint).ok("ListMetrics", Namespace="Test")["Metrics"]) == 1


def test_non_cbor_paths_still_reach_moto(endpoint, boto):
    boto("cloudwatch").put_metric_data(Namespace="Test",
                                       MetricData=[{"MetricName": "m", "Value": 1}])
    assert len(boto("cloudwatch").list_metrics(Namespace="Test")["Metrics"]) == 1


def test_gzip_request_body(cw):
    """The SDKs gzip PutMetricData bodies of 10 KiB or more (request compression)."""
    values = [float(v) for v in range(1, 1501)]
    body = cbor2.dumps({"Namespace": "Test", "MetricData": [
        {"MetricName": "m", "Timestamp": ts(T0), "Values": values, "Counts": [1.0] * len(values)}]})
    assert len(body) > 10 * 1024
    reply = cw.raw("PutMetricData", gzip.compress(body), {"Content-Encoding": "gzip"})
    assert reply.status == 200, reply.body
    assert query(cw, stat="SampleCount")["MetricDataResults"][0]["Values"] == [1500.0]


def test_boto3_compressed_put_metric_data(cw, boto):
    values = [float(v) for v in range(1, 1501)]
    boto("cloudwatch").put_metric_data(Namespace="Test", MetricData=[
        {"MetricName": "m", "Timestamp": datetime.datetime.fromtimestamp(T0, datetime.timezone.utc),
         "Values": values, "Counts": [2.0] * len(values)}])
    assert query(cw, stat="SampleCount")["MetricDataResults"][0]["Values"] == [3000.0]


def test_a_crash_inside_moto_is_a_cbor_500(cw):
    # moto's Metrics Insights emulation needs a Period and raises a TypeError without one
    reply = cw.call("GetMetricData",
                    MetricDataQueries=[{"Id": "q", "Expression": "SELECT AVG(m) FROM Test"}],
                    StartTime=ts(T0), EndTime=ts(T0 + 60))
    assert reply.status == 500
    assert reply.headers["content-type"] == "application/cbor"
    assert reply.headers["x-amzn-query-error"] == "InternalServiceError;Receiver"
    assert reply.body["__type"] == "InternalServiceError"
