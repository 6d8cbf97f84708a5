"""Tags on ELBv2 and VPC Lattice listeners and rules, with AWS's limits (patches/resource_tags.py):
50 tags per resource (`aws:` keys not counted), keys 1-128 and values 0-256 characters, the
model's errors, and not-found errors for ARNs that name nothing. A refused write changes
nothing."""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import demo_resources
import make_lattice
from canary_emulator.patches import resource_tags


@pytest.fixture
def elb(boto):
    return boto("elbv2")


@pytest.fixture
def lattice(boto):
    return boto("vpc-lattice")


@pytest.fixture
def raw_elb(endpoint):
    """An ELBv2 client without client-side parameter validation (to send over-long values)."""
    return boto3.client("elbv2", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(parameter_validation=False))


@pytest.fixture
def alb(endpoint):
    """The demo ALB's listener and its rule 10."""
    demo = demo_resources.create(endpoint, "us-east-1")
    return {"listener_arn": demo["listener_arn"], "rule_arn": demo["healthy_rule_arn"]}


@pytest.fixture
def fx(endpoint):
    return make_lattice.create(endpoint, "tags")


def code(call) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def elb_tags(elb, arn) -> dict:
    [described] = elb.describe_tags(ResourceArns=[arn])["TagDescriptions"]
    assert described["ResourceArn"] == arn
    return {t["Key"]: t.get("Value") for t in described["Tags"]}


def many(n: int, prefix: str = "user") -> list[dict]:
    return [{"Key": f"{prefix}-{i}", "Value": f"v{i}"} for i in range(n)]


# ---- ELBv2 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["listener_arn", "rule_arn"])
def test_elb_listener_and_rule_take_50_tags_and_refuse_the_51st(elb, alb, which):
    arn = alb[which]
    elb.add_tags(ResourceArns=[arn], Tags=many(45))
    elb.add_tags(ResourceArns=[arn], Tags=many(5, "more"))
    assert len(elb_tags(elb, arn)) == 50
    elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "user-3", "Value": "replaced"}])
    assert elb_tags(elb, arn)["user-3"] == "replaced"
    before = elb_tags(elb, arn)
    assert code(lambda: elb.add_tags(ResourceArns=[arn], Tags=many(1, "one-more"))) == (
        "TooManyTags", 400)
    assert elb_tags(elb, arn) == before


def test_elb_counts_new_and_existing_tags_together(elb, alb):
    arn = alb["rule_arn"]
    elb.add_tags(ResourceArns=[arn], Tags=many(49))
    # moto counted only the tags already there: 49 + 2 passed.
    assert code(lambda: elb.add_tags(ResourceArns=[arn], Tags=many(2, "new"))) == (
        "TooManyTags", 400)
    assert len(elb_tags(elb, arn)) == 49
    elb.remove_tags(ResourceArns=[arn], TagKeys=["user-0", "user-1"])
    elb.add_tags(ResourceArns=[arn], Tags=many(3, "new"))
    assert len(elb_tags(elb, arn)) == 50


def test_elb_aws_keys_do_not_count():
    assert resource_tags.counted(["aws:cloudformation:stack-name", "a", "b"]) == 2


def test_elb_value_of_256_characters_in_the_tag_alphabet(elb, raw_elb, alb):
    arn = alb["listener_arn"]
    value = ("AZaz09+/=" * 29)[:256]
    elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "canary-deploy:0", "Value": value}])
    assert elb_tags(elb, arn)["canary-deploy:0"] == value
    too_long = [{"Key": "long", "Value": "a" * 257}]
    assert code(lambda: raw_elb.add_tags(ResourceArns=[arn], Tags=too_long)) == (
        "ValidationError", 400)
    for bad in ("a!b", "quote\"", "semi;colon", "tab\tchar"):
        tags = [{"Key": "k", "Value": bad}]
        assert code(lambda tags=tags: elb.add_tags(ResourceArns=[arn], Tags=tags)) == (
            "ValidationError", 400), bad
    assert code(lambda: raw_elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "k" * 129}])) == (
        "ValidationError", 400)
    assert code(lambda: elb.add_tags(ResourceArns=[arn], Tags=[
        {"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])) == ("DuplicateTagKeys", 400)
    assert set(elb_tags(elb, arn)) == {"canary-deploy:0"}


def test_elb_unknown_listener_or_rule_is_not_found(elb, alb):
    gone_rule = alb["rule_arn"][:-4] + "0000"
    gone_listener = alb["listener_arn"][:-4] + "0000"
    assert code(lambda: elb.describe_tags(ResourceArns=[gone_rule])) == ("RuleNotFound", 400)
    assert code(lambda: elb.describe_tags(ResourceArns=[gone_listener])) == (
        "ListenerNotFound", 400)
    assert code(lambda: elb.add_tags(ResourceArns=[gone_rule], Tags=many(1))) == (
        "RuleNotFound", 400)


# ---- VPC Lattice ---------------------------------------------------------------------------------


def lattice_tags(lattice, arn) -> dict:
    return lattice.list_tags_for_resource(resourceArn=arn)["tags"]


@pytest.mark.parametrize("which", ["listener_arn", "rule_arn"])
def test_lattice_listener_and_rule_take_50_tags_and_refuse_the_51st(lattice, fx, which):
    arn = fx[which]
    lattice.tag_resource(resourceArn=arn, tags={f"user-{i}": f"v{i}" for i in range(49)})
    lattice.tag_resource(resourceArn=arn, tags={"last": "x", "user-0": "replaced"})
    assert len(lattice_tags(lattice, arn)) == 50
    before = lattice_tags(lattice, arn)
    assert code(lambda: lattice.tag_resource(resourceArn=arn, tags={"one-more": "x"})) == (
        "ValidationException", 400)
    assert lattice_tags(lattice, arn) == before
    lattice.untag_resource(resourceArn=arn, tagKeys=["user-1", "user-2", "last"])
    assert len(lattice_tags(lattice, arn)) == 47
    assert lattice_tags(lattice, arn)["user-0"] == "replaced"


def test_lattice_tags_of_a_listener_and_its_rule_are_separate(lattice, fx):
    lattice.tag_resource(resourceArn=fx["listener_arn"], tags={"on": "listener"})
    lattice.tag_resource(resourceArn=fx["rule_arn"], tags={"on": "rule"})
    assert lattice_tags(lattice, fx["listener_arn"]) == {"on": "listener"}
    assert lattice_tags(lattice, fx["rule_arn"]) == {"on": "rule"}


def test_lattice_value_lengths(lattice, fx):
    arn = fx["rule_arn"]
    lattice.tag_resource(resourceArn=arn, tags={"canary-deploy:0": "A" * 256})
    assert lattice_tags(lattice, arn)["canary-deploy:0"] == "A" * 256
    assert code(lambda: lattice.tag_resource(resourceArn=arn, tags={"long": "a" * 257})) == (
        "ValidationException", 400)


def test_lattice_unknown_resource_is_not_found(lattice, fx):
    gone = fx["rule_arn"][:-4] + "0000"
    for call in (lambda: lattice.list_tags_for_resource(resourceArn=gone),
                 lambda: lattice.tag_resource(resourceArn=gone, tags={"a": "b"}),
                 lambda: lattice.untag_resource(resourceArn=gone, tagKeys=["a"])):
        assert code(call) == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as caught:
        lattice.list_tags_for_resource(resourceArn=gone)
    assert caught.value.response["resourceType"] == "RULE"
