"""Fault injection: answer chosen AWS operations with an AWS error, so tests can exercise a
client's retry rules against the emulator.

Rules are keyed by the request's SigV4 access key id, as recording is (recording.py), so tests
sharing one emulator each inject on a key of their own and never fault each other's calls:

    POST   /_canary/faults/<key>   add a rule (JSON body below); answers the state, as GET
    GET    /_canary/faults/<key>   {"rules": [...], "matched": {...}, "injected": {...}}
    DELETE /_canary/faults/<key>   remove every rule of <key>; answers the state one last time

A rule is `{"action": "elasticloadbalancing:DescribeTags", "code": "Throttling", "status": 400,
"message": "Rate exceeded", "every": 2, "times": null}`: `action` is the IAM-style
`service:Action` recording names the request by (`cloudwatch:GetMetricData`,
`lambda:UpdateAlias`, `vpc-lattice:UpdateRule`, ...); `code` the error code; `status` the HTTP
status (default 400); `message` (default: the code); `every` N (default 1) fails the N-th, 2N-th,
... request matching the rule, counted from when it was added; `times` (default null: no cap)
caps the faults the rule injects in total; `after` (default 0) lets the first `after` matching
requests through untouched before the rule's turns begin; `action` may be `*`, matching every
request of the key (to stop a client at its N-th call, whatever it is). `mode` says what a fault
does: `error` (the default) answers the error and the request never reaches moto;
`after_applying` lets moto apply the request and answers the error instead of its response (a
write that landed but whose answer was lost, as on a timeout); `hang` holds the request for
`hang_seconds` (default 30) and then lets it through (a call in flight while its client is
killed: it may still land). A key may have several rules: a request is counted
by every rule with its action, in the order they were added, and answered by the first of them
whose turn it is (at most one fault per request). `matched` counts, by action, the requests that
matched a rule of the key, `injected` the faults injected; each rule also shows its own `seen`
and `injected`. The counts live until DELETE. GET or DELETE of a key without rules is a 404.

A faulted request never reaches moto. Its error is encoded as the request's protocol encodes
errors on AWS, so the SDKs parse the code (all carry `x-amzn-RequestId`; Sender below is
Receiver for a 5xx status):
- query (ELBv2, STS, IAM): `text/xml`, `<ErrorResponse xmlns="<the model's xmlNamespace>">
  <Error><Type>Sender</Type><Code>CODE</Code><Message>MSG</Message></Error>
  <RequestId>uuid</RequestId></ErrorResponse>`;
- rest-json (Lambda, VPC Lattice): `application/json`, header `x-amzn-ErrorType: CODE`, body
  `{"Type": "User", "message": MSG}` for Lambda (`Service` for a 5xx), `{"message": MSG}`
  otherwise;
- Smithy RPC v2 CBOR (CloudWatch's SDK path): cbor_rpc.py's error, body `{"__type": CODE,
  "message": MSG}` and header `x-amzn-query-error: CODE;Sender`;
- awsJson (`X-Amz-Target`, e.g. boto3's CloudWatch): body `{"__type": CODE, "message": MSG}`
  in the request's content type, plus `x-amzn-query-error: CODE;Sender` for a service the
  model marks awsQueryCompatible (CloudWatch).

Order in the WSGI stack: health → recording → faults → RPC v2 CBOR → moto.
- After health: the health check (unsigned anyway) can never be faulted.
- After recording: a faulted request was still an attempt the client made, and the iam-policy
  test must see it (a retried call is recorded once per attempt). Both layers share one
  description of the request (recording.described), so the body is read and parsed once.
- Before the CBOR layer: faults see the request as the client sent it. The CBOR layer rewrites
  CloudWatch's CBOR calls into awsJson for moto; behind it a fault could only answer in JSON,
  which the Rust SDK's CBOR client cannot parse, and the CBOR translation is work a faulted
  request does not need.
"""

import http
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from canary_emulator import cbor_rpc, recording

FAULTS_PATH = recording.CONTROL_PREFIX + "faults/"
# SigV4 signing name -> botocore model, where they differ (for the error's XML namespace and
# awsQueryCompatible); ELBv2 shares its signing name with the classic ELB.
MODELS = {"elasticloadbalancing": "elbv2", "monitoring": "cloudwatch"}
# rest-json services whose error body carries the `Type` member (User / Service).
TYPED_REST_JSON = {"lambda"}


