"""Fault injection (canary_emulator/faults.py): per-access-key rules that answer a chosen
operation with an AWS error in its protocol's encoding, which boto3 and the raw CBOR client parse
back to the code; every / times; counts; keys kept apart; DELETE; faulted requests recorded."""

import json
import re
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import make_lambda
import make_lattice
from helpers import CborClient, ts

NO_RETRIES = Config(retries={"total_max_attempts": 1})
T0 = 1_735_732_800
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def control(endpoint, method, key, body=None, what="faults"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/_canary/{what}/{key}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


@pytest.fixture
def faults(endpoint):
    """add(key, action, code, **rule) posts a rule; every key used is cleared afterwards."""
    keys = set()

    def add(key, action, code, **rule):
        keys.add(key)
        status, body = control(endpoint, "POST", key, {"action": action, "code": code, **rule})
        assert status == 200, body
        return body

    yield add
    for key in keys:
        control(endpoint, "DELETE", key)


def client(endpoint, service, key):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key="testing",
                        config=NO_RETRIES)


def outcome(call):
    """None if the call succeeded, else (code, HTTP status, message, response headers)."""
    try:
        call()
        return None
    except ClientError as e:
        meta = e.response["ResponseMetadata"]
        return (e.response["Error"]["Code"], meta["HTTPStatusCode"],
                e.response["Error"]["Message"], meta["HTTPHeaders"])


