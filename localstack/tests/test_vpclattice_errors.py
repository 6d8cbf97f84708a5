"""VPC Lattice errors as AWS sends them (rest-json: `x-amzn-errortype` header, JSON body with
`__type`, `message` and the error shape's members, the model's HTTP status):
ResourceNotFoundException 404, ValidationException 400, ConflictException 409. A refused write
changes nothing. Some input errors can only reach the server with boto3's own parameter
validation off (it checks minimums, e.g. weight >= 0, priority >= 1, >= 1 target group)."""

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import make_lattice

MISSING = {"service": "svc-0000000000000000a", "listener": "listener-0000000000000000b",
           "rule": "rule-0000000000000000c", "tg": "tg-0000000000000000d"}


@pytest.fixture
def lattice(boto):
    return boto("vpc-lattice")


@pytest.fixture
def raw(endpoint):
    """A client that sends what it is given (no client-side parameter validation)."""
    return boto3.client("vpc-lattice", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(parameter_validation=False))


@pytest.fixture
def fx(endpoint):
    return make_lattice.create(endpoint, "err")


def ids(fx) -> dict:
    return {"serviceIdentifier": fx["service_id"], "listenerIdentifier": fx["listener_id"]}


def error(call) -> dict:
    """The error a call answers: code, status, header, and the JSON body."""
    captured = {}
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    meta = response["ResponseMetadata"]
    captured.update(code=response["Error"]["Code"], message=response["Error"]["Message"],
                    status=meta["HTTPStatusCode"],
                    header=meta["HTTPHeaders"].get("x-amzn-errortype"),
                    members={k: v for k, v in response.items()
                             if k not in ("Error", "ResponseMetadata")})
    return captured


def forward(*groups) -> dict:
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": tg, "weight": weight} for tg, weight in groups]}}


def rule_of(lattice, fx) -> dict:
    return lattice.get_rule(**ids(fx), ruleIdentifier=fx["rule_id"])


# ---- 404 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing,kind", [("service", "SERVICE"), ("listener", "LISTENER"),
                                          ("rule", "RULE")])
def test_unknown_service_listener_or_rule_is_a_404(lattice, fx, missing, kind):
    identifiers = {"serviceIdentifier": fx["service_id"], "listenerIdentifier": fx["listener_id"],
                   "ruleIdentifier": fx["rule_id"], f"{missing}Identifier": MISSING[missing]}
    for call in (lambda: lattice.get_rule(**identifiers),
                 lambda: lattice.update_rule(**identifiers, priority=11)):
        got = error(call)
        assert (got["code"], got["status"], got["header"]) == ("ResourceNotFoundException", 404,
                                                               "ResourceNotFoundException")
        assert got["members"] == {"message": got["message"], "resourceId": MISSING[missing],
                                  "resourceType": kind}
        assert MISSING[missing] in got["message"]


def test_unknown_listener_or_service_is_a_404_for_listener_operations(lattice, fx):
    action = forward((fx["stable_id"], 100))
    for call, resource in (
        (lambda: lattice.update_listener(serviceIdentifier=fx["service_id"],
                                         listenerIdentifier=MISSING["listener"],
                                         defaultAction=action), "listener"),
        (lambda: lattice.list_rules(serviceIdentifier=MISSING["service"],
                                    listenerIdentifier=fx["listener_id"]), "service"),
        (lambda: lattice.batch_update_rule(serviceIdentifier=fx["service_id"],
                                           listenerIdentifier=MISSING["listener"],
                                           rules=[{"ruleIdentifier": fx["rule_id"],
                                                   "priority": 3}]), "listener"),
        (lambda: lattice.get_listener(serviceIdentifier=MISSING["service"],
                                      listenerIdentifier=fx["listener_id"]), "service"),
        (lambda: lattice.list_listeners(serviceIdentifier=MISSING["service"]), "service"),
        (lambda: lattice.get_service(serviceIdentifier=MISSING["service"]), "service"),
        (lambda: lattice.get_target_group(targetGroupIdentifier=MISSING["tg"]), "tg"),
    ):
        got = error(call)
        assert (got["code"], got["status"]) == ("ResourceNotFoundException", 404)
        assert got["members"]["resourceId"] == MISSING[resource]


def test_a_listener_of_another_service_is_not_found(endpoint, lattice, fx):
    other = make_lattice.create(endpoint, "other")
    got = error(lambda: lattice.get_listener(serviceIdentifier=fx["service_arn"],
                                             listenerIdentifier=other["listener_arn"]))
    assert (got["code"], got["status"]) == ("ResourceNotFoundException", 404)
    got = error(lambda: lattice.get_rule(**ids(fx), ruleIdentifier=other["rule_id"]))
    assert got["members"]["resourceType"] == "RULE"


