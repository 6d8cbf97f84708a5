"""Invoke answered from a configured reply, for functions that stand in for a test's hook.

moto 5.2.5 runs a function's code only in Docker. A test configures what a named function
answers, and Invoke (RequestResponse) returns it, after an optional delay, with
`X-Amz-Function-Error` when the reply says so; each call's payload is kept:

    POST /_canary/lambda/replies  {"function": "smoke", "payload": {"pass": true},
                                   "function_error": null, "delay": 0}
    GET  /_canary/lambda/replies  {"calls": [{"function", "payload"}]}

Other functions are invoked as moto invokes them.
"""

import json
import threading
import time

from moto.awslambda import models

REPLIES_PATH = "/_canary/lambda/replies"
_lock = threading.Lock()
_replies: dict[str, dict] = {}
_calls: list[dict] = []


def _name(function: str) -> str:
    return function.split(":function:", 1)[-1].split(":", 1)[0]


def apply() -> None:
    invoke = models.LambdaBackend.invoke

    def invoke_with_replies(self, function_name, qualifier, body, headers, response_headers):
        name = _name(function_name)
        with _lock:
            reply = _replies.get(name)
        if reply is None:
            return invoke(self, function_name, qualifier, body, headers, response_headers)
        payload = body.decode(errors="replace") if isinstance(body, bytes) else body
        with _lock:
            _calls.append({"function": name, "payload": payload})
        time.sleep(float(reply.get("delay") or 0))
        if reply.get("function_error"):
            response_headers["x-amz-function-error"] = reply["function_error"]
        return json.dumps(reply.get("payload")).encode()

    models.LambdaBackend.invoke = invoke_with_replies


class RepliesMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != REPLIES_PATH:
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with _lock:
                _replies[_name(spec["function"])] = spec
            doc = {"configured": spec["function"]}
        else:
            with _lock:
                doc = {"calls": list(_calls)}
        body = json.dumps(doc).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
