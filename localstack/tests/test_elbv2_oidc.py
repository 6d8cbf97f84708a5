"""The OIDC client secret of authenticate-oidc actions, as AWS handles it: stored, never read back
(not by Describe*, not in write responses); required by CreateRule / CreateListener; ModifyRule /
ModifyListener need ClientSecret or UseExistingClientSecret=true, which keeps the stored secret;
UseExistingClientSecret itself is write-only.

Most tests go over HTTP with boto3 against the emulator. That a secret is kept, replaced or
dropped cannot be seen over HTTP (it is never returned), so the last tests run moto in-process
with the same patches and look at the stored secret on moto's backend objects."""

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
    "SessionTimeout": 3600,
    "OnUnauthenticatedRequest": "authenticate",
}
SECRET = {"ClientSecret": "s3cret"}
EXISTING = {"UseExistingClientSecret": True}

CREATE_WITHOUT_SECRET = (
    "A client secret must be specified in the OIDC configuration of action 1 "
    "when creating a rule or listener"
)
MODIFY_WITHOUT_SECRET = (
    "You must either specify a client secret or set UseExistingClientSecret to true "
    "in the OIDC configuration of action 1"
)
BOTH = "You cannot both specify a client secret and set UseExistingClientSecret to true"


def no_existing(owner: str) -> str:
    return (f"UseExistingClientSecret is true in the OIDC configuration of action 1 "
            f"but the {owner} has no existing client secret")


def actions(target_group: str, **secret) -> list[dict]:
    return [
        {"Type": "authenticate-oidc", "Order": 1, "AuthenticateOidcConfig": {**OIDC, **secret}},
        {"Type": "forward", "Order": 2, "ForwardConfig": {
            "TargetGroups": [{"TargetGroupArn": target_group, "Weight": 1}],
            "TargetGroupStickinessConfig": {"Enabled": False},
        }},
    ]


def path(value: str) -> list[dict]:
    return [{"Field": "path-pattern", "PathPatternConfig": {"Values": [value]}}]


def create_oidc_rule(elb, demo, priority=30, **secret) -> dict:
    return elb.create_rule(
        ListenerArn=demo["listener_arn"], Priority=priority, Conditions=path("/oidc/*"),
        Actions=actions(demo["healthy_stable_arn"], **(secret or SECRET)),
    )["Rules"][0]


def create_https_listener(elb, demo, **secret) -> dict:
    """A second listener (port 8080) whose default actions are OIDC + forward."""
    return elb.create_listener(
        LoadBalancerArn=demo["load_balancer_arn"], Protocol="HTTP", Port=8080,
        DefaultActions=actions(demo["healthy_stable_arn"], **secret),
    )["Listeners"][0]


def refused(call, code: str, message: str) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (code, message)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.fixture
def demo(endpoint):
    return demo_resources.create(endpoint, "us-east-1")


@pytest.fixture
def elb(boto):
    return boto("elbv2")


# ---- read back without the secret ---------------------------------------------------------------


def test_rules_never_return_the_client_secret(elb, demo):
    expected = actions(demo["healthy_stable_arn"])
    created = create_oidc_rule(elb, demo)
    assert created["Actions"] == expected
    read = elb.describe_rules(RuleArns=[created["RuleArn"]])["Rules"][0]
    assert read["Actions"] == expected
    rules = elb.describe_rules(ListenerArn=demo["listener_arn"])["Rules"]
    listed = {r["RuleArn"]: r for r in rules}
    assert listed[created["RuleArn"]]["Actions"] == expected

    modified = elb.modify_rule(RuleArn=created["RuleArn"],
                               Actions=actions(demo["healthy_stable_arn"], ClientSecret="n3w"))
    assert modified["Rules"][0]["Actions"] == expected
    assert elb.describe_rules(RuleArns=[created["RuleArn"]])["Rules"][0] == read


def test_use_existing_client_secret_is_write_only(elb, demo):
    arn = create_oidc_rule(elb, demo)["RuleArn"]
    modified = elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"], **EXISTING))
    expected = actions(demo["healthy_stable_arn"])
    assert modified["Rules"][0]["Actions"] == expected
    assert elb.describe_rules(RuleArns=[arn])["Rules"][0]["Actions"] == expected


def test_listeners_never_return_the_client_secret(elb, demo):
    expected = actions(demo["healthy_stable_arn"])
    created = create_https_listener(elb, demo, **SECRET)
    assert created["DefaultActions"] == expected
    arn = created["ListenerArn"]
    [read] = elb.describe_listeners(ListenerArns=[arn])["Listeners"]
    assert read["DefaultActions"] == expected
    by_lb = {lst["ListenerArn"]: lst for lst in
             elb.describe_listeners(LoadBalancerArn=demo["load_balancer_arn"])["Listeners"]}
    assert by_lb[arn]["DefaultActions"] == expected
    [default_rule] = elb.describe_rules(ListenerArn=arn)["Rules"]
    assert default_rule["Actions"] == expected

    for secret in (EXISTING, {"ClientSecret": "n3w"}):
        modified = elb.modify_listener(ListenerArn=arn,
                                       DefaultActions=actions(demo["healthy_stable_arn"], **secret))
        assert modified["Listeners"][0]["DefaultActions"] == expected
        assert elb.describe_listeners(ListenerArns=[arn])["Listeners"][0] == read


