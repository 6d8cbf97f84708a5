"""EventBridge Scheduler that fires: moto 5.2.5 stores schedules but never runs them.

A thread looks at every account's and region's schedules once a second (or every
`CANARY_EMULATOR_SCHEDULER_PERIOD` seconds) and fires each ENABLED schedule whose time has come:

- a one-time schedule, `at(yyyy-mm-ddThh:mm:ss)` in its ScheduleExpressionTimezone (UTC here),
  once. When its ActionAfterCompletion is DELETE it is deleted, as AWS does; any other is kept
  and never fired again;
- a recurring one, `rate(N minute|minutes|hour|hours|day|days)`, every N units from when it is
  first seen (or last changed). A minute lasts `CANARY_EMULATOR_SCHEDULER_MINUTE` seconds
  (default 60), so tests and the demo can tick a deployment every second or two. A tick whose
  function is still busy with the schedule's previous tick is skipped (Lambda would run the two
  side by side). `cron(...)` is not fired.

Targets:

- a universal target, `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, is called as
  Scheduler calls it: the API action of that SDK service with the target's `Input` as its
  request (the service's own member names), sent to this emulator by boto3. The SDK service ids
  canary-deploy's dead-man's switch uses are `elasticloadbalancingv2`, `vpclattice` and
  `lambda`;
- a Lambda function ARN is invoked asynchronously with the `Input` as its event, when a local
  runtime is registered for it (runtime.py); otherwise delivery fails;
- anything else fails delivery.

A delivery that fails is sent to the target's dead-letter queue (an SQS ARN here), when it has
one, as Scheduler does once its retries are spent (here at once).

    GET  /_canary/scheduler/fired   {"fired": [{"arn", "target", "at", "ok", "error"}, ...]}
    POST /_canary/scheduler/minute  {"seconds": 2}   how long a rate schedule's minute lasts
"""

import datetime as dt
import json
import re
import threading
import time

FIRED_PATH = "/_canary/scheduler/fired"
MINUTE_PATH = "/_canary/scheduler/minute"
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440}
_FUNCTION = re.compile(r"^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$")
_UNIVERSAL = re.compile(r"^arn:[a-z-]+:scheduler:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$")
# SDK service ids → boto3 client names.
_CLIENTS = {"elasticloadbalancingv2": "elbv2", "vpclattice": "vpc-lattice", "lambda": "lambda"}


def _snake(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


class Scheduler:
    def __init__(self, endpoint: str, period: float, runtimes=None, minute: float = 60.0):
        self.endpoint = endpoint
        self.period = period
        self.runtimes = runtimes
        self.minute = minute
        self._lock = threading.Lock()
        self._fired: list[dict] = []
        self._done: set[tuple] = set()
        # Recurring schedules: key (with the expression) → when next due, and the last tick.
        self._next: dict[tuple, dt.datetime] = {}
        self._last: dict[tuple, object] = {}

    def fired(self) -> list[dict]:
        with self._lock:
            return list(self._fired)

    def start(self) -> None:
        threading.Thread(target=self._loop, name="scheduler", daemon=True).start()

    def _loop(self) -> None:
        while True:
            time.sleep(self.period)
            try:
                self.run_due(dt.datetime.now(dt.UTC).replace(tzinfo=None))
            except Exception as error:  # noqa: BLE001 - a bad pass must not stop the thread
                with self._lock:
                    self._fired.append({"arn": None, "ok": False, "error": repr(error)})

    def run_due(self, now: dt.datetime) -> None:
        from moto.scheduler.models import scheduler_backends

        for account, regions in list(scheduler_backends.items()):
            for region, backend in list(regions.items()):
                for group in list(backend.schedule_groups.values()):
                    for schedule in list(group.schedules.values()):
                        self._maybe_fire(account, region, group, schedule, now)

    def _maybe_fire(self, account, region, group, schedule, now) -> None:
        if schedule.state != "ENABLED":
            return
        expression = schedule.schedule_expression or ""
        key = (account, region, group.name, schedule.name, expression,
               json.dumps(schedule.target, sort_keys=True, default=str))
        rate = _RATE.match(expression)
        if rate:
            self._maybe_tick(key, region, schedule, rate, now)
            return
        match = _AT.match(expression)
        if not match or key in self._done:
            return
        if dt.datetime.fromisoformat(match.group(1)) > now:
            return
        self._done.add(key)
        self._fire(region, schedule, match.group(1))
        if schedule.action_after_completion == "DELETE":
            group.schedules.pop(schedule.name, None)

    def _maybe_tick(self, key, region, schedule, rate, now) -> None:
        unit = rate.group(2).removesuffix("s")
        every = dt.timedelta(seconds=int(rate.group(1)) * _UNIT_MINUTES[unit] * self.minute)
        due = self._next.setdefault(key, now + every)
        if now < due:
            return
        self._next[key] = now + every
        last = self._last.get(key)
        if last is not None and not last.done.is_set():
            return
        self._last[key] = self._fire(region, schedule, now.isoformat(timespec="seconds"))

    def _fire(self, region: str, schedule, at: str):
        target = schedule.target.get("Arn", "")
        entry = {"arn": schedule.arn, "target": target, "at": at, "ok": True, "error": None}
        result = None
        try:
            result = self._call(region, target, schedule.target.get("Input") or "{}")
        except Exception as error:  # noqa: BLE001 - recorded, as Scheduler records a failure
            entry.update(ok=False, error=str(error))
            self._dead_letter(region, schedule, str(error))
        with self._lock:
            self._fired.append(entry)
        return result

    def _dead_letter(self, region: str, schedule, error: str) -> None:
        queue_arn = (schedule.target.get("DeadLetterConfig") or {}).get("Arn")
        if not queue_arn:
            return
        import boto3

        sqs = boto3.client("sqs", endpoint_url=self.endpoint, region_name=region,
                           aws_access_key_id="scheduler", aws_secret_access_key="scheduler")
        account, name = queue_arn.split(":")[4:6]
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=schedule.target.get("Input") or "{}",
                         MessageAttributes={
                             "ERROR_MESSAGE": {"DataType": "String", "StringValue": error[:256]},
                             "SCHEDULE_ARN": {"DataType": "String", "StringValue": schedule.arn}})

    def _call(self, region: str, target: str, payload: str):
        import boto3

        if _FUNCTION.match(target):
            if self.runtimes is None:
                raise ValueError(f"{target}: no function runtimes in this emulator")
            return self.runtimes.invoke(target, payload)
        universal = _UNIVERSAL.match(target)
        if not universal or universal.group(1) not in _CLIENTS:
            raise ValueError(f"{target}: only universal targets of "
                             f"{', '.join(sorted(_CLIENTS))} are run here")
        client = boto3.client(_CLIENTS[universal.group(1)], endpoint_url=self.endpoint,
                              region_name=region, aws_access_key_id="scheduler",
                              aws_secret_access_key="scheduler")
        getattr(client, _snake(universal.group(2)))(**json.loads(payload))
        return None


class SchedulerMiddleware:
    def __init__(self, app, scheduler: Scheduler):
        self.app = app
        self.scheduler = scheduler

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == MINUTE_PATH and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            seconds = float(json.loads(environ["wsgi.input"].read(length) or b"{}")["seconds"])
            self.scheduler.minute = seconds
            body = json.dumps({"minute": seconds}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO") == FIRED_PATH:
            body = json.dumps({"fired": self.scheduler.fired()}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)
