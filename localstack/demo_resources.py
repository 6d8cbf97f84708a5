"""Creates the demo's load balancer in the emulator, idempotently by name, and prints its ARNs.

The demo (and anyone trying canary-deploy locally) needs an ALB to shift traffic on. Real
resources are made with boto3 from the emulator's virtualenv, so the Rust build needs no EC2 SDK.
Running it again finds what exists by name (VPC and subnets by their Name tag, the rest by ELBv2
name, port or priority) and creates only what is missing.

Resources: VPC `demo-vpc` with two subnets, ALB `demo-alb`, HTTP:80 listener whose default
action forwards to `demo-stable`, and two rules, each forwarding to its stable group, one per
demo scenario (`localstack/demo` runs a healthy canary on the first and a bad one on the second):
  healthy: priority 10, path /checkout/*, target groups demo-stable / demo-canary
  bad:     priority 20, path /search/*,   target groups demo-stable-2 / demo-canary-2

And a VPC Lattice service modelled on AWS's sample "Amazon VPC Lattice with AWS Lambda as
weighted targets" (aws-samples/serverless-patterns, vpc-lattice-lambda: a listener forwarding
60/40 to two LAMBDA target groups), found again by name: service `demo-lattice`, HTTP:80
listener `demo-lattice-http`, LAMBDA target groups (event structure V2, as in the sample), and
the same two scenarios:
  healthy: the listener's default action, demo-lattice-primary 60 / demo-lattice-secondary 40
  bad:     rule `demo-lattice-search`, priority 10, path prefix /search,
           demo-lattice-primary-2 100 / demo-lattice-secondary-2 0 (Lattice accepts weight 0)

Every target group has a target, so canary-deploy's preflight passes: instance `demo-instance`
(running, registered in each ALB target group), and per Lattice target group a function
`<group>-fn` (version 1, alias `live`, invokable by vpc-lattice.amazonaws.com with
AWS:SourceArn = the group) registered by its alias ARN.

Usage: .venv/bin/python demo_resources.py --endpoint-url http://127.0.0.1:4566 [--region R]
Prints one JSON object on stdout: vpc_id, subnet_ids, load_balancer_arn, listener_arn,
<scenario>_rule_arn / _stable_arn / _canary_arn for each scenario, target_groups (name -> ARN),
dimensions (the CloudWatch dimension values of the ALB and of each target group), and for
Lattice: lattice_service_arn, lattice_listener_arn, lattice_healthy_primary_arn,
lattice_healthy_secondary_arn, lattice_bad_rule_arn, lattice_bad_primary_arn,
lattice_bad_secondary_arn.
"""

import argparse
import json
import sys

import make_lattice

LB_NAME = "demo-alb"
SCENARIOS = {
    "healthy": {"priority": 10, "path": "/checkout/*",
                "stable": "demo-stable", "canary": "demo-canary"},
    "bad": {"priority": 20, "path": "/search/*",
            "stable": "demo-stable-2", "canary": "demo-canary-2"},
}
SUBNETS = (("demo-subnet-a", "10.0.1.0/24", "a"), ("demo-subnet-b", "10.0.2.0/24", "b"))
LATTICE = "demo-lattice"
LATTICE_SCENARIOS = {
    "healthy": {"primary": ("demo-lattice-primary", 60),
                "secondary": ("demo-lattice-secondary", 40)},
    "bad": {"primary": ("demo-lattice-primary-2", 100),
            "secondary": ("demo-lattice-secondary-2", 0),
            "rule": ("demo-lattice-search", 10, "/search")},
}


def clients(endpoint_url: str, region: str):
    return (make_lattice.client(endpoint_url, region, "ec2"),
            make_lattice.client(endpoint_url, region, "elbv2"))


def _tagged(ec2, kind: str, name: str) -> list[dict]:
    describe = {"vpc": ec2.describe_vpcs, "subnet": ec2.describe_subnets}[kind]
    key = {"vpc": "Vpcs", "subnet": "Subnets"}[kind]
    return describe(Filters=[{"Name": "tag:Name", "Values": [name]}])[key]


