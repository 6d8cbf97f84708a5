"""Creates one application load balancer fixture in the emulator and prints its ARNs as JSON.

The Rust integration tests and the demo need a VPC, subnets, an ALB, an HTTP listener and two
target groups. EC2 calls are only needed for this set-up, so they are made here with boto3 (which
the emulator's virtualenv already has) instead of pulling the large EC2 SDK crate into the build.

Usage: make_alb.py --endpoint-url URL --prefix NAME [--port 80]
Target groups are <prefix>-stable and <prefix>-canary; the listener forwards to <prefix>-stable.
One running EC2 instance is registered in both target groups (the emulator reports it healthy),
so the preflight's healthy-targets checks pass; --no-targets leaves both groups empty;
--canary-health STATE[;Reason] (e.g. `unhealthy;Target.Timeout`) registers the canary's
instance with that health (patches/elbv2_target_health.py).

--lambda makes both target groups of type lambda instead, each with one function target,
<prefix>-stable-fn:live and <prefix>-canary-fn:live (make_lambda.py's function: versions 1 and 2,
alias `live` on 1), whose resource policy lets elasticloadbalancing.amazonaws.com invoke it with
AWS:SourceArn = the target group's ARN, so the preflight passes. --broken-canary and
--broken-stable unqualified|no-permission|unscoped (repeatable) register that side's function
unqualified, or leave its invoke permission out, or grant it without the SourceArn condition.
Prefixes must be at most 25 characters (target group names are at most 32).
"""

import argparse
import json
import sys

import boto3

import make_lambda

BROKEN = ("unqualified", "no-permission", "unscoped")
HEALTH_HEADER = "x-canary-emulator-target-health"


def client(service, endpoint_url):
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def function_target(endpoint_url, name, target_group_arn, broken=frozenset()):
    """Creates function NAME (make_lambda.py's) invokable by the load balancer from the target
    group as `broken` allows, registers its alias (or, broken `unqualified`, the function) in
    the target group, and returns the ARN registered."""
    function = make_lambda.create(endpoint_url, name)
    if "no-permission" not in broken:
        scope = {} if "unscoped" in broken else {"SourceArn": target_group_arn}
        client("lambda", endpoint_url).add_permission(
            FunctionName=name, Qualifier=function["alias"], StatementId="elb",
            Action="lambda:InvokeFunction", Principal="elasticloadbalancing.amazonaws.com",
            **scope)
    target = function["function_arn"] if "unqualified" in broken else function["alias_arn"]
    client("elbv2", endpoint_url).register_targets(TargetGroupArn=target_group_arn,
                                                   Targets=[{"Id": target}])
    return target


def with_health(elb, health):
    """Sends `health` with this client's RegisterTargets calls."""
    def add(request, **_):
        request.headers[HEALTH_HEADER] = health
    elb.meta.events.register_first("before-sign.elastic-load-balancing-v2.RegisterTargets", add)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--no-targets", action="store_true")
    parser.add_argument("--canary-health", help="STATE[;Reason] of the canary's instance")
    parser.add_argument("--lambda", dest="lambda_targets", action="store_true",
                        help="lambda target groups with one function each")
    parser.add_argument("--broken-canary", action="append", default=[], choices=BROKEN)
    parser.add_argument("--broken-stable", action="append", default=[], choices=BROKEN)
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
        if args.lambda_targets:
            created = elb.create_target_group(Name=f"{args.prefix}-{suffix}", TargetType="lambda")
        else:
            created = elb.create_target_group(
                Name=f"{args.prefix}-{suffix}", Protocol="HTTP", Port=80, VpcId=vpc,
                TargetType="instance")
        return created["TargetGroups"][0]["TargetGroupArn"]

    stable, canary = target_group("stable"), target_group("canary")
    listener = elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=args.port,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": stable}],
    )["Listeners"][0]["ListenerArn"]

    instance = None
    if args.no_targets:
        pass
    elif args.lambda_targets:
        for role, group, broken in (("stable", stable, args.broken_stable),
                                    ("canary", canary, args.broken_canary)):
            function_target(args.endpoint_url, f"{args.prefix}-{role}-fn", group,
                            frozenset(broken))
    else:
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                     SubnetId=subnets[0])["Instances"][0]["InstanceId"]
        elb.register_targets(TargetGroupArn=stable, Targets=[{"Id": instance}])
        if args.canary_health:
            with_health(elb, args.canary_health)
        elb.register_targets(TargetGroupArn=canary, Targets=[{"Id": instance}])

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
