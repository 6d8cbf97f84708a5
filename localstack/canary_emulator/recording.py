"""Request recording: which AWS calls a client made, by IAM action and resource ARN.

Why: `canary-deploy iam-policy` promises the exact actions and resources the tool calls, and the
only honest check of that promise is to watch the calls go by. Every request the emulator gets is
described as `{"service", "action", "resources"}`:

- service: the IAM service prefix, from the SigV4 credential scope (`monitoring` is `cloudwatch`);
- action: the `X-Amz-Target` operation (JSON protocols), the operation in the path (CloudWatch's
  Smithy RPC v2 CBOR), the `Action` parameter (query protocol: ELBv2, STS), or, for rest-json
  services (VPC Lattice, Lambda), the operation whose HTTP route in the botocore model matches;
- resources: the ARNs the request names, as IAM would authorize them: top-level `…Arn` and
  `…Arns.member.N` parameters, a rest-json resource ARN label, VPC Lattice identifiers (an id is
  turned into its ARN with the request's region and account), Lambda function and alias names,
  and CloudWatch `AlarmNames` (as alarm ARNs). An empty list: the request names none.

Recording is keyed by the request's access key id, so tests sharing one emulator each record on
a key of their own and never see each other's calls:

    POST   /_canary/recording/<key>   start recording requests signed with <key> (log cleared)
    GET    /_canary/recording/<key>   {"requests": [...]}, oldest first
    DELETE /_canary/recording/<key>   stop, and return the log one last time

The key `*` records every request, whatever its key; `CANARY_EMULATOR_RECORD=1` in the server's
environment starts it recording everything from the first request. Nothing is kept otherwise.
The emulator's own control paths (`/_canary/...`) are never recorded.

The pieces fault injection (faults.py) shares: `credential()`, `described()` (the description
above, computed once per request and kept in the WSGI environ), `protocol()`, `control_key()`
and `json_response()`.
"""

import gzip
import io
import json
import os
import re
import threading
from functools import cache
from urllib.parse import parse_qsl, unquote

import cbor2

CONTROL_PREFIX = "/_canary/"
RECORDING_PATH = CONTROL_PREFIX + "recording/"
ALL = "*"
DEFAULT_ACCOUNT = "123456789012"  # moto's account for any access key that is not 12 digits
_CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/")
_CBOR_PATH = re.compile(r"^/service/[^/]+/operation/(?P<operation>[^/]+)$")
_TOP_LEVEL_ARN = re.compile(r"^[A-Za-z]*Arns?(\.member\.\d+)?$")
IAM_PREFIX = {"monitoring": "cloudwatch"}
# API operations whose IAM action has another name (the Service Authorization Reference).
IAM_ACTIONS = {("lambda", "Invoke"): "InvokeFunction"}
REST_JSON_MODELS = {"vpc-lattice": "vpc-lattice", "lambda": "lambda", "scheduler": "scheduler"}
_DESCRIBED = "canary_emulator.request"  # environ key of the request's description


class Recorder:
    """The logs, by access key; thread-safe (the server is threaded)."""

    def __init__(self, record_all: bool = False):
        self._lock = threading.Lock()
        self._logs: dict[str, list[dict]] = {ALL: []} if record_all else {}

    def start(self, key: str) -> None:
        with self._lock:
            self._logs[key] = []

    def get(self, key: str) -> list[dict] | None:
        with self._lock:
            log = self._logs.get(key)
            return None if log is None else list(log)

    def stop(self, key: str) -> list[dict] | None:
        with self._lock:
            return self._logs.pop(key, None)

    def wants(self, key: str | None) -> bool:
        with self._lock:
            return ALL in self._logs or (key is not None and key in self._logs)

    def add(self, key: str | None, entry: dict) -> None:
        with self._lock:
            for channel in (ALL, key):
                if channel in self._logs:
                    self._logs[channel].append(entry)


