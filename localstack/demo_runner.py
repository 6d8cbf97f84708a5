"""The demo's runner-less canary: set up the emulator to run canary-deploy as the runner
function, then follow its ticks until the schedule is gone.

    demo_runner.py setup --endpoint-url URL --binary PATH --function NAME
        creates the dead-letter queue, registers PATH as NAME's bootstrap (runtime.py) and makes
        a rate schedule's minute last two seconds; prints the queue's ARN.
    demo_runner.py watch --endpoint-url URL --function NAME --schedule NAME [--timeout S]
        prints each tick's outcome as it lands, until the schedule is deleted; exits 0 when the
        last tick promoted the canary.
"""

import argparse
import json
import os
import sys
import time
import urllib.request
from datetime import datetime

import boto3


def control(endpoint, method, path, doc=None):
    data = json.dumps(doc).encode() if doc is not None else None
    request = urllib.request.Request(f"{endpoint}/_canary/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="demo", aws_secret_access_key="demo")


def setup(args) -> None:
    sqs = client("sqs", args.endpoint_url)
    url = sqs.create_queue(QueueName=f"{args.function}-dead-letter")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    control(args.endpoint_url, "POST", "scheduler/minute", {"seconds": 2})
    control(args.endpoint_url, "POST", "lambda/runtimes", {
        "function": args.function, "command": [args.binary], "timeout": 60, "memory": 256,
        "env": {"AWS_ENDPOINT_URL": args.endpoint_url, "AWS_ACCESS_KEY_ID": "demo",
                "AWS_SECRET_ACCESS_KEY": "demo", "CANARY_DEPLOY_LEASE_SETTLE": "200ms",
                "CANARY_DEPLOY_LOG": "warn", "PATH": os.environ.get("PATH", "")}})
    print(arn["Attributes"]["QueueArn"])


def describe(response: dict) -> str:
    share = response.get("canary_permille")
    weight = f", canary at {share / 10:g}%" if share is not None else ""
    step = f" step {response['step'] + 1}" if response.get("step") is not None else ""
    calls = sum(response.get("aws_calls", {}).values())
    why = f" ({response['why']})" if response.get("why") else ""
    return (f"{response['outcome']}{step}{weight}{why}; {calls} AWS calls; schedule "
            f"{response['schedule']}")


def watch(args) -> int:
    scheduler = client("scheduler", args.endpoint_url)
    seen, last, start = 0, None, time.monotonic()
    while time.monotonic() - start < args.timeout:
        ticks = [i for i in control(args.endpoint_url, "GET", "lambda/invocations")["invocations"]
                 if i["function"] == args.function and i["ok"] is not None]
        for tick in ticks[seen:]:
            took = ""
            if tick["started"] and tick["ended"]:
                ms = (datetime.fromisoformat(tick["ended"])
                      - datetime.fromisoformat(tick["started"])).total_seconds() * 1000
                took = f" in {ms:.0f} ms"
            if tick["ok"]:
                last = tick["response"]
                print(f"tick {seen + 1}{took}: {describe(last)}", flush=True)
            else:
                print(f"tick {seen + 1}{took}: failed: {tick['error']}", flush=True)
            seen += 1
        try:
            scheduler.get_schedule(Name=args.schedule)
        except scheduler.exceptions.ResourceNotFoundException:
            if seen == len(ticks):
                return 0 if last and last["outcome"] == "promoted" else 1
        time.sleep(0.5)
    print(f"the schedule still ticks after {args.timeout} s", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(prog="demo_runner.py")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--endpoint-url", required=True)
    s.add_argument("--binary", required=True)
    s.add_argument("--function", required=True)
    w = sub.add_parser("watch")
    w.add_argument("--endpoint-url", required=True)
    w.add_argument("--function", required=True)
    w.add_argument("--schedule", required=True)
    w.add_argument("--timeout", type=float, default=150)
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
        return 0
    return watch(args)


if __name__ == "__main__":
    sys.exit(main())
