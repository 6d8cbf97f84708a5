"""Lambda functions whose code is a local executable, served through the Lambda Runtime API.

moto stores functions but runs their code only in Docker. Here a test (or the demo) registers a
local executable as a function's bootstrap:

    POST /_canary/lambda/runtimes    {"function": "canary-deploy-runner",
                                      "command": ["/path/to/canary-deploy"],
                                      "env": {"AWS_ENDPOINT_URL": "...", ...},
                                      "timeout": 60, "memory": 512}
    GET  /_canary/lambda/invocations {"invocations": [{"function", "request_id", "payload",
                                      "ok", "response", "error", "logs", "started", "ended"}]}

An invocation runs the function as Lambda does: the process is started with
AWS_LAMBDA_RUNTIME_API naming a Runtime API served here for that function (next invocation,
response, error, init error), with the variables Lambda sets (AWS_LAMBDA_FUNCTION_NAME,
AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_LOG_STREAM_NAME,
AWS_REGION, _HANDLER) over the registered env. It stays warm between invocations, which it
takes one at a time, and is started again after it exits or times out. Each invocation is
recorded with the lines the process wrote while it ran (its CloudWatch Logs); registering a
function again replaces its process and forgets its earlier invocations.

Not Lambda's: there is one execution environment per function (invocations queue rather than
scale out), and memory is not limited (it is only reported to the function).
"""

import datetime as dt
import json
import os
import queue
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RUNTIMES_PATH = "/_canary/lambda/runtimes"
INVOCATIONS_PATH = "/_canary/lambda/invocations"
_API = "/2018-06-01/runtime"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Invocation:
    def __init__(self, function: str, payload: str):
        self.function = function
        self.request_id = str(uuid.uuid4())
        self.payload = payload
        self.ok: bool | None = None
        self.response = None
        self.error = None
        self.logs: list[str] = []
        self.started = None
        self.ended = None
        self.done = threading.Event()

    def finish(self, ok: bool, body: str) -> None:
        if self.done.is_set():
            return
        self.ok = ok
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body
        if ok:
            self.response = parsed
        else:
            self.error = parsed
        self.ended = _now()
        self.done.set()

    def view(self) -> dict:
        return {"function": self.function, "request_id": self.request_id,
                "payload": self.payload, "ok": self.ok, "response": self.response,
                "error": self.error, "logs": list(self.logs), "started": self.started,
                "ended": self.ended}


class Runtime:
    """One function's execution environment and the Runtime API it polls."""

    def __init__(self, function: str, command: list[str], env: dict, timeout: float,
                 memory: int, region: str, account: str):
        self.function = function
        self.command = command
        self.env = env
        self.timeout = timeout
        self.memory = memory
        self.arn = f"arn:aws:lambda:{region}:{account}:function:{function}"
        self.region = region
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.current: Invocation | None = None
        self.process: subprocess.Popen | None = None
        self.boot_logs: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name=f"runtime-{function}",
                         daemon=True).start()

    def invoke(self, payload: str) -> Invocation:
        """Queues an invocation (started if the environment is not) and returns it at once."""
        invocation = Invocation(self.function, payload)
        self._ensure_running()
        self.pending.put(invocation)
        threading.Thread(target=self._watch, args=(invocation,), daemon=True).start()
        return invocation

    def stop(self) -> None:
        with self._lock:
            if self.process and self.process.poll() is None:
                self.process.kill()
        self.server.shutdown()

    def _ensure_running(self) -> None:
        with self._lock:
            if self.process and self.process.poll() is None:
                return
            host, port = self.server.server_address[:2]
            env = {**os.environ, **self.env,
                   "AWS_LAMBDA_RUNTIME_API": f"{host}:{port}",
                   "AWS_LAMBDA_FUNCTION_NAME": self.function,
                   "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                   "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory),
                   "AWS_LAMBDA_LOG_STREAM_NAME":
                       f"{dt.date.today():%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}",
                   "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.function}",
                   "AWS_REGION": self.region, "_HANDLER": "bootstrap"}
            self.process = subprocess.Popen(
                self.command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, errors="replace")
            threading.Thread(target=self._read_logs, args=(self.process,), daemon=True).start()

    def _read_logs(self, process: subprocess.Popen) -> None:
        for text in process.stdout:
            current = self.current
            target = current.logs if current and not current.done.is_set() else self.boot_logs
            target.append(text.rstrip("\n"))
        process.wait()
        current = self.current
        if current and not current.done.is_set():
            current.finish(False, json.dumps({
                "errorType": "Runtime.ExitError",
                "errorMessage": f"the process exited with {process.returncode} mid-invocation"}))
        # Invocations queued behind the one that ended it get a fresh environment.
        if not self.pending.empty():
            self._ensure_running()

    def _watch(self, invocation: Invocation) -> None:
        # The clock starts when the function takes the invocation, as Lambda's does.
        while not invocation.done.is_set() and invocation.started is None:
            invocation.done.wait(0.05)
        if invocation.done.wait(self.timeout):
            return
        invocation.finish(False, json.dumps({
            "errorType": "Sandbox.Timedout",
            "errorMessage": f"Task timed out after {self.timeout:.2f} seconds"}))
        with self._lock:
            if self.process and self.process.poll() is None:
                self.process.kill()

    def next_invocation(self) -> Invocation:
        invocation = self.pending.get()
        invocation.started = _now()
        self.current = invocation
        return invocation