def _name_tag(name: str, kind: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def ensure_vpc(ec2) -> str:
    found = _tagged(ec2, "vpc", "demo-vpc")
    if found:
        return found[0]["VpcId"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=_name_tag("demo-vpc", "vpc"))
    return vpc["Vpc"]["VpcId"]


def ensure_subnets(ec2, vpc_id: str, region: str) -> list[str]:
    ids = []
    for name, cidr, zone in SUBNETS:
        found = _tagged(ec2, "subnet", name)
        if not found:
            found = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=region + zone,
                                       TagSpecifications=_name_tag(name, "subnet"))["Subnet"]]
        ids.append(found[0]["SubnetId"])
    return ids


def ensure_load_balancer(elb, subnets: list[str]) -> str:
    try:
        return elb.describe_load_balancers(Names=[LB_NAME])["LoadBalancers"][0]["LoadBalancerArn"]
    except elb.exceptions.LoadBalancerNotFoundException:
        created = elb.create_load_balancer(Name=LB_NAME, Subnets=subnets, Type="application")
        return created["LoadBalancers"][0]["LoadBalancerArn"]


def ensure_instance(ec2, subnet: str) -> str:
    """The running instance `demo-instance` the ALB target groups serve from."""
    for reservation in ec2.describe_instances(Filters=[
            {"Name": "tag:Name", "Values": ["demo-instance"]},
            {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]:
        for instance in reservation["Instances"]:
            return instance["InstanceId"]
    return ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet,
                             TagSpecifications=_name_tag("demo-instance", "instance"))[
        "Instances"][0]["InstanceId"]


def ensure_target_group(elb, name: str, vpc_id: str) -> str:
    try:
        return elb.describe_target_groups(Names=[name])["TargetGroups"][0]["TargetGroupArn"]
    except elb.exceptions.TargetGroupNotFoundException:
        created = elb.create_target_group(Name=name, Protocol="HTTP", Port=80, VpcId=vpc_id,
                                          TargetType="instance")
        return created["TargetGroups"][0]["TargetGroupArn"]


def forward(target_group_arn: str) -> list[dict]:
    return [{"Type": "forward", "TargetGroupArn": target_group_arn}]


def ensure_listener(elb, lb_arn: str, default_target_group: str) -> str:
    for listener in elb.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]:
        if listener["Port"] == 80:
            return listener["ListenerArn"]
    created = elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                                  DefaultActions=forward(default_target_group))
    return created["Listeners"][0]["ListenerArn"]


def ensure_rule(elb, listener_arn: str, priority: int, path: str, target_group: str) -> str:
    for rule in elb.describe_rules(ListenerArn=listener_arn)["Rules"]:
        if rule["Priority"] == str(priority):
            return rule["RuleArn"]
    created = elb.create_rule(
        ListenerArn=listener_arn, Priority=priority, Actions=forward(target_group),
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": [path]}}],
    )
    return created["Rules"][0]["RuleArn"]


def dimension(arn: str) -> str:
    """CloudWatch's dimension value for an ALB or target group ARN (the part after the type)."""
    resource = arn.split(":", 5)[5]
    prefix = "loadbalancer/"
    return resource[len(prefix):] if resource.startswith(prefix) else resource


# ---- VPC Lattice ---------------------------------------------------------------------------------


def _by_name(pages, name: str) -> dict | None:
    return next((item for page in pages for item in page["items"] if item["name"] == name), None)


def ensure_lattice_target_group(lattice, name: str) -> str:
    found = _by_name(lattice.get_paginator("list_target_groups").paginate(), name)
    if found is None:
        found = lattice.create_target_group(name=name, type="LAMBDA",
                                            config={"lambdaEventStructureVersion": "V2"})
        _function_target(lattice, f"{name}-fn", found["arn"])
    return found["arn"]