class RecordingMiddleware:
    def __init__(self, app, recorder: Recorder | None = None):
        self.app = app
        record_all = os.environ.get("CANARY_EMULATOR_RECORD") == "1"
        self.recorder = recorder or Recorder(record_all=record_all)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(RECORDING_PATH):
            return self._control(environ, start_response, path[len(RECORDING_PATH):])
        if path.startswith(CONTROL_PREFIX):
            return self.app(environ, start_response)
        key, _, _ = credential(environ)
        if self.recorder.wants(key):
            self.recorder.add(key, described(environ))
        return self.app(environ, start_response)

    def _control(self, environ, start_response, rest):
        method = environ.get("REQUEST_METHOD")
        key = control_key(rest)
        if key is None:
            return json_response(start_response, "404 Not Found", {"error": "no such path"})
        if method == "POST":
            self.recorder.start(key)
            return json_response(start_response, "200 OK", {"recording": key})
        log = self.recorder.get(key) if method == "GET" else None
        if method == "DELETE":
            log = self.recorder.stop(key)
        elif method != "GET":
            return json_response(start_response, "405 Method Not Allowed", {"error": method})
        if log is None:
            return json_response(start_response, "404 Not Found", {"error": f"not recording {key}"})
        return json_response(start_response, "200 OK", {"requests": log})


def control_key(rest: str) -> str | None:
    """The access key id of a control path's tail (`/_canary/<what>/<key>`), or None."""
    key = unquote(rest)
    return key if key and "/" not in key else None


def json_response(start_response, status, body):
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def credential(environ) -> tuple[str | None, str | None, str | None]:
    """(access key id, region, signing name) from the SigV4 Authorization header."""
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    return (match[1], match[2], match[3]) if match else (None, None, None)


def account(key: str | None) -> str:
    return key if key and key.isdigit() and len(key) == 12 else DEFAULT_ACCOUNT


def described(environ) -> dict:
    """The request's `{"service", "action", "resources"}`, described once and kept in the environ
    for the next layer that asks (recording and faults both do). Reads the body and puts an
    equivalent stream back."""
    if _DESCRIBED not in environ:
        key, region, signing_name = credential(environ)
        body = buffer_body(environ)
        environ[_DESCRIBED] = describe(environ, body, region, signing_name, account(key))
    return environ[_DESCRIBED]


def buffer_body(environ) -> bytes:
    """Reads the body and puts an equivalent stream back for the app behind."""
    stream = environ["wsgi.input"]
    if environ.get("CONTENT_LENGTH"):
        raw = stream.read(int(environ["CONTENT_LENGTH"]))
    elif environ.get("wsgi.input_terminated"):
        raw = stream.read()
    else:
        raw = b""
    environ["wsgi.input"] = io.BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    if "gzip" in environ.get("HTTP_CONTENT_ENCODING", "") and raw:
        try:
            return gzip.decompress(raw)
        except OSError:
            return raw
    return raw