# ---- create requires the secret -----------------------------------------------------------------


@pytest.mark.parametrize("secret", [{}, EXISTING, {"UseExistingClientSecret": False}])
def test_create_rule_without_client_secret_is_a_validation_error(elb, demo, secret):
    refused(lambda: elb.create_rule(ListenerArn=demo["listener_arn"], Priority=30,
                                    Conditions=path("/oidc/*"),
                                    Actions=actions(demo["healthy_stable_arn"], **secret)),
            "ValidationError", CREATE_WITHOUT_SECRET)
    priorities = [r["Priority"] for r in
                  elb.describe_rules(ListenerArn=demo["listener_arn"])["Rules"]]
    assert priorities == ["10", "20", "default"]


@pytest.mark.parametrize("secret", [{}, EXISTING])
def test_create_listener_without_client_secret_is_a_validation_error(elb, demo, secret):
    refused(lambda: create_https_listener(elb, demo, **secret),
            "ValidationError", CREATE_WITHOUT_SECRET)
    listeners = elb.describe_listeners(LoadBalancerArn=demo["load_balancer_arn"])["Listeners"]
    assert [lst["Port"] for lst in listeners] == [80]


# ---- modify requires the secret or UseExistingClientSecret --------------------------------------


@pytest.mark.parametrize("secret", [{}, {"UseExistingClientSecret": False}])
def test_modify_without_secret_or_use_existing_is_a_validation_error(elb, demo, secret):
    rule_arn = create_oidc_rule(elb, demo)["RuleArn"]
    listener_arn = create_https_listener(elb, demo, **SECRET)["ListenerArn"]
    rule_before = elb.describe_rules(RuleArns=[rule_arn])["Rules"][0]
    listener_before = elb.describe_listeners(ListenerArns=[listener_arn])["Listeners"][0]
    write = actions(demo["healthy_canary_arn"], **secret)  # would also move the traffic
    refused(lambda: elb.modify_rule(RuleArn=rule_arn, Actions=write),
            "ValidationError", MODIFY_WITHOUT_SECRET)
    refused(lambda: elb.modify_listener(ListenerArn=listener_arn, DefaultActions=write),
            "ValidationError", MODIFY_WITHOUT_SECRET)
    assert elb.describe_rules(RuleArns=[rule_arn])["Rules"][0] == rule_before
    assert elb.describe_listeners(ListenerArns=[listener_arn])["Listeners"][0] == listener_before


def test_modify_with_both_secret_and_use_existing_is_refused(elb, demo):
    rule_arn = create_oidc_rule(elb, demo)["RuleArn"]
    listener_arn = create_https_listener(elb, demo, **SECRET)["ListenerArn"]
    write = actions(demo["healthy_stable_arn"], ClientSecret="n3w", UseExistingClientSecret=True)
    refused(lambda: elb.modify_rule(RuleArn=rule_arn, Actions=write),
            "InvalidLoadBalancerAction", BOTH)
    refused(lambda: elb.modify_listener(ListenerArn=listener_arn, DefaultActions=write),
            "InvalidLoadBalancerAction", BOTH)


def test_use_existing_needs_an_existing_secret(elb, demo):
    """A rule or listener without an OIDC action has no secret to keep."""
    write = actions(demo["healthy_stable_arn"], **EXISTING)
    refused(lambda: elb.modify_rule(RuleArn=demo["healthy_rule_arn"], Actions=write),
            "ValidationError", no_existing("rule"))
    refused(lambda: elb.modify_listener(ListenerArn=demo["listener_arn"], DefaultActions=write),
            "ValidationError", no_existing("listener"))
    # with a secret, the same rule takes the OIDC action
    elb.modify_rule(RuleArn=demo["healthy_rule_arn"],
                    Actions=actions(demo["healthy_stable_arn"], **SECRET))