@dataclass
class Rule:
    action: str
    code: str
    status: int = 400
    message: str | None = None
    every: int = 1
    times: int | None = None
    after: int = 0
    mode: str = "error"
    hang_seconds: float = 30.0
    seen: int = 0
    injected: int = 0


@dataclass
class _KeyFaults:
    rules: list[Rule]
    matched: Counter
    injected: Counter

    def state(self) -> dict:
        return {
            "rules": [asdict(rule) for rule in self.rules],
            "matched": dict(self.matched),
            "injected": dict(self.injected),
        }


class Faults:
    """The rules and counts, by access key; thread-safe (the server is threaded)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._keys: dict[str, _KeyFaults] = {}

    def add(self, key: str, rule: Rule) -> dict:
        with self._lock:
            faults = self._keys.setdefault(key, _KeyFaults([], Counter(), Counter()))
            faults.rules.append(rule)
            return faults.state()

    def state(self, key: str) -> dict | None:
        with self._lock:
            faults = self._keys.get(key)
            return None if faults is None else faults.state()

    def clear(self, key: str) -> dict | None:
        with self._lock:
            faults = self._keys.pop(key, None)
            return None if faults is None else faults.state()

    def has(self, key: str | None) -> bool:
        with self._lock:
            return key is not None and key in self._keys

    def decide(self, key: str | None, action: str) -> Rule | None:
        """Counts the request against the key's rules; the rule (a copy) that faults it, if any."""
        with self._lock:
            faults = self._keys.get(key) if key is not None else None
            matching = (
                [rule for rule in faults.rules if rule.action in (action, "*")] if faults else []
            )
            if not matching:
                return None
            faults.matched[action] += 1
            chosen = None
            for rule in matching:
                rule.seen += 1
                capped = rule.times is not None and rule.injected >= rule.times
                turn = rule.seen - rule.after
                if chosen is None and turn > 0 and turn % rule.every == 0 and not capped:
                    chosen = rule
            if chosen is None:
                return None
            chosen.injected += 1
            faults.injected[action] += 1
            return Rule(**asdict(chosen))


def parse_rule(body: bytes) -> Rule:
    """The rule of a POST body; ValueError says what is wrong with it."""
    try:
        doc = json.loads(body or b"null")
    except ValueError as e:
        raise ValueError(f"the body is not JSON: {e}") from e
    if not isinstance(doc, dict):
        raise ValueError("the body must be a JSON object")
    unknown = set(doc) - {
        "action", "code", "status", "message", "every", "times", "after", "mode", "hang_seconds"
    }
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    action, code = doc.get("action"), doc.get("code")
    service, _, operation = action.partition(":") if isinstance(action, str) else ("", "", "")
    if action != "*" and (not service or not operation):
        raise ValueError('"action" must be "service:Action" (e.g. "lambda:UpdateAlias") or "*"')
    if not isinstance(code, str) or not code:
        raise ValueError('"code" must be a non-empty string')
    status, message = doc.get("status", 400), doc.get("message")
    every, times = doc.get("every", 1), doc.get("times")
    if not _is_int(status) or not 400 <= status <= 599:
        raise ValueError('"status" must be an integer from 400 to 599')
    if message is not None and not isinstance(message, str):
        raise ValueError('"message" must be a string')
    if not _is_int(every) or every < 1:
        raise ValueError('"every" must be an integer of at least 1')
    if times is not None and (not _is_int(times) or times < 1):
        raise ValueError('"times" must be null or an integer of at least 1')
    after, mode, hang = doc.get("after", 0), doc.get("mode", "error"), doc.get("hang_seconds", 30)
    if not _is_int(after) or after < 0:
        raise ValueError('"after" must be an integer of at least 0')
    if mode not in MODES:
        raise ValueError(f'"mode" must be one of {sorted(MODES)}')
    if not isinstance(hang, (int, float)) or isinstance(hang, bool) or not 0 <= hang <= 600:
        raise ValueError('"hang_seconds" must be a number from 0 to 600')
    return Rule(action=action, code=code, status=status, message=message, every=every,
                times=times, after=after, mode=mode, hang_seconds=float(hang))