def _function_target(lattice, name: str, group_arn: str) -> None:
    """Function NAME (version 1, alias `live`), invokable by VPC Lattice from the target group,
    registered in it by its alias ARN (make_lattice.function_target, in the client's region)."""
    # The same endpoint as the Lattice client's, unless that is AWS's own (in-process moto,
    # where every client must keep its service's default endpoint).
    endpoint = lattice.meta.endpoint_url
    endpoint = None if endpoint.endswith(".amazonaws.com") else endpoint
    make_lattice.function_target(endpoint, name, group_arn, region=lattice.meta.region_name)


def _forward(scenario: dict) -> dict:
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": scenario[f"{part}_arn"], "weight": scenario[part][1]}
        for part in ("primary", "secondary")]}}


def ensure_lattice(lattice) -> dict:
    service = _by_name(lattice.get_paginator("list_services").paginate(), LATTICE) \
        or lattice.create_service(name=LATTICE)
    scenarios = {key: {**s, **{f"{part}_arn": ensure_lattice_target_group(lattice, s[part][0])
                               for part in ("primary", "secondary")}}
                 for key, s in LATTICE_SCENARIOS.items()}
    listener = _by_name(lattice.get_paginator("list_listeners").paginate(
        serviceIdentifier=service["arn"]), f"{LATTICE}-http") or lattice.create_listener(
        serviceIdentifier=service["arn"], name=f"{LATTICE}-http", protocol="HTTP", port=80,
        defaultAction=_forward(scenarios["healthy"]))
    bad = scenarios["bad"]
    rule_name, priority, path = bad["rule"]
    rule = _by_name(lattice.get_paginator("list_rules").paginate(
        serviceIdentifier=service["arn"], listenerIdentifier=listener["arn"]), rule_name) \
        or lattice.create_rule(
            serviceIdentifier=service["arn"], listenerIdentifier=listener["arn"], name=rule_name,
            priority=priority, action=_forward(bad),
            match={"httpMatch": {"pathMatch": {"match": {"prefix": path}}}})
    return {
        "lattice_service_arn": service["arn"],
        "lattice_listener_arn": listener["arn"],
        "lattice_healthy_primary_arn": scenarios["healthy"]["primary_arn"],
        "lattice_healthy_secondary_arn": scenarios["healthy"]["secondary_arn"],
        "lattice_bad_rule_arn": rule["arn"],
        "lattice_bad_primary_arn": bad["primary_arn"],
        "lattice_bad_secondary_arn": bad["secondary_arn"],
    }


def create(endpoint_url: str, region: str) -> dict:
    ec2, elb = clients(endpoint_url, region)
    vpc_id = ensure_vpc(ec2)
    subnets = ensure_subnets(ec2, vpc_id, region)
    lb_arn = ensure_load_balancer(elb, subnets)
    groups = {}
    for scenario in SCENARIOS.values():
        for name in (scenario["stable"], scenario["canary"]):
            groups[name] = ensure_target_group(elb, name, vpc_id)
    instance = ensure_instance(ec2, subnets[0])
    for arn in groups.values():
        elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance}])
    listener_arn = ensure_listener(elb, lb_arn, groups["demo-stable"])
    out = {
        "vpc_id": vpc_id,
        "subnet_ids": subnets,
        "load_balancer_arn": lb_arn,
        "listener_arn": listener_arn,
    }
    for key, s in SCENARIOS.items():
        out[f"{key}_rule_arn"] = ensure_rule(elb, listener_arn, s["priority"], s["path"],
                                             groups[s["stable"]])
        out[f"{key}_stable_arn"] = groups[s["stable"]]
        out[f"{key}_canary_arn"] = groups[s["canary"]]
    return {
        **out,
        "target_groups": groups,
        "dimensions": {
            "LoadBalancer": dimension(lb_arn),
            "TargetGroup": {name: dimension(arn) for name, arn in groups.items()},
        },
        **ensure_lattice(make_lattice.client(endpoint_url, region)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    json.dump(create(args.endpoint_url, args.region), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
