"""WSGI middleware: Smithy RPC v2 CBOR in front of moto's JSON-protocol handlers.

The AWS SDK for Rust calls CloudWatch as `POST /service/<ServiceName>/operation/<Operation>` with
a CBOR body; moto 5.2.5 only routes CloudWatch's query and JSON protocols, so those calls 404.
Each such call is re-issued to moto as the equivalent awsJson1_0 request (same Authorization
header, so moto picks the same account and region) and the JSON answer is re-encoded as CBOR
from the service model. Going through moto's own response layer keeps every CloudWatch operation
moto has, with moto's validation, instead of re-implementing them here.

Errors come back as the status moto chose (400 client, 404 ResourceNotFound, 500 fault) with a
CBOR body {"__type": <code>, "message": ...}. The code is the query-compatible one (e.g.
"InvalidParameterValue", not "...#InvalidParameterValueException") and is repeated in the
`x-amzn-query-error: <code>;Sender` header, as AWS does for this awsQueryCompatible service: the
Rust SDK matches modelled errors on exactly that code, from the header or from `__type`.
"""

import gzip
import io
import json
import re
import traceback
from functools import cache

import cbor2
from botocore.loaders import Loader
from botocore.model import ServiceModel

from canary_emulator import shapes

_PATH = re.compile(r"^/service/(?P<service>[^/]+)/operation/(?P<operation>[^/]+)$")
CBOR = "application/cbor"
# service name on the wire -> (botocore service, SigV4 signing name)
SERVICES = {"GraniteServiceVersion20100801": ("cloudwatch", "monitoring")}
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCESS_KEY = "testing"  # moto maps any non-account-id key to account 123456789012


@cache
def service_model(name: str) -> ServiceModel:
    return ServiceModel(Loader().load_service_model(name, "service-2"), name)


def cbor_response(start_response, status: str, body: dict, extra_headers=()):
    payload = cbor2.dumps(body)
    headers = [
        ("Content-Type", CBOR),
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Length", str(len(payload))),
        *extra_headers,
    ]
    start_response(status, headers)
    return [payload]


def cbor_error(start_response, status: str, code: str, message: str, headers=()):
    fault = "Receiver" if status.startswith("5") else "Sender"
    query_error = ("x-amzn-query-error", f"{code};{fault}")
    body = {"__type": code, "message": message}
    return cbor_response(start_response, status, body, [query_error, *headers])


class CborRpcMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        match = _PATH.match(environ.get("PATH_INFO", ""))
        if not match or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        service, operation = match["service"], match["operation"]
        if service not in SERVICES:
            return cbor_error(
                start_response, "404 Not Found", "UnknownOperationException",
                f"service {service} is not emulated over rpc-v2-cbor",
            )
        botocore_name, signing_name = SERVICES[service]
        model = service_model(botocore_name)
        if operation not in model.operation_names:
            return cbor_error(
                start_response, "404 Not Found", "UnknownOperationException",
                f"{service} has no operation {operation}",
            )
        try:
            params = _read_params(environ)
        except (ValueError, OSError, EOFError, cbor2.CBORDecodeError) as e:
            return cbor_error(
                start_response, "400 Bad Request", "SerializationException", f"bad CBOR body: {e}"
            )
        inner = _json_environ(environ, service, operation, signing_name, params)
        try:
            status, headers, body = _call(self.app, inner)
        except Exception as e:  # moto raised instead of answering: a server fault, logged
            traceback.print_exc()
            return cbor_error(
                start_response, "500 Internal Server Error", "InternalServiceError",
                f"{operation} failed in the emulator: {e!r}",
            )
        request_id = [(k, v) for k, v in headers if k.lower() == "x-amzn-requestid"]
        if status.startswith("2"):
            output = json.loads(body) if body.strip() else {}
            result = shapes.to_cbor(model.operation_model(operation).output_shape, output) or {}
            return cbor_response(start_response, status, result, request_id)
        code, message = _error_code_and_message(status, headers, body)
        return cbor_error(start_response, status, code, message, request_id)


def _read_params(environ) -> dict:
    stream = environ["wsgi.input"]
    if environ.get("CONTENT_LENGTH"):
        raw = stream.read(int(environ["CONTENT_LENGTH"]))
    elif environ.get("wsgi.input_terminated"):  # chunked upload: werkzeug ends the stream
        raw = stream.read()
    else:
        raw = b""
    if "gzip" in environ.get("HTTP_CONTENT_ENCODING", "") and raw:
        raw = gzip.decompress(raw)  # the SDKs compress PutMetricData bodies of 10 KiB or more
    params = cbor2.loads(raw) if raw else {}
    if not isinstance(params, dict):
        raise ValueError("the body must be a CBOR map")
    return shapes.json_ready(params)


def _json_environ(environ, service, operation, signing_name, params) -> dict:
    body = json.dumps(params).encode()
    inner = dict(environ)
    inner.update(
        {
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "CONTENT_TYPE": "application/x-amz-json-1.0",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_AMZ_TARGET": f"{service}.{operation}",
            "HTTP_X_AMZN_QUERY_MODE": "true",
            "wsgi.input": io.BytesIO(body),
        }
    )
    inner.pop("HTTP_CONTENT_ENCODING", None)
    inner.pop("HTTP_TRANSFER_ENCODING", None)
    if "HTTP_AUTHORIZATION" not in inner:
        inner["HTTP_AUTHORIZATION"] = (
            f"AWS4-HMAC-SHA256 Credential={DEFAULT_ACCESS_KEY}/19700101/{DEFAULT_REGION}/"
            f"{signing_name}/aws4_request, SignedHeaders=host, Signature=0"
        )
    return inner


def _call(app, environ):
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return captured["status"], captured["headers"], body


def _error_code_and_message(status: str, headers, body: bytes) -> tuple[str, str]:
    """The query-compatible error code and message of moto's JSON error response."""
    header = {k.lower(): v for k, v in headers}
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    message = doc.get("message") or doc.get("Message") or ""
    code = header.get("x-amzn-query-error", "").split(";")[0] or _sanitize(doc.get("__type", ""))
    if not code:
        code = "InternalServiceError" if status.startswith("5") else "InvalidParameterValue"
        message = message or body.decode(errors="replace")[:500]
    return code, message


def _sanitize(code: str) -> str:
    """`ns#Name:uri` -> `Name`, as the Rust SDK does."""
    return code.split(":")[0].split("#")[-1]
