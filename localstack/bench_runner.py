"""Measures the runner function's handler per tick, in-process under /usr/bin/time: one
`canary-deploy runner-tick` process per tick (a cold start each time: process, clients, one
tick), from a fresh deployment to its promotion, on a fresh route of each backend. Prints, per
tick, what it came to, its wall time and peak resident memory, and the AWS calls it made by
operation (the handler's own count); then a summary per kind of tick.

    bench_runner.py --endpoint-url URL --binary target/release/canary-deploy

Kinds: `first` (starts the deployment: preflight, lease, first write), `quiet` (a bake in
progress: reads only, no lease), `weights` (a step's write under the lease), `promote`.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

HERE = Path(__file__).resolve().parent
ANALYSIS = ("analysis:\n  interval: 1s\n  period: 1s\n  lookback: 2s\n  settle: 0s\n"
            "  ingestion_delay: 0s\n  failure_threshold: 1\n  method: threshold\n")


def fixture(endpoint: str, script: str, prefix: str) -> dict:
    out = subprocess.run([sys.executable, str(HERE / script), "--endpoint-url", endpoint,
                          "--prefix", prefix], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def routes(endpoint: str) -> dict[str, str]:
    alb = fixture(endpoint, "make_alb.py", "bench-alb")
    lattice = fixture(endpoint, "make_lattice.py", "bench-lattice")
    function = fixture(endpoint, "make_lambda.py", "bench-fn")
    return {
        "alb listener": (f"route:\n  alb:\n    listener: {alb['listener_arn']}\n"
                         f"    stable: {alb['stable_arn']}\n    canary: {alb['canary_arn']}\n"),
        "lattice listener": (f"route:\n  lattice:\n    listener: {lattice['listener_arn']}\n"
                             f"    stable: {lattice['stable_arn']}\n"
                             f"    canary: {lattice['canary_arn']}\n"),
        "lambda alias": (f"route:\n  lambda_alias:\n    function: {function['function_name']}\n"
                         f"    alias: live\n    canary_version: \"2\"\n"),
    }


def kind(outcome: dict, before: dict | None) -> str:
    if before is None:
        return "first"
    if outcome["outcome"] == "promoted":
        return "promote"
    if outcome.get("canary_permille") != before.get("canary_permille"):
        return "weights"
    return "quiet"


def bench(binary: str, endpoint: str, name: str, route: str, env: dict, work: Path) -> list:
    playbook = (f"name: {name}\n{route}steps:\n  canary: [10, 50, 100]\n  bake: 2s\n{ANALYSIS}"
                f"checks:\n  - alarms: [bench-alarm]\n")
    event = {"canary_deploy": 1, "playbook": playbook, "file": f"{name}.yaml"}
    path = work / f"{name}.json"
    path.write_text(json.dumps(event))
    rows, before = [], None
    for _ in range(60):
        timing = work / "time.txt"
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", str(timing), binary,
                              "runner-tick", str(path), "--output", "json",
                              "--endpoint-url", endpoint], capture_output=True, text=True,
                             env=env)
        seconds, kib = timing.read_text().split()[-2:]
        outcome = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append({"kind": kind(outcome, before), "seconds": float(seconds),
                     "peak_mib": int(kib) / 1024, "calls": outcome["aws_calls"]})
        before = outcome
        if outcome["outcome"] == "promoted":
            return rows
        time.sleep(0.5)
    raise SystemExit(f"{name}: not promoted after 60 ticks")


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench_runner.py")
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_REGION": "us-east-1", "CANARY_DEPLOY_LEASE_SETTLE": "200ms"}
    cw = boto3.client("cloudwatch", endpoint_url=args.endpoint_url, region_name="us-east-1",
                      aws_access_key_id="bench", aws_secret_access_key="bench")
    cw.put_metric_alarm(AlarmName="bench-alarm", Namespace="Bench", MetricName="Errors",
                        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                        ComparisonOperator="GreaterThanThreshold")
    cw.set_alarm_state(AlarmName="bench-alarm", StateValue="OK", StateReason="bench")
    with tempfile.TemporaryDirectory() as work:
        for backend, route in routes(args.endpoint_url).items():
            name = "bench-" + backend.replace(" ", "-")
            rows = bench(args.binary, args.endpoint_url, name, route, env, Path(work))
            print(f"\n{backend}:")
            for r in rows:
                calls = ", ".join(f"{op} {n}" for op, n in sorted(r["calls"].items()))
                print(f"  {r['kind']:8} {r['seconds'] * 1000:5.0f} ms {r['peak_mib']:5.1f} MiB"
                      f"  {sum(r['calls'].values()):2} calls: {calls}")
            by_kind: dict[str, list] = {}
            for r in rows:
                by_kind.setdefault(r["kind"], []).append(r)
            for k, rs in by_kind.items():
                ms = sorted(r["seconds"] * 1000 for r in rs)
                print(f"  summary {k:8} {len(rs):2} ticks: median {ms[len(ms) // 2]:.0f} ms, "
                      f"max {ms[-1]:.0f} ms, peak {max(r['peak_mib'] for r in rs):.1f} MiB, "
                      f"{sum(sum(r['calls'].values()) for r in rs) / len(rs):.1f} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
