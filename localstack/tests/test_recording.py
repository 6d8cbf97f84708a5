"""Request recording (canary_emulator/recording.py): each protocol's action and resource ARNs,
per-access-key channels that never see each other's calls, fetch, stop and clear."""

import json
import urllib.error
import urllib.request

import boto3
import cbor2

import make_lattice
from canary_emulator import recording
from helpers import CborClient


def control(endpoint, method, key):
    request = urllib.request.Request(f"{endpoint}/_canary/recording/{key}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def client(endpoint, service, key):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key="testing")


def recorded(endpoint, key):
    status, body = control(endpoint, "GET", key)
    assert status == 200, body
    return [(r["service"], r["action"], r["resources"]) for r in body["requests"]]


def test_query_protocol_names_the_action_and_top_level_arns(endpoint):
    control(endpoint, "POST", "rec-elb")
    elb = client(endpoint, "elbv2", "rec-elb")
    elb.describe_load_balancers()
    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3"
    try:
        elb.describe_tags(ResourceArns=[arn])
    except elb.exceptions.ClientError:
        pass  # the rule does not exist; the call was made all the same
    client(endpoint, "sts", "rec-elb").get_caller_identity()
    assert recorded(endpoint, "rec-elb") == [
        ("elasticloadbalancing", "DescribeLoadBalancers", []),
        ("elasticloadbalancing", "DescribeTags", [arn]),
        ("sts", "GetCallerIdentity", []),
    ]


def test_nested_arns_are_not_the_resource(endpoint):
    params = {"Action": "ModifyRule", "RuleArn": "arn:aws:x:r:1:rule",
              "Actions.member.1.TargetGroupArn": "arn:aws:x:r:1:tg"}
    body = "&".join(f"{k}={v}" for k, v in params.items()).encode()
    environ = {"PATH_INFO": "/", "CONTENT_TYPE": "application/x-www-form-urlencoded"}
    entry = recording.describe(environ, body, "us-east-1", "elasticloadbalancing", "1")
    assert entry == {"service": "elasticloadbalancing", "action": "ModifyRule",
                     "resources": ["arn:aws:x:r:1:rule"]}


def test_rest_json_routes_and_lattice_ids_become_arns(endpoint):
    control(endpoint, "POST", "rec-lattice")
    route = make_lattice.create(endpoint, "rec-lat")
    lattice = client(endpoint, "vpc-lattice", "rec-lattice")
    lattice.get_rule(serviceIdentifier=route["service_id"],
                     listenerIdentifier=route["listener_id"], ruleIdentifier=route["rule_id"])
    lattice.list_rules(serviceIdentifier=route["service_id"],
                       listenerIdentifier=route["listener_id"])
    lattice.get_target_group(targetGroupIdentifier=route["stable_id"])
    lattice.list_tags_for_resource(resourceArn=route["listener_arn"])
    lattice.list_services()
    listener_arn = route["listener_arn"]
    assert recorded(endpoint, "rec-lattice") == [
        ("vpc-lattice", "GetRule", [route["rule_arn"]]),
        ("vpc-lattice", "ListRules", [listener_arn]),
        ("vpc-lattice", "GetTargetGroup", [route["stable_arn"]]),
        ("vpc-lattice", "ListTagsForResource", [listener_arn]),
        ("vpc-lattice", "ListServices", []),
    ]


def test_lambda_qualifiers_in_the_path_or_query_qualify_the_arn():
    """IAM authorizes a call on a version or alias against its qualified ARN."""
    def entry(method, path, query=""):
        environ = {"PATH_INFO": path, "RAW_URI": path, "REQUEST_METHOD": method,
                   "QUERY_STRING": query}
        return recording.describe(environ, b"", "us-east-1", "lambda", "123456789012")
    fn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    assert entry("GET", "/2015-03-31/functions/f/aliases/live") == {
        "service": "lambda", "action": "GetAlias", "resources": [f"{fn}:live"]}
    assert entry("GET", "/2015-03-31/functions/f/configuration", "Qualifier=3") == {
        "service": "lambda", "action": "GetFunctionConfiguration", "resources": [f"{fn}:3"]}
    assert entry("GET", "/2015-03-31/functions/f/policy") == {
        "service": "lambda", "action": "GetPolicy", "resources": [fn]}
    quoted = "/2015-03-31/functions/" + fn.replace(":", "%3A") + "%3Alive/policy"
    assert entry("GET", quoted)["resources"] == [f"{fn}:live"]
    tags = "/2017-03-31/tags/" + fn.replace(":", "%3A")
    assert entry("GET", tags) == {"service": "lambda", "action": "ListTags", "resources": [fn]}
    assert entry("POST", tags)["resources"] == [fn]


def test_cbor_names_the_operation_and_alarm_arns(endpoint):
    control(endpoint, "POST", "testing")
    cw = CborClient(endpoint)
    cw.ok("DescribeAlarms", AlarmNames=["a-1", "a-2"])
    cw.ok("ListMetrics")
    status, body = control(endpoint, "DELETE", "testing")
    assert status == 200
    assert [(r["action"], r["resources"]) for r in body["requests"]] == [
        ("DescribeAlarms", ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a-1",
                            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a-2"]),
        ("ListMetrics", []),
    ]
    assert {r["service"] for r in body["requests"]} == {"cloudwatch"}


def test_channels_are_separate_and_stop_clears(endpoint):
    control(endpoint, "POST", "rec-a")
    control(endpoint, "POST", "rec-b")
    client(endpoint, "sts", "rec-a").get_caller_identity()
    client(endpoint, "sts", "rec-other").get_caller_identity()
    assert [a for _, a, _ in recorded(endpoint, "rec-a")] == ["GetCallerIdentity"]
    assert recorded(endpoint, "rec-b") == []
    # POST again starts a fresh log.
    control(endpoint, "POST", "rec-a")
    assert recorded(endpoint, "rec-a") == []
    assert control(endpoint, "DELETE", "rec-a")[0] == 200
    assert control(endpoint, "GET", "rec-a")[0] == 404
    client(endpoint, "sts", "rec-a").get_caller_identity()
    assert control(endpoint, "POST", "rec-a")[0] == 200 and recorded(endpoint, "rec-a") == []


def test_star_records_every_key(endpoint):
    control(endpoint, "POST", "*")
    try:
        client(endpoint, "sts", "rec-x").get_caller_identity()
        client(endpoint, "sts", "rec-y").get_caller_identity()
        assert len(recorded(endpoint, "*")) == 2
    finally:
        control(endpoint, "DELETE", "*")


def test_recording_never_changes_the_request(endpoint):
    """The body is read for the log and handed on intact: moto still answers the call."""
    control(endpoint, "POST", "rec-body")
    cw = CborClient(endpoint)
    reply = cw.call("PutMetricData", Namespace="Rec", MetricData=[
        {"MetricName": "m", "Value": 1.0}])
    assert reply.status == 200, cbor2.loads(reply.raw)
    assert cw.ok("ListMetrics", Namespace="Rec")["Metrics"][0]["MetricName"] == "m"
    control(endpoint, "DELETE", "rec-body")


def test_unknown_paths_and_methods(endpoint):
    assert control(endpoint, "GET", "never-started")[0] == 404
    assert control(endpoint, "PUT", "rec-z")[0] == 405
