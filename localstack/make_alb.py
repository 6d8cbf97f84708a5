"""Creates one application load balancer fixture in the emulator and prints its ARNs as JSON.

The Rust integration tests and the demo need a VPC, subnets, an ALB, an HTTP listener and two
target groups. EC2 calls are only needed for this set-up, so they are made here with boto3 (which
the emulator's virtualenv already has) instead of pulling the large EC2 SDK crate into the build.

Usage: make_alb.py --endpoint-url URL --prefix NAME [--port 80]
Target groups are <prefix>-stable and <prefix>-canary; the listener forwards to <prefix>-stable.
One running EC2 instance is registered in both target groups (the emulator reports it healthy),
so the preflight's healthy-targets checks pass; --no-targets leaves both groups empty.
"""

import argparse
import json
import sys

import boto3


def client(service, endpoint_url):
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--no-targets", action="store_true")
    args = parser.parse_args()

    ec2 = client("ec2", args.endpoint_url)
    elb = client("elbv2", args.endpoint_url)

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b"))
    ]
    lb = elb.create_load_balancer(Name=args.prefix, Subnets=subnets, Type="application")
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]

    def target_group(suffix):
        created = elb.create_target_group(
            Name=f"{args.prefix}-{suffix}", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance"
        )
        return created["TargetGroups"][0]["TargetGroupArn"]

    stable, canary = target_group("stable"), target_group("canary")
    listener = elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=args.port,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": stable}],
    )["Listeners"][0]["ListenerArn"]

    instance = None
    if not args.no_targets:
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                     SubnetId=subnets[0])["Instances"][0]["InstanceId"]
        for group in (stable, canary):
            elb.register_targets(TargetGroupArn=group, Targets=[{"Id": instance}])

    json.dump(
        {
            "instance_id": instance,
            "vpc_id": vpc,
            "subnet_ids": subnets,
            "lb_arn": lb_arn,
            "listener_arn": listener,
            "stable_arn": stable,
            "canary_arn": canary,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