def protocol(environ, signing_name) -> str:
    """How the request is encoded, so how its answer must be: "json" (awsJson, `X-Amz-Target`),
    "cbor" (Smithy RPC v2 CBOR), "rest-json" (VPC Lattice, Lambda) or "query" (everything else:
    ELBv2, STS, IAM)."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    if _CBOR_PATH.match(environ.get("PATH_INFO", "")):
        return "cbor"
    return "rest-json" if signing_name in REST_JSON_MODELS else "query"


def describe(environ, body: bytes, region, signing_name, account_id) -> dict:
    service = IAM_PREFIX.get(signing_name or "", signing_name or "unknown")
    path = environ.get("PATH_INFO", "")
    entry = {"service": service, "action": None, "resources": []}
    kind = protocol(environ, signing_name)
    if kind == "json":
        entry["action"] = environ["HTTP_X_AMZ_TARGET"].rsplit(".", 1)[-1]
        entry["resources"] = _json_resources(body, service, region, account_id)
    elif kind == "cbor":
        entry["action"] = _CBOR_PATH.match(path)["operation"]
        entry["resources"] = _cbor_resources(body, service, region, account_id)
    elif kind == "rest-json":
        entry["action"], labels = rest_json_operation(
            REST_JSON_MODELS[signing_name], environ.get("REQUEST_METHOD", ""), _raw_path(environ))
        entry["action"] = IAM_ACTIONS.get((service, entry["action"]), entry["action"])
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        if service == "scheduler" and body:  # CreateSchedule, UpdateSchedule: the group's in it
            try:
                query.setdefault("groupName", json.loads(body).get("GroupName") or "default")
            except (ValueError, AttributeError):
                pass
        entry["resources"] = _label_resources(service, labels, region, account_id, query)
    else:
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        if "form-urlencoded" in environ.get("CONTENT_TYPE", "") and body:
            params.update(parse_qsl(body.decode(errors="replace")))
        entry["action"] = params.get("Action")
        entry["resources"] = sorted(
            {v for k, v in params.items() if _TOP_LEVEL_ARN.match(k) and v.startswith("arn:")})
    return entry


def _raw_path(environ) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    return raw.split("?", 1)[0]


def _alarm_arns(params, region, account_id) -> list[str]:
    names = params.get("AlarmNames") or []
    return [f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{name}" for name in names]


def _json_resources(body, service, region, account_id) -> list[str]:
    try:
        params = json.loads(body) if body else {}
    except ValueError:
        return []
    return _alarm_arns(params, region, account_id) if service == "cloudwatch" else []


def _cbor_resources(body, service, region, account_id) -> list[str]:
    try:
        params = cbor2.loads(body) if body else {}
    except (ValueError, EOFError, cbor2.CBORDecodeError):
        return []
    if not isinstance(params, dict) or service != "cloudwatch":
        return []
    return _alarm_arns(params, region, account_id)


@cache
def _routes(model_name: str) -> list[tuple[str, re.Pattern, list[str], int, str]]:
    """(method, path regex, label names, literal characters, operation) for every operation,
    most specific first."""
    from botocore.loaders import Loader

    model = Loader().load_service_model(model_name, "service-2")
    routes = []
    for name, operation in model["operations"].items():
        http = operation.get("http", {})
        uri = http.get("requestUri", "/").split("?", 1)[0]
        labels, pattern, literal = [], "", 0
        for part in re.split(r"(\{[^}]+\})", uri):
            label = re.fullmatch(r"\{([^}+]+)(\+?)\}", part)
            if label:
                labels.append(label[1])
                pattern += "(.+)" if label[2] else "([^/]+)"
            else:
                pattern += re.escape(part)
                literal += len(part)
        routes.append((http.get("method", "POST"), re.compile(f"^{pattern}/?$"), labels,
                       literal, name))
    routes.sort(key=lambda r: -r[3])
    return routes


def rest_json_operation(model_name: str, method: str, raw_path: str):
    """The operation of a rest-json request and its URI labels (decoded), or (None, {})."""
    for route_method, pattern, labels, _, name in _routes(model_name):
        match = pattern.match(raw_path) if route_method == method else None
        if match:
            values = map(unquote, match.groups())
            return name, dict(zip(labels, values, strict=True))
    return None, {}


def _label_resources(service, labels, region, account_id, query=None) -> list[str]:
    """The resource ARNs a rest-json request names: its URI labels, and for Lambda the
    `Qualifier` query parameter (a version or alias: IAM sees the qualified ARN)."""
    prefix = f"arn:aws:{service}:{region}:{account_id}:"
    if "resourceArn" in labels or "ARN" in labels:
        return [labels.get("resourceArn") or labels["ARN"]]
    if service == "vpc-lattice":
        if "targetGroupIdentifier" in labels:
            tg = labels["targetGroupIdentifier"]
            return [tg if tg.startswith("arn:") else f"{prefix}targetgroup/{tg}"]
        path = ""
        for label, kind in (("serviceIdentifier", "service"), ("listenerIdentifier", "listener"),
                            ("ruleIdentifier", "rule")):
            if label not in labels:
                break
            value = labels[label]
            if value.startswith("arn:") and _deepest(labels, label):
                return [value]
            path += f"{'/' if path else ''}{kind}/{value.rsplit('/', 1)[-1]}"
        return [prefix + path] if path else []
    if service == "scheduler" and "Name" in labels:  # a schedule, in its group
        group = (query or {}).get("groupName") or "default"
        return [f"{prefix}schedule/{group}/{labels['Name']}"]
    if service == "lambda" and "Resource" in labels:  # ListTags, TagResource, UntagResource
        return [labels["Resource"]]
    if service == "lambda" and "FunctionName" in labels:
        function = labels["FunctionName"]
        arn = function if function.startswith("arn:") else f"{prefix}function:{function}"
        qualifier = labels.get("Name") or (query or {}).get("Qualifier")
        return [f"{arn}:{qualifier}" if qualifier else arn]
    return []


def _deepest(labels, label) -> bool:
    order = ["serviceIdentifier", "listenerIdentifier", "ruleIdentifier"]
    return not any(deeper in labels for deeper in order[order.index(label) + 1:])
