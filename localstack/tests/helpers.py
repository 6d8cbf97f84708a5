"""Test helpers: a raw Smithy RPC v2 CBOR client (cbor2 + urllib, no SDK, so the tests see the
exact bytes and headers) and boto3 clients pointed at the emulator."""

import datetime as dt
import io
import json
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass

import boto3
import cbor2

CW_PATH = "/service/GraniteServiceVersion20100801/operation/"


def ts(seconds: float) -> cbor2.CBORTag:
    """A CBOR tag-1 epoch timestamp, as the Rust SDK sends it."""
    return cbor2.CBORTag(1, float(seconds))


def epoch(value) -> float:
    """A timestamp decoded by cbor2 (tag 1 becomes an aware datetime) back to epoch seconds."""
    assert isinstance(value, dt.datetime), f"not a tag-1 timestamp: {value!r}"
    return value.timestamp()


def authorization(region: str, access_key: str = "testing") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={access_key}/20250101/{region}/monitoring/aws4_request, "
        "SignedHeaders=content-type;host, Signature=0"
    )


@dataclass
class Reply:
    status: int
    headers: dict
    raw: bytes

    @property
    def body(self):
        return cbor2.loads(self.raw)


class CborClient:
    def __init__(self, endpoint: str, region: str | None = "us-east-1", access_key="testing"):
        self.endpoint = endpoint
        self.region = region
        self.access_key = access_key

    def raw(self, operation: str, payload: bytes, headers: dict | None = None) -> Reply:
        request = urllib.request.Request(
            self.endpoint + CW_PATH + operation,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/cbor",
                "Accept": "application/cbor",
                "smithy-protocol": "rpc-v2-cbor",
                **(
                    {"Authorization": authorization(self.region, self.access_key)}
                    if self.region
                    else {}
                ),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())

    def call(self, operation: str, **params) -> Reply:
        return self.raw(operation, cbor2.dumps(params))

    def ok(self, operation: str, **params) -> dict:
        reply = self.call(operation, **params)
        assert reply.status == 200, (reply.status, reply.body)
        return reply.body


def boto_client(service: str, endpoint: str, region: str = "us-east-1"):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def metric_query(qid: str, name: str, stat: str, period: int = 60, namespace: str = "Test",
                 dimensions=None, **extra) -> dict:
    metric = {"Namespace": namespace, "MetricName": name}
    if dimensions is not None:
        metric["Dimensions"] = dimensions
    return {"Id": qid, "MetricStat": {"Metric": metric, "Period": period, "Stat": stat}, **extra}


def dump(value) -> str:
    return json.dumps(value, default=str, indent=1)


def lambda_function(boto, name: str):
    """Creates the Lambda function `name` (a trivial Python handler, with a role of its own) and
    returns the Lambda client; `boto` is the tests' client factory fixture."""
    iam, lam = boto("iam"), boto("lambda")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(e, c):\n    return 1\n")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role,
                        Handler="index.handler", Code={"ZipFile": buffer.getvalue()})
    return lam
