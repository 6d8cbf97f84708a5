"""EventBridge Scheduler that fires: moto 5.2.5 stores schedules but never runs them.

A thread looks at every account's and region's schedules once a second (or every
`CANARY_EMULATOR_SCHEDULER_PERIOD` seconds) and fires each ENABLED one-time schedule,
`at(yyyy-mm-ddThh:mm:ss)` in its ScheduleExpressionTimezone (UTC here), whose time has come:

- a universal target, `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, is called as
  Scheduler calls it: the API action of that SDK service with the target's `Input` as its
  request (the service's own member names), sent to this emulator by boto3. The SDK service ids
  canary-deploy's dead-man's switch uses are `elasticloadbalancingv2`, `vpclattice` and
  `lambda`;
- any other target (a function ARN, a queue) is recorded as not run: this emulator does not
  execute code.

A fired schedule whose ActionAfterCompletion is DELETE is deleted, as AWS does; any other is
kept and never fired again. Recurring schedules (`rate(...)`, `cron(...)`) are not fired.

    GET /_canary/scheduler/fired   {"fired": [{"arn", "target", "at", "ok", "error"}, ...]}
"""

import datetime as dt
import json
import re
import threading
import time

FIRED_PATH = "/_canary/scheduler/fired"
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_UNIVERSAL = re.compile(r"^arn:[a-z-]+:scheduler:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$")
# SDK service ids → boto3 client names.
_CLIENTS = {"elasticloadbalancingv2": "elbv2", "vpclattice": "vpc-lattice", "lambda": "lambda"}


def _snake(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


class Scheduler:
    def __init__(self, endpoint: str, period: float):
        self.endpoint = endpoint
        self.period = period
        self._lock = threading.Lock()
        self._fired: list[dict] = []
        self._done: set[tuple] = set()

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
        match = _AT.match(schedule.schedule_expression or "")
        key = (account, region, group.name, schedule.name, schedule.schedule_expression)
        if schedule.state != "ENABLED" or not match or key in self._done:
            return
        if dt.datetime.fromisoformat(match.group(1)) > now:
            return
        self._done.add(key)
        target = schedule.target.get("Arn", "")
        entry = {"arn": schedule.arn, "target": target, "at": match.group(1), "ok": True,
                 "error": None}
        try:
            self._call(region, target, schedule.target.get("Input") or "{}")
        except Exception as error:  # noqa: BLE001 - recorded, as Scheduler records a failure
            entry.update(ok=False, error=str(error))
        if schedule.action_after_completion == "DELETE":
            group.schedules.pop(schedule.name, None)
        with self._lock:
            self._fired.append(entry)

    def _call(self, region: str, target: str, payload: str) -> None:
        import boto3

        universal = _UNIVERSAL.match(target)
        if not universal or universal.group(1) not in _CLIENTS:
            raise ValueError(f"{target}: only universal targets of "
                             f"{', '.join(sorted(_CLIENTS))} are run here")
        client = boto3.client(_CLIENTS[universal.group(1)], endpoint_url=self.endpoint,
                              region_name=region, aws_access_key_id="scheduler",
                              aws_secret_access_key="scheduler")
        getattr(client, _snake(universal.group(2)))(**json.loads(payload))


class SchedulerMiddleware:
    def __init__(self, app, scheduler: Scheduler):
        self.app = app
        self.scheduler = scheduler

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == FIRED_PATH:
            body = json.dumps({"fired": self.scheduler.fired()}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)
