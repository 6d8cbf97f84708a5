"""Creates one Lambda fixture in the emulator and prints its names and ARNs as JSON.

The Rust integration tests (and anyone trying the Lambda alias backend by hand) need a function
with two published versions and an alias to shift traffic on. moto checks that a function's
execution role exists in IAM, so an IAM role is created first.

Usage: make_lambda.py --endpoint-url URL --prefix NAME
Creates IAM role NAME-role, function NAME (python3.12, a zip with one handler), publishes
version 1, changes the code and publishes version 2, and creates alias `live` on version 1 with
no routing config. NAME must suit Lambda function names (1-64 characters of a-z, A-Z, 0-9, - and
_).
Prints one JSON object: function_arn, function_name, alias_arn, alias, stable_version,
canary_version.
"""

import argparse
import io
import json
import sys
import zipfile

import boto3

ALIAS = "live"
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}


def client(service: str, endpoint_url: str):
    return boto3.client(service, endpoint_url=endpoint_url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def code(body: str) -> bytes:
    """A zip with `handler.py` returning `body`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", f"def handler(event, context):\n    return {body!r}\n")
    return buffer.getvalue()


def create(endpoint_url: str, prefix: str) -> dict:
    iam = client("iam", endpoint_url)
    # Under load a create may time out after it took effect and be retried: find the role then.
    try:
        role = iam.create_role(RoleName=f"{prefix}-role",
                               AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName=f"{prefix}-role")["Role"]
    lam = client("lambda", endpoint_url)
    function = lam.create_function(
        FunctionName=prefix, Runtime="python3.12", Role=role["Arn"],
        Handler="handler.handler", Code={"ZipFile": code("v1")})
    stable = lam.publish_version(FunctionName=prefix)["Version"]
    lam.update_function_code(FunctionName=prefix, ZipFile=code("v2"))
    canary = lam.publish_version(FunctionName=prefix)["Version"]
    alias = lam.create_alias(FunctionName=prefix, Name=ALIAS, FunctionVersion=stable)
    return {
        "function_arn": function["FunctionArn"], "function_name": prefix,
        "alias_arn": alias["AliasArn"], "alias": ALIAS,
        "stable_version": stable, "canary_version": canary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args()
    json.dump(create(args.endpoint_url, args.prefix), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
