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
Prints one JSON object: service_arn, service_id, listener_arn, listener_id, rule_arn, rule_id,
stable_arn, stable_id, canary_arn, canary_id.
"""

import argparse
import json
import sys

import boto3

RULE_MATCH = {"httpMatch": {
    "pathMatch": {"match": {"prefix": "/api"}, "caseSensitive": False},
    "headerMatches": [{"name": "x-canary", "match": {"exact": "yes"}, "caseSensitive": False}],
}}
"""The rule's match, kept exactly by the emulator (tests compare it after an UpdateRule)."""


def client(endpoint_url: str):
    return boto3.client("vpc-lattice", endpoint_url=endpoint_url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def forward(*groups: tuple[str, int]) -> dict:
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": group, "weight": weight} for group, weight in groups]}}


def create(endpoint_url: str, prefix: str, weights: tuple[int, int] | None = None) -> dict:
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
    args = parser.parse_args()
    json.dump(create(args.endpoint_url, args.prefix, args.weights), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