def test_the_error_body_is_rest_json(endpoint, fx):
    from helpers import boto_client

    lattice = boto_client("vpc-lattice", endpoint)
    raw_body = {}
    lattice.meta.events.register(
        "after-call.vpc-lattice",
        lambda http_response, **_: raw_body.update(body=http_response.content))
    with pytest.raises(ClientError):
        lattice.get_rule(**ids(fx), ruleIdentifier=MISSING["rule"])
    assert json.loads(raw_body["body"]) == {
        "__type": "ResourceNotFoundException", "message": f"Failed to find rule {MISSING['rule']}",
        "resourceId": MISSING["rule"], "resourceType": "RULE"}


# ---- 400 -----------------------------------------------------------------------------------------


def assert_invalid(call, field: str, *words: str) -> dict:
    got = error(call)
    assert (got["code"], got["status"], got["header"]) == ("ValidationException", 400,
                                                           "ValidationException")
    assert got["members"]["reason"] == "fieldValidationFailed"
    assert [f["name"] for f in got["members"]["fieldList"]] == [field]
    for word in (field, *words):
        assert word in got["message"], (word, got["message"])
    return got


@pytest.mark.parametrize("weight,words", [
    (1000, ("'1000'", "less than or equal to 999")),
    (-1, ("'-1'", "greater than or equal to 0")),
])
def test_a_weight_outside_0_999_is_refused(raw, lattice, fx, weight, words):
    before = rule_of(lattice, fx)
    action = forward((fx["stable_id"], 1), (fx["canary_id"], weight))
    field = "forward.targetGroups.2.member.weight"
    assert_invalid(lambda: raw.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"], action=action),
                   f"action.{field}", *words)
    assert_invalid(lambda: raw.update_listener(**ids(fx), defaultAction=action),
                   f"defaultAction.{field}", *words)
    assert_invalid(lambda: raw.batch_update_rule(**ids(fx), rules=[
        {"ruleIdentifier": fx["rule_id"], "action": action}]), f"rules.1.member.action.{field}")
    assert rule_of(lattice, fx)["action"] == before["action"]


def test_more_than_ten_or_no_target_groups_are_refused(raw, lattice, fx):
    eleven = forward(*[(fx["stable_id"], 1)] * 11)
    assert_invalid(lambda: raw.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"], action=eleven),
                   "action.forward.targetGroups", "less than or equal to 10")
    assert_invalid(lambda: raw.update_listener(**ids(fx), defaultAction=forward()),
                   "defaultAction.forward.targetGroups", "greater than or equal to 1")


def test_a_forward_to_a_missing_target_group_is_refused(lattice, fx):
    action = forward((fx["stable_id"], 50), (MISSING["tg"], 50))
    field = "action.forward.targetGroups.2.member.targetGroupIdentifier"
    assert_invalid(lambda: lattice.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"],
                                               action=action), field, MISSING["tg"])
    assert_invalid(lambda: lattice.create_rule(**ids(fx), name="new-rule", priority=30,
                                               match=make_lattice.RULE_MATCH, action=action),
                   field, MISSING["tg"])
    assert_invalid(lambda: lattice.update_listener(**ids(fx), defaultAction=action),
                   "defaultAction.forward.targetGroups.2.member.targetGroupIdentifier")
    assert rule_of(lattice, fx)["action"] == forward((fx["stable_id"], 100))


@pytest.mark.parametrize("priority,words", [(0, ("'0'", "greater than or equal to 1")),
                                            (2001, ("'2001'", "less than or equal to 2000"))])
def test_a_priority_outside_1_2000_is_refused(raw, lattice, fx, priority, words):
    assert_invalid(lambda: raw.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"],
                                           priority=priority), "priority", *words)
    assert_invalid(lambda: raw.create_rule(**ids(fx), name="new-rule", priority=priority,
                                           match=make_lattice.RULE_MATCH,
                                           action=forward((fx["stable_id"], 1))), "priority")
    assert rule_of(lattice, fx)["priority"] == 10


def test_several_target_groups_need_a_weight_each(lattice, fx):
    action = {"forward": {"targetGroups": [{"targetGroupIdentifier": fx["stable_id"], "weight": 1},
                                           {"targetGroupIdentifier": fx["canary_id"]}]}}
    assert_invalid(lambda: lattice.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"],
                                               action=action),
                   "action.forward.targetGroups.2.member.weight")


