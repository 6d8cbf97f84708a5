"""VPC Lattice listener and rule round trips the product depends on, through boto3 (rest-json, as
the Rust SDK): GetRule / ListRules / UpdateRule / BatchUpdateRule / UpdateListener, identifiers
by id or ARN, actions and weights read back exactly, an UpdateRule that changes only what it is
given, and the fixtures (make_lattice.py, demo_resources.py). Errors are in
test_vpclattice_errors.py."""

import itertools
import json
import re
import subprocess
import sys

import pytest

import demo_resources
import make_lattice
from conftest import LOCALSTACK

PATTERNS = {
    "service_id": r"svc-[0-9a-z]{17}", "listener_id": r"listener-[0-9a-z]{17}",
    "rule_id": r"rule-[0-9a-z]{17}",
    "stable_id": r"tg-[0-9a-z]{17}", "canary_id": r"tg-[0-9a-z]{17}",
    "service_arn": r"arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-[0-9a-z]{17}",
    "listener_arn": r"arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-[0-9a-z]{17}"
                    r"/listener/listener-[0-9a-z]{17}",
    "rule_arn": r"arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-[0-9a-z]{17}"
                r"/listener/listener-[0-9a-z]{17}/rule/rule-[0-9a-z]{17}",
    "stable_arn": r"arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-[0-9a-z]{17}",
    "canary_arn": r"arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-[0-9a-z]{17}",
}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture
def lattice(boto):
    return boto("vpc-lattice")


@pytest.fixture
def fx(endpoint):
    return make_lattice.create(endpoint, "fix")


def forward(*groups) -> dict:
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": tg, "weight": weight} for tg, weight in groups]}}


def ids(fx, how: str) -> dict:
    """The service / listener / rule identifiers of the fixture, by "id" or by "arn"."""
    return {"serviceIdentifier": fx[f"service_{how}"], "listenerIdentifier": fx[f"listener_{how}"]}


def body(reply: dict) -> dict:
    return {k: v for k, v in reply.items() if k != "ResponseMetadata"}


def get_rule(lattice, fx, rule=None) -> dict:
    return body(lattice.get_rule(**ids(fx, "id"), ruleIdentifier=rule or fx["rule_id"]))


# ---- the fixtures --------------------------------------------------------------------------------


def test_make_lattice_prints_usable_ids_and_arns(endpoint, lattice):
    out = subprocess.run(
        [sys.executable, str(LOCALSTACK / "make_lattice.py"), "--endpoint-url", endpoint,
         "--prefix", "cli", "--weights", "60,40"], capture_output=True, text=True, check=True)
    printed = json.loads(out.stdout)
    assert sorted(printed) == sorted(PATTERNS)
    for key, pattern in PATTERNS.items():
        assert re.fullmatch(pattern, printed[key]), (key, printed[key])
    listener = lattice.get_listener(serviceIdentifier=printed["service_arn"],
                                    listenerIdentifier=printed["listener_arn"])
    assert listener["name"] == "cli-http" and listener["port"] == 80
    assert listener["defaultAction"] == forward((printed["stable_id"], 60),
                                                (printed["canary_id"], 40))
    rule = lattice.get_rule(serviceIdentifier=printed["service_id"],
                            listenerIdentifier=printed["listener_id"],
                            ruleIdentifier=printed["rule_arn"])
    assert (rule["name"], rule["priority"], rule["match"]) == (
        "cli-rule", 10, make_lattice.RULE_MATCH)
    assert rule["action"] == forward((printed["stable_id"], 100))
    for group in ("stable", "canary"):
        tg = lattice.get_target_group(targetGroupIdentifier=printed[f"{group}_arn"])
        assert (tg["name"], tg["type"], tg["id"]) == (
            f"cli-{group}", "LAMBDA", printed[f"{group}_id"])


def test_demo_lattice_resources_are_idempotent_and_weighted(endpoint, lattice):
    demo = demo_resources.create(endpoint, "us-east-1")
    assert demo_resources.create(endpoint, "us-east-1") == demo
    service = demo["lattice_service_arn"]
    listener = lattice.get_listener(serviceIdentifier=service,
                                    listenerIdentifier=demo["lattice_listener_arn"])
    assert (listener["name"], listener["protocol"], listener["port"]) == (
        "demo-lattice-http", "HTTP", 80)
    assert listener["defaultAction"] == forward((demo["lattice_healthy_primary_arn"], 60),
                                                (demo["lattice_healthy_secondary_arn"], 40))
    rule = lattice.get_rule(serviceIdentifier=service, listenerIdentifier=listener["arn"],
                            ruleIdentifier=demo["lattice_bad_rule_arn"])
    assert (rule["name"], rule["priority"]) == ("demo-lattice-search", 10)
    assert rule["match"] == {"httpMatch": {"pathMatch": {"match": {"prefix": "/search"}}}}
    assert rule["action"] == forward((demo["lattice_bad_primary_arn"], 100),
                                     (demo["lattice_bad_secondary_arn"], 0))
    names = {lattice.get_target_group(targetGroupIdentifier=demo[f"lattice_{k}_arn"])["name"]
             for k in ("healthy_primary", "healthy_secondary", "bad_primary", "bad_secondary")}
    assert names == {"demo-lattice-primary", "demo-lattice-secondary", "demo-lattice-primary-2",
                     "demo-lattice-secondary-2"}
    assert [s["name"] for s in lattice.list_services()["items"]] == ["demo-lattice"]