def test_use_existing_keeps_the_secret_across_writes_over_http(elb, demo):
    """Repeated UseExistingClientSecret writes (what the product sends on every weight change)
    keep being accepted, so the secret is still there after each; once the OIDC action is gone,
    so is its secret."""
    arn = create_oidc_rule(elb, demo)["RuleArn"]
    for stable, canary in ((900, 100), (500, 500), (0, 999)):
        write = actions(demo["healthy_stable_arn"], **EXISTING)
        write[1]["ForwardConfig"]["TargetGroups"] = [
            {"TargetGroupArn": demo["healthy_stable_arn"], "Weight": stable},
            {"TargetGroupArn": demo["healthy_canary_arn"], "Weight": canary}]
        elb.modify_rule(RuleArn=arn, Actions=write)
        groups = elb.describe_rules(RuleArns=[arn])["Rules"][0]["Actions"][1]["ForwardConfig"]
        assert [g["Weight"] for g in groups["TargetGroups"]] == [stable, canary]
    # a conditions-only modify leaves the actions, and so the secret, alone
    elb.modify_rule(RuleArn=arn, Conditions=path("/oidc2/*"))
    elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"], **EXISTING))
    # dropping the OIDC action drops its secret
    elb.modify_rule(RuleArn=arn, Actions=[{"Type": "forward",
                                           "TargetGroupArn": demo["healthy_stable_arn"]}])
    refused(lambda: elb.modify_rule(RuleArn=arn,
                                    Actions=actions(demo["healthy_stable_arn"], **EXISTING)),
            "ValidationError", no_existing("rule"))


def test_missing_rule_or_listener_is_reported_before_the_secret(elb, demo):
    write = actions(demo["healthy_stable_arn"])
    with pytest.raises(ClientError) as caught:
        elb.modify_rule(RuleArn=demo["healthy_rule_arn"] + "0", Actions=write)
    assert caught.value.response["Error"]["Code"] == "RuleNotFound"
    with pytest.raises(ClientError) as caught:
        elb.modify_listener(ListenerArn=demo["listener_arn"] + "0", DefaultActions=write)
    assert caught.value.response["Error"]["Code"] == "ListenerNotFound"


# ---- the stored secret, seen on moto's backend in-process ---------------------------------------


@pytest.fixture
def in_process():
    """moto in this process, with the emulator's patches; yields (elbv2 client, demo, backend)."""
    import boto3
    from moto import mock_aws
    from moto.elbv2.models import elbv2_backends

    from canary_emulator import patches

    patches.apply()
    with mock_aws():
        demo = demo_resources.create(None, "us-east-1")
        elb = boto3.client("elbv2", region_name="us-east-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing")
        yield elb, demo, elbv2_backends["123456789012"]["us-east-1"]


def stored_rule_secret(backend, arn: str):
    from canary_emulator.patches.elbv2_actions import client_secret

    [rule] = backend.describe_rules(listener_arn=None, rule_arns=[arn])
    return [client_secret(a) for a in rule.actions]


def stored_listener_secret(backend, arn: str):
    from canary_emulator.patches.elbv2_actions import client_secret

    [listener] = backend.describe_listeners(load_balancer_arn=None, listener_arns=[arn])
    [default_rule] = listener._default_rule.values()
    secrets = [client_secret(a) for a in listener.default_actions]
    assert [client_secret(a) for a in default_rule.actions] == secrets
    return secrets


def test_stored_rule_secret_is_kept_replaced_and_dropped(in_process):
    elb, demo, backend = in_process
    arn = create_oidc_rule(elb, demo)["RuleArn"]
    assert stored_rule_secret(backend, arn) == ["s3cret", None]
    elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"], **EXISTING))
    assert stored_rule_secret(backend, arn) == ["s3cret", None]
    elb.modify_rule(RuleArn=arn, Conditions=path("/other/*"))
    assert stored_rule_secret(backend, arn) == ["s3cret", None]
    elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"], ClientSecret="n3w"))
    assert stored_rule_secret(backend, arn) == ["n3w", None]
    elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"], **EXISTING))
    assert stored_rule_secret(backend, arn) == ["n3w", None]
    with pytest.raises(ClientError):
        elb.modify_rule(RuleArn=arn, Actions=actions(demo["healthy_stable_arn"]))
    assert stored_rule_secret(backend, arn) == ["n3w", None]
    # nothing of the secret or the flag is in what moto serialises
    [rule] = backend.describe_rules(listener_arn=None, rule_arns=[arn])
    assert rule.actions[0].AuthenticateOidcConfig == OIDC
    assert rule.actions[0].data["AuthenticateOidcConfig"] == OIDC


def test_stored_listener_secret_is_kept_and_replaced(in_process):
    elb, demo, backend = in_process
    arn = create_https_listener(elb, demo, **SECRET)["ListenerArn"]
    assert stored_listener_secret(backend, arn) == ["s3cret", None]
    elb.modify_listener(ListenerArn=arn, DefaultActions=actions(demo["healthy_stable_arn"],
                                                                **EXISTING))
    assert stored_listener_secret(backend, arn) == ["s3cret", None]
    elb.modify_listener(ListenerArn=arn, DefaultActions=actions(demo["healthy_stable_arn"],
                                                                ClientSecret="n3w"))
    assert stored_listener_secret(backend, arn) == ["n3w", None]
