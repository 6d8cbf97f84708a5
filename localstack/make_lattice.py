"""Creates one VPC Lattice fixture in the emulator and prints its ids and ARNs as JSON.

The Rust integration tests (and anyone trying the Lattice backend by hand) need a Lattice
service with an HTTP listener, two LAMBDA target groups and a rule to shift traffic on. LAMBDA
target groups need no VPC, so nothing else is created.

Usage: make_lattice.py --endpoint-url URL --prefix NAME [--weights STABLE,CANARY]
Creates service NAME, target groups NAME-stable and NAME-canary (type LAMBDA), listener
NAME-http (HTTP:80) whose default action forwards to NAME-stable at weight 100 (with
--weights 60,40: NAME-stable at 60 and NAME-canary at 40), and rule NAME-rule, priority 10,
matching path prefix /api (caseSensitive false) and header `x-canary: yes` (exact), forwarding
to NAME-stable at weight 100. NAME must suit Lattice names (3-40 characters of a-z, 0-9 and
single hyphens).
Each target group has one Lambda function target, NAME-stable-fn:live and NAME-canary-fn:live
(an alias of a published version), whose resource policy lets vpc-lattice.amazonaws.com invoke
it with AWS:SourceArn = the target group's ARN, so the preflight passes; --no-targets creates
neither functions nor targets; --broken-canary unqualified|no-permission|unscoped (repeatable)
registers the canary's function unqualified, or leaves its invoke permission out, or grants it
without the SourceArn condition, or gives its alias provisioned concurrency with that status
(provisioned=READY|IN_PROGRESS), for the preflight's tests.
Prints one JSON object: service_arn, service_id, listener_arn, listener_id, rule_arn, rule_id,
stable_arn, stable_id, canary_arn, canary_id.
"""

import argparse
import io
import json
import sys
import zipfile

import boto3

RULE_MATCH = {"httpMatch": {
    "pathMatch": {"match": {"prefix": "/api"}, "caseSensitive": False},
    "headerMatches": [{"name": "x-canary", "match": {"exact": "yes"}, "caseSensitive": False}],
}}
"""The rule's match, kept exactly by the emulator (tests compare it after an UpdateRule)."""


def client(endpoint_url: str | None, region: str = "us-east-1", service: str = "vpc-lattice"):
    """A client of the emulator (or, with no ENDPOINT_URL, of the service's default endpoint,
    as in-process moto needs)."""
    return boto3.client(service, endpoint_url=endpoint_url, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def forward(*groups: tuple[str, int]) -> dict:
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": group, "weight": weight} for group, weight in groups]}}


def function_target(endpoint_url: str | None, name: str, target_group_arn: str,
                    broken: frozenset = frozenset(), region: str = "us-east-1") -> str:
    """Creates function NAME (version 1, alias `live`) in REGION, invokable by VPC Lattice from
    the target group, registers the alias in it, and returns the registered ARN (the alias's,
    or with `unqualified` in BROKEN the function's). demo_resources.py uses it too."""
    iam, lam = client(endpoint_url, region, "iam"), client(endpoint_url, region, "lambda")
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(trust))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py",
                         "def handler(event, context):\n    return {'statusCode': 200}\n")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role["Role"]["Arn"],
                        Handler="index.handler", Code={"ZipFile": buffer.getvalue()})
    version = lam.publish_version(FunctionName=name)["Version"]
    alias = lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)["AliasArn"]
    if "no-permission" not in broken:
        scope = {} if "unscoped" in broken else {"SourceArn": target_group_arn}
        lam.add_permission(FunctionName=name, Qualifier="live", StatementId="vpc-lattice",
                           Action="lambda:InvokeFunction", Principal="vpc-lattice.amazonaws.com",
                           **scope)
    for status in (s.split("=", 1)[1] for s in broken if s.startswith("provisioned=")):
        def header(request, status=status, **_):
            request.headers["x-canary-emulator-provisioned-status"] = status
        lam.meta.events.register_first("before-sign.lambda.PutProvisionedConcurrencyConfig", header)
        lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live",
                                               ProvisionedConcurrentExecutions=2)
    target = alias.rsplit(":", 1)[0] if "unqualified" in broken else alias
    client(endpoint_url, region).register_targets(targetGroupIdentifier=target_group_arn,
                                                  targets=[{"id": target}])
    return target


def create(endpoint_url: str, prefix: str, weights: tuple[int, int] | None = None,
           targets: bool = True, broken: frozenset = frozenset()) -> dict:
    lattice = client(endpoint_url)
    service = lattice.create_service(name=prefix)
    stable = lattice.create_target_group(name=f"{prefix}-stable", type="LAMBDA")
    canary = lattice.create_target_group(name=f"{prefix}-canary", type="LAMBDA")
    default = (forward((stable["id"], weights[0]), (canary["id"], weights[1])) if weights
               else forward((stable["id"], 100)))
    listener = lattice.create_listener(serviceIdentifier=service["id"], name=f"{prefix}-http",
                                       protocol="HTTP", port=80, defaultAction=default)
    rule = lattice.create_rule(serviceIdentifier=service["id"], listenerIdentifier=listener["id"],
                               name=f"{prefix}-rule", priority=10, match=RULE_MATCH,
                               action=forward((stable["id"], 100)))
    if targets:
        for role, group in (("stable", stable), ("canary", canary)):
            function_target(endpoint_url, f"{prefix}-{role}-fn", group["arn"],
                            broken if role == "canary" else frozenset())
    return {
        "service_arn": service["arn"], "service_id": service["id"],
        "listener_arn": listener["arn"], "listener_id": listener["id"],
        "rule_arn": rule["arn"], "rule_id": rule["id"],
        "stable_arn": stable["arn"], "stable_id": stable["id"],
        "canary_arn": canary["arn"], "canary_id": canary["id"],
    }


def weights_arg(value: str) -> tuple[int, int]:
    try:
        stable, canary = (int(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected STABLE,CANARY, e.g. 60,40") from None
    return stable, canary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--weights", type=weights_arg, help="STABLE,CANARY, e.g. 60,40")
    parser.add_argument("--no-targets", action="store_true")
    parser.add_argument("--broken-canary", action="append", default=[],
                        choices=["unqualified", "no-permission", "unscoped",
                                 "provisioned=READY", "provisioned=IN_PROGRESS"],
                        help="break the canary's Lambda target for a preflight test")
    args = parser.parse_args()
    json.dump(create(args.endpoint_url, args.prefix, args.weights, not args.no_targets,
                     frozenset(args.broken_canary)), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