# ---- identifiers: id or ARN ----------------------------------------------------------------------


@pytest.mark.parametrize("service,listener,rule", list(itertools.product(("id", "arn"), repeat=3)))
def test_get_rule_takes_ids_and_arns(lattice, fx, service, listener, rule):
    read = lattice.get_rule(serviceIdentifier=fx[f"service_{service}"],
                            listenerIdentifier=fx[f"listener_{listener}"],
                            ruleIdentifier=fx[f"rule_{rule}"])
    assert (read["id"], read["arn"]) == (fx["rule_id"], fx["rule_arn"])


@pytest.mark.parametrize("how", ["id", "arn"])
def test_existing_operations_take_ids_and_arns(lattice, fx, how):
    assert lattice.get_service(serviceIdentifier=fx[f"service_{how}"])["id"] == fx["service_id"]
    assert lattice.get_listener(**ids(fx, how))["id"] == fx["listener_id"]
    [summary] = lattice.list_listeners(serviceIdentifier=fx[f"service_{how}"])["items"]
    assert summary["id"] == fx["listener_id"]
    group = lattice.get_target_group(targetGroupIdentifier=fx[f"stable_{how}"])
    assert group["id"] == fx["stable_id"]
    created = lattice.create_rule(**ids(fx, how), name=f"by-{how}", priority=20,
                                  match={"httpMatch": {"method": "GET"}},
                                  action=forward((fx[f"canary_{how}"], 7)))
    assert created["arn"] == f"{fx['listener_arn']}/rule/{created['id']}"
    assert created["action"] == forward((fx[f"canary_{how}"], 7))


@pytest.mark.parametrize("how", ["id", "arn"])
def test_update_operations_take_ids_and_arns(lattice, fx, how):
    action = forward((fx[f"stable_{how}"], 1), (fx[f"canary_{how}"], 2))
    lattice.update_rule(**ids(fx, how), ruleIdentifier=fx[f"rule_{how}"], action=action)
    lattice.update_listener(**ids(fx, how), defaultAction=action)
    lattice.batch_update_rule(**ids(fx, how), rules=[{"ruleIdentifier": fx[f"rule_{how}"],
                                                      "priority": 30}])
    assert get_rule(lattice, fx)["action"] == action
    assert get_rule(lattice, fx)["priority"] == 30
    assert lattice.get_listener(**ids(fx, "id"))["defaultAction"] == action


# ---- reads ---------------------------------------------------------------------------------------


def test_create_and_get_listener_keep_the_default_action(lattice, fx):
    listener = lattice.get_listener(**ids(fx, "id"))
    assert body(listener) == {
        "arn": fx["listener_arn"], "id": fx["listener_id"], "name": "fix-http", "protocol": "HTTP",
        "port": 80, "serviceArn": fx["service_arn"], "serviceId": fx["service_id"],
        "defaultAction": forward((fx["stable_id"], 100)),
        "createdAt": listener["createdAt"], "lastUpdatedAt": listener["lastUpdatedAt"],
    }
    created = lattice.create_listener(serviceIdentifier=fx["service_id"], name="fix-fixed",
                                      protocol="HTTPS",
                                      defaultAction={"fixedResponse": {"statusCode": 404}})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["port"] == 443  # the API reference: "For HTTPS, the default is 443"
    listener = lattice.get_listener(serviceIdentifier=fx["service_id"],
                                    listenerIdentifier=created["id"])
    assert listener["defaultAction"] == {"fixedResponse": {"statusCode": 404}}


def test_a_single_target_group_without_weight_reads_back_with_weight_100(lattice, fx):
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"],
                        action={"forward": {"targetGroups": [
                            {"targetGroupIdentifier": fx["canary_id"]}]}})
    assert get_rule(lattice, fx)["action"] == forward((fx["canary_id"], 100))


def test_get_rule_has_the_model_shape(lattice, fx):
    rule = get_rule(lattice, fx)
    assert sorted(rule) == ["action", "arn", "createdAt", "id", "isDefault", "lastUpdatedAt",
                            "match", "name", "priority"]
    assert (rule["isDefault"], rule["match"]) == (False, make_lattice.RULE_MATCH)


