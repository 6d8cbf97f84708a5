"""Lambda aliases (patches/lambda_aliases.py): a new RevisionId on every update, a stale one
refused with 412 PreconditionFailedException, RoutingConfig checked as AWS does, and
PublishVersion of ZipFile functions; plus the make_lambda.py fixture itself."""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import make_lambda


@pytest.fixture
def lam(boto):
    return boto("lambda")


@pytest.fixture
def raw(endpoint):
    """A Lambda client without client-side parameter validation (to send what AWS refuses)."""
    return boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(parameter_validation=False))


@pytest.fixture
def fx(endpoint):
    return make_lambda.create(endpoint, "fx")


def error(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"],
            response["Error"]["Message"])


def routing(version: str, weight: float) -> dict:
    return {"AdditionalVersionWeights": {version: weight}}


def test_fixture_has_two_published_versions_and_an_alias_on_the_first(lam, fx):
    assert fx["function_name"] == "fx"
    assert fx["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:fx"
    assert fx["alias_arn"] == fx["function_arn"] + ":live"
    assert (fx["alias"], fx["stable_version"], fx["canary_version"]) == ("live", "1", "2")
    versions = lam.list_versions_by_function(FunctionName="fx")["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "2"]
    assert versions[1]["CodeSha256"] != versions[2]["CodeSha256"]
    alias = lam.get_alias(FunctionName="fx", Name="live")
    assert alias["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert alias["FunctionVersion"] == "1"
    assert "RoutingConfig" not in alias


def test_publish_version_without_a_change_returns_the_latest_version(lam, fx):
    again = lam.publish_version(FunctionName="fx")
    assert again["Version"] == "2"
    assert again["FunctionArn"] == fx["function_arn"] + ":2"
    lam.update_function_configuration(FunctionName="fx", Timeout=9)
    assert lam.publish_version(FunctionName="fx")["Version"] == "3"


def test_every_update_gets_a_new_revision_id(lam, fx):
    first = lam.get_alias(FunctionName="fx", Name="live")["RevisionId"]
    updated = lam.update_alias(FunctionName="fx", Name="live", RevisionId=first,
                               RoutingConfig=routing("2", 0.05))
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert updated["RevisionId"] != first
    assert updated["RoutingConfig"] == routing("2", 0.05)
    assert lam.get_alias(FunctionName="fx", Name="live")["RevisionId"] == updated["RevisionId"]
    # Without a RevisionId the update is unconditional, and still gets a new one.
    again = lam.update_alias(FunctionName="fx", Name="live", RoutingConfig=routing("2", 0.1))
    assert again["RevisionId"] not in (first, updated["RevisionId"])


def test_a_stale_revision_id_is_412_and_changes_nothing(lam, fx):
    first = lam.get_alias(FunctionName="fx", Name="live")["RevisionId"]
    lam.update_alias(FunctionName="fx", Name="live", RoutingConfig=routing("2", 0.05))
    code, status, message = error(lambda: lam.update_alias(
        FunctionName="fx", Name="live", RevisionId=first, RoutingConfig=routing("2", 0.5)))
    assert (code, status) == ("PreconditionFailedException", 412)
    assert "Revision Id provided does not match" in message
    assert lam.get_alias(FunctionName="fx", Name="live")["RoutingConfig"] == routing("2", 0.05)


def test_an_alias_arn_works_as_the_function_name(lam, fx):
    revision = lam.get_alias(FunctionName=fx["function_arn"], Name="live")["RevisionId"]
    out = lam.update_alias(FunctionName=fx["function_arn"], Name="live", RevisionId=revision,
                           FunctionVersion="2", RoutingConfig={"AdditionalVersionWeights": {}})
    assert out["FunctionVersion"] == "2"


@pytest.mark.parametrize("weights, expected", [
    ({"2": 1.5}, ("ValidationException", 400)),
    ({"2": -0.1}, ("ValidationException", 400)),
    ({"$LATEST": 0.5}, ("ValidationException", 400)),
    ({"1": 0.5}, ("InvalidParameterValueException", 400)),
    ({"2": 0.5, "3": 0.1}, ("InvalidParameterValueException", 400)),
    ({"9": 0.5}, ("ResourceNotFoundException", 404)),
])
def test_routing_config_is_checked_as_aws_does(lam, raw, fx, weights, expected):
    if "3" in weights:
        lam.update_function_configuration(FunctionName="fx", Timeout=9)
        lam.publish_version(FunctionName="fx")
    before = lam.get_alias(FunctionName="fx", Name="live")
    code, status, _ = error(lambda: raw.update_alias(
        FunctionName="fx", Name="live", RoutingConfig={"AdditionalVersionWeights": weights}))
    assert (code, status) == expected
    after = lam.get_alias(FunctionName="fx", Name="live")
    assert after["RevisionId"] == before["RevisionId"]
    assert "RoutingConfig" not in after


def test_the_function_version_may_not_be_the_extra_version(lam, fx):
    lam.update_alias(FunctionName="fx", Name="live", RoutingConfig=routing("2", 0.5))
    code, status, message = error(lambda: lam.update_alias(
        FunctionName="fx", Name="live", FunctionVersion="2"))
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert "version 2" in message
    # Promotion: the canary becomes the FunctionVersion and the routing is cleared at once.
    out = lam.update_alias(FunctionName="fx", Name="live", FunctionVersion="2",
                           RoutingConfig={"AdditionalVersionWeights": {}})
    assert out["FunctionVersion"] == "2"
    assert not out.get("RoutingConfig", {}).get("AdditionalVersionWeights")


def test_create_alias_checks_routing_too(lam, fx):
    code, status, _ = error(lambda: lam.create_alias(
        FunctionName="fx", Name="other", FunctionVersion="1", RoutingConfig=routing("1", 0.5)))
    assert (code, status) == ("InvalidParameterValueException", 400)
    made = lam.create_alias(FunctionName="fx", Name="other", FunctionVersion="1",
                            RoutingConfig=routing("2", 0.25))
    assert made["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert made["RoutingConfig"] == routing("2", 0.25)
