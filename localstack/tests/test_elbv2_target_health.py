"""DescribeTargetHealth of Lambda target groups (patches/elbv2_target_health.py)."""

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
