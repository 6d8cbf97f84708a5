"""ELBv2 round trips the product depends on, through boto3 (query protocol, as the Rust SDK):
every field of a rewritten rule or listener reads back as written (except the OIDC client secret,
which AWS never returns), a plain forward reads back as AWS shows it, and weights outside 0-999
are refused. The OIDC client secret rules themselves are in test_elbv2_oidc.py."""

import pytest
from botocore.exceptions import ClientError

import demo_resources

OIDC = {
    "Issuer": "https://idp.example.com",
    "AuthorizationEndpoint": "https://idp.example.com/authorize",
    "TokenEndpoint": "https://idp.example.com/token",
    "UserInfoEndpoint": "https://idp.example.com/userinfo",
    "ClientId": "canary-client",
    "SessionCookieName": "AWSELBAuthSessionCookie",
    "Scope": "openid email",
    "SessionTimeout": 604800,
    "AuthenticationRequestExtraParams": {"prompt": "login"},
    "OnUnauthenticatedRequest": "authenticate",
}
"""An AuthenticateOidcConfig as it reads back: without ClientSecret / UseExistingClientSecret."""


@pytest.fixture
def demo(endpoint):
    return demo_resources.create(endpoint, "us-east-1")


@pytest.fixture
def elb(boto):
    return boto("elbv2")


def scenario(demo, key: str) -> dict:
    return {part: demo[f"{key}_{part}"] for part in ("rule_arn", "stable_arn", "canary_arn")}


def weighted(demo, stable_weight, canary_weight, key="healthy", secret=None) -> list[dict]:
    """OIDC then a weighted forward. `secret` adds write-only OIDC fields, e.g.
    {"ClientSecret": "s3cret"} or {"UseExistingClientSecret": True}; without it the actions are
    as they read back."""
    s = scenario(demo, key)
    return [
        {"Type": "authenticate-oidc", "AuthenticateOidcConfig": {**OIDC, **(secret or {})},
         "Order": 1},
        {"Type": "forward", "Order": 2, "ForwardConfig": {
            "TargetGroups": [{"TargetGroupArn": s["stable_arn"], "Weight": stable_weight},
                             {"TargetGroupArn": s["canary_arn"], "Weight": canary_weight}],
            "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 3600},
        }},
    ]


def rule(elb, arn) -> dict:
    return elb.describe_rules(RuleArns=[arn])["Rules"][0]


def plain_forward(arn) -> dict:
    """How AWS shows `{Type: forward, TargetGroupArn}`: the ARN and a one-group ForwardConfig."""
    return {"Type": "forward", "TargetGroupArn": arn, "ForwardConfig": {
        "TargetGroups": [{"TargetGroupArn": arn, "Weight": 1}],
        "TargetGroupStickinessConfig": {"Enabled": False},
    }}


def test_demo_resources_are_idempotent(endpoint, demo, elb):
    assert demo_resources.create(endpoint, "us-east-1") == demo
    listed = elb.describe_rules(ListenerArn=demo["listener_arn"])["Rules"]
    rules = {r["Priority"]: r for r in listed}
    assert sorted(rules) == ["10", "20", "default"]
    assert rules["20"]["RuleArn"] == demo["bad_rule_arn"]
    assert rules["20"]["Conditions"][0]["PathPatternConfig"]["Values"] == ["/search/*"]
    assert rules["20"]["Actions"] == [plain_forward(demo["target_groups"]["demo-stable-2"])]
    assert demo["bad_canary_arn"] == demo["target_groups"]["demo-canary-2"]
    assert demo["dimensions"]["LoadBalancer"].startswith("app/demo-alb/")
    assert demo["dimensions"]["TargetGroup"]["demo-canary"].startswith("targetgroup/demo-canary/")


def test_plain_forward_reads_back_with_a_forward_config(elb, demo):
    checkout = scenario(demo, "healthy")
    read = rule(elb, checkout["rule_arn"])
    assert read["Actions"] == [plain_forward(checkout["stable_arn"])]
    assert read["Conditions"] == [{"Field": "path-pattern",
                                   "PathPatternConfig": {"Values": ["/checkout/*"]}}]
    [listener] = elb.describe_listeners(ListenerArns=[demo["listener_arn"]])["Listeners"]
    assert listener["DefaultActions"] == [plain_forward(demo["target_groups"]["demo-stable"])]


def test_modify_rule_round_trip_keeps_every_field(elb, demo):
    arn = demo["healthy_rule_arn"]
    before = rule(elb, arn)
    actions = weighted(demo, 900, 100)
    written = elb.modify_rule(RuleArn=arn, Actions=weighted(demo, 900, 100,
                                                           secret={"ClientSecret": "s3cret"}))
    read = rule(elb, arn)
    assert read["Actions"] == actions
    assert written["Rules"][0]["Actions"] == actions
    assert (read["Conditions"], read["Priority"]) == (before["Conditions"], "10")
    # what was read back, with UseExistingClientSecret (as the product sends it), writes back
    # unchanged
    elb.modify_rule(RuleArn=arn, Actions=weighted(demo, 900, 100,
                                                  secret={"UseExistingClientSecret": True}))
    assert rule(elb, arn) == read
    # the other rule is untouched
    search = scenario(demo, "bad")
    assert rule(elb, search["rule_arn"])["Actions"] == [plain_forward(search["stable_arn"])]


def test_modify_listener_round_trip_keeps_every_field(elb, demo):
    actions = weighted(demo, 1, 999)
    elb.modify_listener(ListenerArn=demo["listener_arn"],
                        DefaultActions=weighted(demo, 1, 999, secret={"ClientSecret": "s3cret"}))
    [listener] = elb.describe_listeners(ListenerArns=[demo["listener_arn"]])["Listeners"]
    assert listener["DefaultActions"] == actions
    default_rule = [r for r in elb.describe_rules(ListenerArn=demo["listener_arn"])["Rules"]
                    if r["IsDefault"]]
    assert default_rule[0]["Actions"] == actions


def test_weights_zero_and_999_are_accepted(elb, demo):
    arn = demo["healthy_rule_arn"]
    elb.modify_rule(RuleArn=arn, Actions=weighted(demo, 0, 999, secret={"ClientSecret": "x"}))
    groups = rule(elb, arn)["Actions"][1]["ForwardConfig"]["TargetGroups"]
    assert [g["Weight"] for g in groups] == [0, 999]


@pytest.mark.parametrize("bad", [1000, -1])
def test_weights_outside_0_999_are_a_validation_error(elb, demo, bad):
    arn = demo["healthy_rule_arn"]
    secret = {"ClientSecret": "s3cret"}
    for call in (
        lambda: elb.modify_rule(RuleArn=arn, Actions=weighted(demo, 1, bad, secret=secret)),
        lambda: elb.modify_listener(ListenerArn=demo["listener_arn"],
                                    DefaultActions=weighted(demo, bad, 1, secret=secret)),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        error = caught.value.response["Error"]
        assert error["Code"] == "ValidationError"
        assert str(bad) in error["Message"]
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert rule(elb, arn)["Actions"] == [plain_forward(demo["healthy_stable_arn"])]


def test_target_group_arn_must_match_a_single_forward_config_group(elb, demo):
    arn = demo["healthy_rule_arn"]
    action = weighted(demo, 900, 100)[1]
    action["TargetGroupArn"] = demo["healthy_stable_arn"]
    with pytest.raises(ClientError) as caught:
        elb.modify_rule(RuleArn=arn, Actions=[action])
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    # what the product reads back can be written back unchanged
    elb.modify_rule(RuleArn=arn, Actions=rule(elb, arn)["Actions"])
