"""DescribeTargetHealth of Lambda target groups, and health set by a test
(patches/elbv2_target_health.py)."""

import pytest
from botocore.exceptions import ClientError

FN = "arn:aws:lambda:us-east-1:123456789012:function:demo:live"


def test_a_lambda_target_without_health_checks_is_unavailable(boto):
    elb = boto("elbv2")
    group = elb.create_target_group(Name="fns", TargetType="lambda")["TargetGroups"][0]
    assert group["HealthCheckEnabled"] is False
    elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": FN}])
    health = elb.describe_target_health(TargetGroupArn=group["TargetGroupArn"])
    [only] = health["TargetHealthDescriptions"]
    assert only["Target"]["Id"] == FN
    assert only["TargetHealth"] == {"State": "unavailable", "Reason": "Target.HealthCheckDisabled",
                                    "Description": "Health checks are disabled"}


def test_instance_targets_keep_moto_s_answer(boto):
    ec2, elb = boto("ec2"), boto("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = elb.create_target_group(Name="ins", Protocol="HTTP", Port=80, VpcId=vpc,
                                    TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)[
        "Instances"][0]["InstanceId"]
    elb.register_targets(TargetGroupArn=group, Targets=[{"Id": instance}])
    [only] = elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    assert only["TargetHealth"]["State"] == "healthy"
    ec2.stop_instances(InstanceIds=[instance])
    [only] = elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    assert (only["TargetHealth"]["State"], only["TargetHealth"]["Reason"]) == (
        "unused", "Target.InvalidState")


def _with_health(client, health: str):
    def add(request, **_):
        request.headers["x-canary-emulator-target-health"] = health
    client.meta.events.register_first("before-sign.elastic-load-balancing-v2.RegisterTargets", add)


def test_a_test_sets_a_target_s_health_with_a_header(boto):
    ec2, elb = boto("ec2"), boto("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = elb.create_target_group(Name="sick", Protocol="HTTP", Port=80, VpcId=vpc,
                                    TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)[
        "Instances"][0]["InstanceId"]
    plain = boto("elbv2")
    _with_health(elb, "unhealthy;Target.Timeout")
    elb.register_targets(TargetGroupArn=group, Targets=[{"Id": instance}])
    [only] = elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    assert only["Target"]["Id"] == instance
    assert (only["TargetHealth"]["State"], only["TargetHealth"]["Reason"]) == (
        "unhealthy", "Target.Timeout")
    plain.register_targets(TargetGroupArn=group, Targets=[{"Id": instance}])
    [only] = elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    assert only["TargetHealth"] == {"State": "healthy"}


def test_an_unknown_state_in_the_header_is_a_validation_error(boto):
    elb = boto("elbv2")
    group = elb.create_target_group(Name="fns2", TargetType="lambda")["TargetGroups"][0]
    _with_health(elb, "sick")
    with pytest.raises(ClientError) as raised:
        elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": FN}])
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "sick is not one of" in raised.value.response["Error"]["Message"]