MODES = {"error", "after_applying", "hang"}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class FaultMiddleware:
    def __init__(self, app, faults: Faults | None = None):
        self.app = app
        self.faults = faults or Faults()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(FAULTS_PATH):
            return self._control(environ, start_response, path[len(FAULTS_PATH):])
        key, _, signing_name = recording.credential(environ)
        if not self.faults.has(key):
            return self.app(environ, start_response)
        entry = recording.described(environ)
        if entry["action"] is None:
            return self.app(environ, start_response)
        rule = self.faults.decide(key, f"{entry['service']}:{entry['action']}")
        if rule is None:
            return self.app(environ, start_response)
        if rule.mode == "hang":
            time.sleep(rule.hang_seconds)
            return self.app(environ, start_response)
        if rule.mode == "after_applying":
            _apply_and_discard(self.app, environ)
        kind = recording.protocol(environ, signing_name)
        return error_response(start_response, environ, kind, signing_name, rule)

    def _control(self, environ, start_response, rest):
        method = environ.get("REQUEST_METHOD")
        key = recording.control_key(rest)
        if key is None:
            return recording.json_response(
                start_response, "404 Not Found", {"error": "no such path"}
            )
        if method == "POST":
            try:
                rule = parse_rule(recording.buffer_body(environ))
            except ValueError as e:
                return recording.json_response(
                    start_response, "400 Bad Request", {"error": str(e)}
                )
            return recording.json_response(start_response, "200 OK", self.faults.add(key, rule))
        if method == "GET":
            state = self.faults.state(key)
        elif method == "DELETE":
            state = self.faults.clear(key)
        else:
            return recording.json_response(
                start_response, "405 Method Not Allowed", {"error": method}
            )
        if state is None:
            return recording.json_response(
                start_response, "404 Not Found", {"error": f"no fault rules for {key}"}
            )
        return recording.json_response(start_response, "200 OK", state)


def _apply_and_discard(app, environ):
    """Lets `app` handle the request to the end, and drops its answer."""
    answer = app(environ, lambda status, headers, exc_info=None: None)
    try:
        for _ in answer:
            pass
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()


def status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Error"


@cache
def _metadata(signing_name: str) -> dict:
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import Loader

    try:
        model = Loader().load_service_model(MODELS.get(signing_name, signing_name), "service-2")
    except DataNotFoundError:
        return {}
    return model.get("metadata", {})


def error_response(start_response, environ, kind: str, signing_name: str | None, rule: Rule):
    """The AWS error `rule` describes, in the request's protocol `kind` (recording.protocol)."""
    status = status_line(rule.status)
    code = rule.code
    message = rule.message if rule.message is not None else code
    fault = "Receiver" if rule.status >= 500 else "Sender"
    request_id = str(uuid.uuid4())
    id_header = ("x-amzn-RequestId", request_id)
    metadata = _metadata(signing_name or "")
    if kind == "cbor":
        return cbor_rpc.cbor_error(start_response, status, code, message, [id_header])
    headers = [id_header]
    if kind == "query":
        namespace = metadata.get("xmlNamespace")
        xmlns = f" xmlns={quoteattr(namespace)}" if namespace else ""
        payload = (
            f"<ErrorResponse{xmlns}><Error><Type>{fault}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers.append(("Content-Type", "text/xml"))
    elif kind == "rest-json":
        body = {"message": message}
        if signing_name in TYPED_REST_JSON:
            body = {"Type": "Service" if rule.status >= 500 else "User", **body}
        payload = json.dumps(body).encode()
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
    else:  # awsJson
        payload = json.dumps({"__type": code, "message": message}).encode()
        content_type = environ.get("CONTENT_TYPE", "")
        if not content_type.startswith("application/x-amz-json"):
            content_type = f"application/x-amz-json-{metadata.get('jsonVersion', '1.0')}"
        headers.append(("Content-Type", content_type))
        if "awsQueryCompatible" in metadata:
            headers.append(("x-amzn-query-error", f"{code};{fault}"))
    headers.append(("Content-Length", str(len(payload))))
    start_response(status, headers)
    return [payload]