def _handler(runtime: Runtime):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the emulator's log is for AWS requests
            pass

        def _answer(self, status: int, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path != f"{_API}/invocation/next":
                return self._answer(404, b"{}")
            invocation = runtime.next_invocation()
            deadline = int((dt.datetime.now(dt.UTC).timestamp() + runtime.timeout) * 1000)
            self._answer(200, invocation.payload.encode(), {
                "Content-Type": "application/json",
                "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                "Lambda-Runtime-Deadline-Ms": str(deadline),
                "Lambda-Runtime-Invoked-Function-Arn": runtime.arn,
                "Lambda-Runtime-Trace-Id": f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}",
            })

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode(errors="replace") if length else ""
            parts = self.path.removeprefix(f"{_API}/").split("/")
            if parts[:2] == ["init", "error"]:
                runtime.boot_logs.append(f"init error: {body}")
                return self._answer(202, b'{"status":"OK"}')
            current = runtime.current
            if (len(parts) == 3 and parts[0] == "invocation" and current
                    and parts[1] == current.request_id and parts[2] in ("response", "error")):
                current.finish(parts[2] == "response", body)
                return self._answer(202, b'{"status":"OK"}')
            self._answer(400, b'{"errorType":"InvalidRequestID"}')

    return Handler


class Runtimes:
    """The registered functions, by name."""

    def __init__(self):
        self._lock = threading.Lock()
        self._runtimes: dict[str, Runtime] = {}
        self._invocations: list[Invocation] = []

    def register(self, spec: dict) -> None:
        function = spec["function"]
        runtime = Runtime(function, list(spec["command"]), dict(spec.get("env") or {}),
                          float(spec.get("timeout", 60)), int(spec.get("memory", 512)),
                          spec.get("region", "us-east-1"), spec.get("account", "123456789012"))
        with self._lock:
            old = self._runtimes.pop(function, None)
            self._runtimes[function] = runtime
            # A function registered again starts a fresh log (the demo's run after a run).
            self._invocations = [i for i in self._invocations if i.function != function]
        if old:
            old.stop()

    def invoke(self, function_arn: str, payload: str) -> Invocation:
        """Invokes the function a function ARN (or name) names; KeyError when none is
        registered."""
        name = function_arn.split(":function:", 1)[-1].split(":", 1)[0]
        with self._lock:
            runtime = self._runtimes.get(name)
        if runtime is None:
            raise KeyError(f"function {name} has no local runtime here (register one with "
                           f"POST {RUNTIMES_PATH})")
        invocation = runtime.invoke(payload)
        with self._lock:
            self._invocations.append(invocation)
        return invocation

    def invocations(self) -> list[dict]:
        with self._lock:
            return [i.view() for i in self._invocations]

    def stop_all(self) -> None:
        with self._lock:
            runtimes, self._runtimes = list(self._runtimes.values()), {}
        for runtime in runtimes:
            runtime.stop()


class RuntimeMiddleware:
    def __init__(self, app, runtimes: Runtimes):
        self.app = app
        self.runtimes = runtimes

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO")
        if path == RUNTIMES_PATH and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
            self.runtimes.register(spec)
            return _json(start_response, {"registered": spec.get("function")})
        if path == INVOCATIONS_PATH:
            return _json(start_response, {"invocations": self.runtimes.invocations()})
        return self.app(environ, start_response)


def _json(start_response, doc: dict):
    body = json.dumps(doc).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