def test_list_rules_includes_the_default_rule(lattice, fx):
    lattice.create_rule(**ids(fx, "id"), name="fix-first", priority=5,
                        match={"httpMatch": {"pathMatch": {"match": {"exact": "/first"}}}},
                        action={"fixedResponse": {"statusCode": 500}})
    items = lattice.list_rules(**ids(fx, "arn"))["items"]
    assert [(r["name"], r.get("priority"), r["isDefault"]) for r in items] == [
        ("fix-first", 5, False), ("fix-rule", 10, False), ("default", None, True)]
    assert sorted(items[1]) == ["arn", "createdAt", "id", "isDefault", "lastUpdatedAt", "name",
                                "priority"]
    default = get_rule(lattice, fx, items[2]["arn"])
    assert default["action"] == forward((fx["stable_id"], 100))
    assert "match" not in default and "priority" not in default
    # paging
    first = lattice.list_rules(**ids(fx, "id"), maxResults=2)
    rest = lattice.list_rules(**ids(fx, "id"), maxResults=2, nextToken=first["nextToken"])
    assert [r["id"] for r in first["items"] + rest["items"]] == [r["id"] for r in items]
    assert "nextToken" not in rest


def test_timestamps_read_as_aws_writes_them(lattice, fx):
    """As in the AWS CLI examples: "2023-05-07T05:08:45.192Z" (boto3 would parse other forms)."""
    raw = {}
    lattice.meta.events.register("after-call.vpc-lattice",
                                 lambda http_response, **_: raw.update(body=http_response.content))
    lattice.get_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"])
    read = json.loads(raw["body"])
    assert TIMESTAMP.fullmatch(read["createdAt"]) and TIMESTAMP.fullmatch(read["lastUpdatedAt"])


# ---- writes --------------------------------------------------------------------------------------


def test_update_rule_with_only_an_action_keeps_match_and_priority(lattice, fx):
    before = get_rule(lattice, fx)
    action = forward((fx["stable_id"], 900), (fx["canary_id"], 100))
    written = lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"], action=action)
    assert body(written) == {k: v for k, v in {**before, "action": action}.items()
                             if k not in ("createdAt", "lastUpdatedAt")}
    after = get_rule(lattice, fx)
    assert (after["match"], after["priority"], after["name"]) == (
        make_lattice.RULE_MATCH, 10, "fix-rule")
    assert after["action"] == action and after["createdAt"] == before["createdAt"]


def test_update_rule_with_only_a_priority_or_match_keeps_the_rest(lattice, fx):
    action = forward((fx["stable_id"], 0), (fx["canary_id"], 999))
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"], action=action)
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"], priority=1500)
    match = {"httpMatch": {"method": "POST",
                           "pathMatch": {"match": {"exact": "/x"}, "caseSensitive": True}}}
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"], match=match)
    after = get_rule(lattice, fx)
    assert (after["action"], after["priority"], after["match"]) == (action, 1500, match)


def test_weights_0_and_999_and_ten_target_groups_are_kept_exactly(lattice, fx):
    groups = [fx["stable_id"], fx["canary_arn"]] + [
        lattice.create_target_group(name=f"fix-extra-{n}", type="LAMBDA")["id"] for n in range(8)]
    action = forward(*zip(groups, [0, 999, 1, 2, 3, 4, 5, 6, 7, 8], strict=True))
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=fx["rule_id"], action=action)
    assert get_rule(lattice, fx)["action"] == action


def test_update_listener_changes_the_default_action_and_the_default_rule(lattice, fx):
    action = forward((fx["stable_id"], 60), (fx["canary_id"], 40))
    written = lattice.update_listener(**ids(fx, "id"), defaultAction=action)
    assert sorted(body(written)) == ["arn", "defaultAction", "id", "name", "port", "protocol",
                                     "serviceArn", "serviceId"]
    assert written["defaultAction"] == action
    assert lattice.get_listener(**ids(fx, "id"))["defaultAction"] == action
    default = lattice.list_rules(**ids(fx, "id"))["items"][-1]
    assert get_rule(lattice, fx, default["id"])["action"] == action
    # and the other way round: updating the default rule's action changes the listener's
    fixed = {"fixedResponse": {"statusCode": 500}}
    lattice.update_rule(**ids(fx, "id"), ruleIdentifier=default["id"], action=fixed)
    assert lattice.get_listener(**ids(fx, "id"))["defaultAction"] == fixed
    # The other rule is untouched.
    assert get_rule(lattice, fx)["action"] == forward((fx["stable_id"], 100))


def test_target_group_lists_the_services_that_forward_to_it(lattice, fx):
    assert lattice.get_target_group(targetGroupIdentifier=fx["stable_id"])["serviceArns"] == [
        fx["service_arn"]]
    canary = lattice.get_target_group(targetGroupIdentifier=fx["canary_id"])
    assert canary.get("serviceArns", []) == []