def test_a_fixed_response_other_than_404_or_500_is_refused(lattice, fx):
    assert_invalid(lambda: lattice.update_listener(**ids(fx), defaultAction={
        "fixedResponse": {"statusCode": 200}}), "defaultAction.fixedResponse.statusCode", "200")


def test_an_action_must_be_forward_or_fixed_response(raw, fx):
    both = {**forward((fx["stable_id"], 1)), "fixedResponse": {"statusCode": 404}}
    got = error(lambda: raw.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"], action=both))
    assert (got["code"], got["status"]) == ("ValidationException", 400)


def test_required_members_must_be_given(raw, fx):
    assert_invalid(lambda: raw.create_rule(**ids(fx), name="no-priority",
                                           match=make_lattice.RULE_MATCH,
                                           action=forward((fx["stable_id"], 1))),
                   "priority", "must not be null")
    assert_invalid(lambda: raw.update_listener(**ids(fx), defaultAction={
        "forward": {"targetGroups": [{"weight": 1}]}}),
        "defaultAction.forward.targetGroups.1.member.targetGroupIdentifier", "must not be null")


def test_the_default_rule_keeps_its_priority_and_match(lattice, fx):
    default = lattice.list_rules(**ids(fx))["items"][-1]["id"]
    assert_invalid(lambda: lattice.update_rule(**ids(fx), ruleIdentifier=default, priority=50),
                   "priority", "default rule")
    assert_invalid(lambda: lattice.update_rule(**ids(fx), ruleIdentifier=default,
                                               match=make_lattice.RULE_MATCH), "match")


def test_batch_update_rule_input_errors_fail_the_whole_call(raw, lattice, fx):
    second = lattice.create_rule(**ids(fx), name="second", priority=20,
                                 match=make_lattice.RULE_MATCH,
                                 action=forward((fx["canary_id"], 1)))
    assert_invalid(lambda: raw.batch_update_rule(**ids(fx), rules=[
        {"ruleIdentifier": second["id"], "priority": 21},
        {"ruleIdentifier": fx["rule_id"], "priority": 0}]), "rules.2.member.priority")
    assert lattice.get_rule(**ids(fx), ruleIdentifier=second["id"])["priority"] == 20
    got = error(lambda: raw.batch_update_rule(**ids(fx), rules=[
        {"ruleIdentifier": fx["rule_id"], "priority": p} for p in range(30, 41)]))
    assert (got["code"], got["status"]) == ("ValidationException", 400)
    assert "'rules'" in got["message"] and "less than or equal to 10" in got["message"]


# ---- 409 -----------------------------------------------------------------------------------------


def test_a_priority_used_by_another_rule_is_a_conflict(lattice, fx):
    second = lattice.create_rule(**ids(fx), name="second", priority=20,
                                 match=make_lattice.RULE_MATCH,
                                 action=forward((fx["canary_id"], 1)))
    for call in (
        lambda: lattice.update_rule(**ids(fx), ruleIdentifier=second["id"], priority=10),
        lambda: lattice.create_rule(**ids(fx), name="third", priority=10,
                                    match=make_lattice.RULE_MATCH,
                                    action=forward((fx["canary_id"], 1))),
    ):
        got = error(call)
        assert (got["code"], got["status"], got["header"]) == ("ConflictException", 409,
                                                               "ConflictException")
        assert got["members"] == {"message": got["message"], "resourceId": fx["rule_id"],
                                  "resourceType": "RULE"}
        assert "10" in got["message"]
    assert lattice.get_rule(**ids(fx), ruleIdentifier=second["id"])["priority"] == 20
    # the rule's own priority is not a clash
    lattice.update_rule(**ids(fx), ruleIdentifier=fx["rule_id"], priority=10)


def test_a_name_used_in_the_listener_or_service_is_a_conflict(lattice, fx):
    got = error(lambda: lattice.create_rule(**ids(fx), name="err-rule", priority=30,
                                            match=make_lattice.RULE_MATCH,
                                            action=forward((fx["canary_id"], 1))))
    assert (got["code"], got["status"]) == ("ConflictException", 409)
    assert got["members"]["resourceId"] == fx["rule_id"]
    got = error(lambda: lattice.create_listener(serviceIdentifier=fx["service_arn"],
                                                name="err-http", protocol="HTTP", port=8080,
                                                defaultAction=forward((fx["canary_id"], 1))))
    assert (got["code"], got["members"]["resourceId"]) == ("ConflictException", fx["listener_id"])