def raw_call(endpoint, method, path, signing_name, key, body=None):
    """(status, lower-cased headers, body) of an unsigned-but-keyed request (faults never check
    the signature: a faulted request does not reach moto)."""
    request = urllib.request.Request(endpoint + path, method=method, data=body, headers={
        "Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20250101/us-east-1/{signing_name}/"
                         "aws4_request, SignedHeaders=host, Signature=0"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def codes(calls):
    return [None if o is None else o[0] for o in map(outcome, calls)]


def target_group(endpoint):
    ec2 = client(endpoint, "ec2", "testing")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    elb = client(endpoint, "elbv2", "testing")
    return elb.create_target_group(Name="faults-tg", Protocol="HTTP", Port=80,
                                   VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]


def test_elbv2_every_second_describe_tags_is_throttled(endpoint, faults):
    arn = target_group(endpoint)
    faults("flt-elb", "elasticloadbalancing:DescribeTags", "Throttling", status=400,
           message="Rate exceeded", every=2, times=None)
    elb = client(endpoint, "elbv2", "flt-elb")
    results = [outcome(lambda: elb.describe_tags(ResourceArns=[arn])) for _ in range(4)]
    assert results[0] is None and results[2] is None
    for code, status, message, headers in (results[1], results[3]):
        assert (code, status, message) == ("Throttling", 400, "Rate exceeded")
        assert headers["content-type"] == "text/xml"
        assert re.fullmatch(UUID, headers["x-amzn-requestid"])
    # Other actions of the same key are untouched and uncounted.
    assert outcome(elb.describe_target_groups) is None
    status, state = control(endpoint, "GET", "flt-elb")
    assert status == 200
    assert state["matched"] == {"elasticloadbalancing:DescribeTags": 4}
    assert state["injected"] == {"elasticloadbalancing:DescribeTags": 2}
    assert state["rules"] == [{
        "action": "elasticloadbalancing:DescribeTags", "code": "Throttling", "status": 400,
        "message": "Rate exceeded", "every": 2, "times": None, "after": 0, "mode": "error",
        "hang_seconds": 30.0, "seen": 4, "injected": 2}]


def test_query_error_body_is_aws_error_response_xml(endpoint, faults):
    faults("flt-xml", "sts:GetCallerIdentity", "ServiceUnavailable", status=503,
           message="a <b> & c")
    status, headers, body = raw_call(endpoint, "GET", "/?Action=GetCallerIdentity", "sts",
                                     "flt-xml")
    assert (status, headers["content-type"]) == (503, "text/xml")
    body = body.decode()
    assert re.fullmatch(
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        "<Type>Receiver</Type><Code>ServiceUnavailable</Code>"
        "<Message>a &lt;b&gt; &amp; c</Message></Error>"
        f"<RequestId>{UUID}</RequestId></ErrorResponse>", body), body
    assert outcome(client(endpoint, "sts", "flt-xml").get_caller_identity)[:2] == (
        "ServiceUnavailable", 503)


def test_lambda_update_alias_access_denied_never_reaches_moto(endpoint, faults):
    fn = make_lambda.create(endpoint, "flt-fn")
    faults("flt-lambda", "lambda:UpdateAlias", "AccessDeniedException", status=403,
           message="not authorized to perform: lambda:UpdateAlias")
    lam = client(endpoint, "lambda", "flt-lambda")
    before = lam.get_alias(FunctionName="flt-fn", Name="live")
    code, status, message, headers = outcome(lambda: lam.update_alias(
        FunctionName="flt-fn", Name="live", FunctionVersion=fn["canary_version"]))
    assert (code, status) == ("AccessDeniedException", 403)
    assert message == "not authorized to perform: lambda:UpdateAlias"
    assert headers["x-amzn-errortype"] == "AccessDeniedException"
    assert headers["content-type"] == "application/json"
    raw = raw_call(endpoint, "PUT", "/2015-03-31/functions/flt-fn/aliases/live", "lambda",
                   "flt-lambda", b'{"FunctionVersion": "2"}')
    assert raw[0] == 403 and raw[1]["x-amzn-errortype"] == "AccessDeniedException"
    assert json.loads(raw[2]) == {
        "Type": "User", "message": "not authorized to perform: lambda:UpdateAlias"}
    after = lam.get_alias(FunctionName="flt-fn", Name="live")
    assert (after["FunctionVersion"], after["RevisionId"]) == (
        before["FunctionVersion"], before["RevisionId"])


def test_lattice_get_rule_throttled(endpoint, faults):
    route = make_lattice.create(endpoint, "flt-lat", targets=False)
    faults("flt-lattice", "vpc-lattice:GetRule", "ThrottlingException", status=429,
           message="Rate exceeded")
    lattice = client(endpoint, "vpc-lattice", "flt-lattice")

    def get_rule():
        lattice.get_rule(serviceIdentifier=route["service_id"],
                         listenerIdentifier=route["listener_id"], ruleIdentifier=route["rule_id"])

    code, status, message, headers = outcome(get_rule)
    assert (code, status, message) == ("ThrottlingException", 429, "Rate exceeded")
    assert headers["x-amzn-errortype"] == "ThrottlingException"
    with pytest.raises(lattice.exceptions.ThrottlingException):
        get_rule()
    path = f"/services/{route['service_id']}/listeners/{route['listener_id']}/rules/x"
    raw = raw_call(endpoint, "GET", path, "vpc-lattice", "flt-lattice")
    assert (raw[0], json.loads(raw[2])) == (429, {"message": "Rate exceeded"})
    # ListRules is another action: it reaches moto.
    assert outcome(lambda: lattice.list_rules(serviceIdentifier=route["service_id"],
                                              listenerIdentifier=route["listener_id"])) is None


def test_cloudwatch_get_metric_data_over_cbor(endpoint, faults):
    faults("flt-cw", "cloudwatch:GetMetricData", "Throttling", status=400,
           message="Rate exceeded", every=1, times=1)
    cw = CborClient(endpoint, access_key="flt-cw")
    params = {"MetricDataQueries": [{
        "Id": "q", "MetricStat": {"Metric": {"Namespace": "T", "MetricName": "m"},
                                  "Period": 60, "Stat": "Sum"}}],
        "StartTime": ts(T0), "EndTime": ts(T0 + 300)}
    reply = cw.call("GetMetricData", **params)
    assert reply.status == 400
    assert reply.headers["content-type"] == "application/cbor"
    assert reply.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert reply.headers["x-amzn-query-error"] == "Throttling;Sender"
    assert reply.body == {"__type": "Throttling", "message": "Rate exceeded"}
    # times: 1 is used up: the next call reaches moto.
    assert cw.ok("GetMetricData", **params)["MetricDataResults"][0]["Id"] == "q"


def test_cloudwatch_over_boto3_json_parses_the_query_code(endpoint, faults):
    faults("flt-cwjson", "cloudwatch:ListMetrics", "Throttling", message="Rate exceeded")
    code, status, message, headers = outcome(client(endpoint, "cloudwatch", "flt-cwjson")
                                             .list_metrics)
    assert (code, status, message) == ("Throttling", 400, "Rate exceeded")
    assert headers["x-amzn-query-error"] == "Throttling;Sender"


def test_times_caps_the_faults(endpoint, faults):
    faults("flt-times", "sts:GetCallerIdentity", "Throttling", every=1, times=2)
    sts = client(endpoint, "sts", "flt-times")
    assert codes([sts.get_caller_identity] * 4) == ["Throttling", "Throttling", None, None]
    _, state = control(endpoint, "GET", "flt-times")
    assert state["matched"] == {"sts:GetCallerIdentity": 4}
    assert state["injected"] == {"sts:GetCallerIdentity": 2}
    # Without "message" the message is the code.
    faults("flt-times", "sts:GetCallerIdentity", "Other")
    assert outcome(sts.get_caller_identity)[2] == "Other"


def test_after_lets_the_first_requests_through(endpoint, faults):
    faults("flt-after", "sts:GetCallerIdentity", "Throttling", after=2, times=1)
    sts = client(endpoint, "sts", "flt-after")
    assert codes([sts.get_caller_identity] * 4) == [None, None, "Throttling", None]


def test_star_matches_every_action_of_the_key(endpoint, faults):
    faults("flt-star", "*", "Throttling", after=1, times=1)
    sts = client(endpoint, "sts", "flt-star")
    elb = client(endpoint, "elbv2", "flt-star")
    assert outcome(sts.get_caller_identity) is None
    assert outcome(elb.describe_load_balancers)[0] == "Throttling"
    _, state = control(endpoint, "GET", "flt-star")
    assert state["rules"][0]["injected"] == 1


def test_after_applying_lands_the_write_and_answers_the_error(endpoint, faults):
    fn = make_lambda.create(endpoint, "flt-land")
    faults("flt-land", "lambda:UpdateAlias", "ServiceException", status=500,
           mode="after_applying", times=1)
    lam = client(endpoint, "lambda", "flt-land")
    code, status, _, _ = outcome(lambda: lam.update_alias(
        FunctionName="flt-land", Name="live", FunctionVersion=fn["canary_version"]))
    assert (code, status) == ("ServiceException", 500)
    after = lam.get_alias(FunctionName="flt-land", Name="live")
    assert after["FunctionVersion"] == fn["canary_version"], "the update landed"


def test_hang_holds_the_request_then_lets_it_through(endpoint, faults):
    faults("flt-hang", "sts:GetCallerIdentity", "Hang", mode="hang", hang_seconds=0.3,
           times=1)
    sts = client(endpoint, "sts", "flt-hang")
    started = time.monotonic()
    assert outcome(sts.get_caller_identity) is None
    assert time.monotonic() - started >= 0.3


def test_several_rules_first_whose_turn_it_is_answers(endpoint, faults):
    faults("flt-multi", "sts:GetCallerIdentity", "EveryTwo", every=2)
    faults("flt-multi", "sts:GetCallerIdentity", "EveryThree", every=3)
    sts = client(endpoint, "sts", "flt-multi")
    assert codes([sts.get_caller_identity] * 6) == [
        None, "EveryTwo", "EveryThree", "EveryTwo", None, "EveryTwo"]
    _, state = control(endpoint, "GET", "flt-multi")
    assert [(r["seen"], r["injected"]) for r in state["rules"]] == [(6, 3), (6, 1)]
    assert state["injected"] == {"sts:GetCallerIdentity": 4}


def test_access_keys_do_not_see_each_others_rules(endpoint, faults):
    faults("flt-a", "sts:GetCallerIdentity", "Throttling")
    assert outcome(client(endpoint, "sts", "flt-b").get_caller_identity) is None
    assert outcome(client(endpoint, "sts", "flt-a").get_caller_identity)[0] == "Throttling"
    assert control(endpoint, "GET", "flt-b")[0] == 404
    assert control(endpoint, "GET", "flt-a")[1]["matched"] == {"sts:GetCallerIdentity": 1}


def test_delete_clears_and_returns_the_last_counts(endpoint, faults):
    faults("flt-del", "sts:GetCallerIdentity", "Throttling")
    sts = client(endpoint, "sts", "flt-del")
    assert codes([sts.get_caller_identity] * 2) == ["Throttling", "Throttling"]
    status, state = control(endpoint, "DELETE", "flt-del")
    assert status == 200
    assert (state["matched"], state["injected"]) == (
        {"sts:GetCallerIdentity": 2}, {"sts:GetCallerIdentity": 2})
    assert len(state["rules"]) == 1
    assert outcome(sts.get_caller_identity) is None
    assert control(endpoint, "GET", "flt-del")[0] == 404
    assert control(endpoint, "DELETE", "flt-del")[0] == 404
    # A new rule starts from zero.
    assert faults("flt-del", "sts:GetCallerIdentity", "X")["matched"] == {}


def test_a_faulted_request_is_recorded(endpoint, faults):
    control(endpoint, "POST", "flt-rec", what="recording")
    try:
        faults("flt-rec", "sts:GetCallerIdentity", "Throttling", times=1)
        sts = client(endpoint, "sts", "flt-rec")
        assert codes([sts.get_caller_identity] * 2) == ["Throttling", None]
        _, log = control(endpoint, "GET", "flt-rec", what="recording")
        assert [(r["service"], r["action"]) for r in log["requests"]] == [
            ("sts", "GetCallerIdentity")] * 2
    finally:
        control(endpoint, "DELETE", "flt-rec", what="recording")


def test_star_recording_leaves_out_the_control_calls(endpoint, faults):
    control(endpoint, "POST", "*", what="recording")
    try:
        faults("flt-star", "sts:GetCallerIdentity", "Throttling")
        control(endpoint, "GET", "flt-star")
        _, log = control(endpoint, "GET", "*", what="recording")
        assert log["requests"] == []
    finally:
        control(endpoint, "DELETE", "*", what="recording")


@pytest.mark.parametrize("rule, error", [
    ({"code": "X"}, '"action" must be'),
    ({"action": "GetCallerIdentity", "code": "X"}, '"action" must be'),
    ({"action": "sts:GetCallerIdentity"}, '"code" must be'),
    ({"action": "sts:GetCallerIdentity", "code": "X", "status": 200}, '"status" must be'),
    ({"action": "sts:GetCallerIdentity", "code": "X", "every": 0}, '"every" must be'),
    ({"action": "sts:GetCallerIdentity", "code": "X", "times": 0}, '"times" must be'),
    ({"action": "sts:GetCallerIdentity", "code": "X", "time": 1}, "unknown fields"),
    ([], "JSON object"),
])
def test_bad_rules_are_refused(endpoint, rule, error):
    status, body = control(endpoint, "POST", "flt-bad", rule)
    assert status == 400 and error in body["error"], body
    assert control(endpoint, "GET", "flt-bad")[0] == 404


def test_unknown_paths_and_methods(endpoint):
    assert control(endpoint, "PUT", "flt-z")[0] == 405
    assert control(endpoint, "GET", "a/b")[0] == 404