# ---- BatchUpdateRule -----------------------------------------------------------------------------


def second_rule(lattice, fx, priority=20) -> dict:
    return lattice.create_rule(**ids(fx, "id"), name="fix-second", priority=priority,
                               match={"httpMatch": {"pathMatch": {"match": {"prefix": "/b"}}}},
                               action=forward((fx["canary_id"], 100)))


def test_batch_update_rule_reports_partial_failure(lattice, fx):
    second = second_rule(lattice, fx)
    action = forward((fx["stable_id"], 50), (fx["canary_id"], 50))
    missing = "rule-0000000000000000a"
    reply = lattice.batch_update_rule(**ids(fx, "id"), rules=[
        {"ruleIdentifier": fx["rule_arn"], "action": action},
        {"ruleIdentifier": missing, "priority": 3},
        {"ruleIdentifier": second["id"], "action": forward(("tg-0000000000000000b", 1))},
    ])
    [ok] = reply["successful"]
    assert sorted(ok) == ["action", "arn", "id", "isDefault", "match", "name", "priority"]
    assert (ok["id"], ok["action"], ok["priority"], ok["match"]) == (
        fx["rule_id"], action, 10, make_lattice.RULE_MATCH)
    assert [(f["ruleIdentifier"], f["failureCode"]) for f in reply["unsuccessful"]] == [
        (missing, "ResourceNotFoundException"), (second["id"], "ValidationException")]
    assert all(f["failureMessage"] for f in reply["unsuccessful"])
    assert get_rule(lattice, fx)["action"] == action
    assert get_rule(lattice, fx, second["id"])["action"] == forward((fx["canary_id"], 100))


def test_batch_update_rule_can_swap_priorities(lattice, fx):
    second = second_rule(lattice, fx)
    reply = lattice.batch_update_rule(**ids(fx, "id"), rules=[
        {"ruleIdentifier": fx["rule_id"], "priority": 20},
        {"ruleIdentifier": second["id"], "priority": 10}])
    assert reply["unsuccessful"] == []
    assert [r["name"] for r in lattice.list_rules(**ids(fx, "id"))["items"]] == [
        "fix-second", "fix-rule", "default"]


def test_batch_update_rule_reports_a_priority_clash_as_a_conflict(lattice, fx):
    second = second_rule(lattice, fx)
    reply = lattice.batch_update_rule(**ids(fx, "id"), rules=[
        {"ruleIdentifier": second["id"], "priority": 10},
        {"ruleIdentifier": fx["rule_id"], "action": {"fixedResponse": {"statusCode": 404}}}])
    assert [r["id"] for r in reply["successful"]] == [fx["rule_id"]]
    [failure] = reply["unsuccessful"]
    assert (failure["ruleIdentifier"], failure["failureCode"]) == (
        second["id"], "ConflictException")
    assert get_rule(lattice, fx, second["id"])["priority"] == 20


# ---- DeleteRule ----------------------------------------------------------------------------------


def test_delete_rule_removes_the_rule_and_its_tags(lattice, fx):
    created = lattice.create_rule(
        **ids(fx, "arn"), name="lane-one", priority=9,
        match={"httpMatch": {"headerMatches": [
            {"name": "x-canary", "match": {"exact": "1"}, "caseSensitive": False}]}},
        action=forward((fx["canary_id"], 100)), tags={"canary-deploy:lane": "web/abc"})
    assert lattice.list_tags_for_resource(resourceArn=created["arn"])["tags"] == {
        "canary-deploy:lane": "web/abc"}
    reply = lattice.delete_rule(**ids(fx, "id"), ruleIdentifier=created["arn"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 204
    names = [r["name"] for r in lattice.list_rules(**ids(fx, "id"))["items"]]
    assert "lane-one" not in names and "fix-rule" in names
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.list_tags_for_resource(resourceArn=created["arn"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.delete_rule(**ids(fx, "id"), ruleIdentifier=created["id"])


def test_the_default_rule_cannot_be_deleted(lattice, fx):
    default = next(r for r in lattice.list_rules(**ids(fx, "id"))["items"] if r["isDefault"])
    with pytest.raises(lattice.exceptions.ValidationException):
        lattice.delete_rule(**ids(fx, "id"), ruleIdentifier=default["id"])


def test_list_services_pages_past_the_first_fifty(lattice):
    names = {f"many-{n:02d}" for n in range(55)}
    for name in names:
        lattice.create_service(name=name)
    seen, pages = [], 0
    for reply in lattice.get_paginator("list_services").paginate(PaginationConfig={"PageSize": 20}):
        seen += [s["name"] for s in reply["items"]]
        pages += 1
    assert names <= set(seen) and len(seen) == len(set(seen)), "each service once"
    assert pages >= 3
