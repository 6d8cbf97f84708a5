"""Measures the bad canaries of the demo: time from the first breaching datapoint to the verified
rollback, on the ALB, on VPC Lattice and on the Lambda alias.

The first breaching datapoint is the first one-second error datapoint the traffic simulator
published for the canary (ALB: HTTPCode_Target_5XX_Count; Lattice: HTTPCode_5XX_Count, per
target group; Lambda: Errors of the canary version through the alias; read back from the
emulator's CloudWatch); the verified rollback is the
`weights_verified` event that follows `rolled_back` in the deployment record. Both are
timestamps, so the figure does not depend on when this runs.

Usage: demo_report.py --endpoint-url URL --arns arns.json --lambda lambda-bad.json --state STATE_DIR
"""

import argparse
import datetime as dt
import json

import boto3


def alb_canary_errors(arns):
    dims = arns["dimensions"]
    return "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", [
        {"Name": "LoadBalancer", "Value": dims["LoadBalancer"]},
        {"Name": "TargetGroup", "Value": dims["TargetGroup"]["demo-canary-2"]},
    ]


def lattice_canary_errors(arns):
    target_group_id = arns["lattice_bad_secondary_arn"].rsplit("/", 1)[-1]
    dimensions = [{"Name": "TargetGroup", "Value": target_group_id}]
    return "AWS/VpcLattice", "HTTPCode_5XX_Count", dimensions


def lambda_canary_errors(function):
    return "AWS/Lambda", "Errors", [
        {"Name": "FunctionName", "Value": function["function_name"]},
        {"Name": "Resource", "Value": f"{function['function_name']}:{function['alias']}"},
        {"Name": "ExecutedVersion", "Value": function["canary_version"]},
    ]


def first_canary_error(endpoint_url, metric, since):
    cloudwatch = boto3.client("cloudwatch", endpoint_url=endpoint_url, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
    namespace, name, dimensions = metric
    result = cloudwatch.get_metric_data(
        MetricDataQueries=[{
            "Id": "errors",
            "MetricStat": {
                "Metric": {"Namespace": namespace, "MetricName": name, "Dimensions": dimensions},
                "Period": 1,
                "Stat": "Sum",
            },
        }],
        StartTime=since,
        EndTime=since + dt.timedelta(minutes=10),
        ScanBy="TimestampAscending",
    )
    stamps = result["MetricDataResults"][0]["Timestamps"]
    return min(stamps) if stamps else None


def report(label, endpoint_url, metric, record_path):
    record = json.load(open(record_path))
    started = dt.datetime.fromtimestamp(record["started_at"] / 1000, dt.timezone.utc)
    breach = first_canary_error(endpoint_url, metric, started - dt.timedelta(seconds=5))
    history = record["history"]
    rolled = next((i for i, e in enumerate(history) if e["event"] == "rolled_back"), None)
    verified = next((e for e in history[rolled or 0:] if e["event"] == "weights_verified"), None)
    if breach is None or rolled is None or verified is None:
        print(f"{label}: the bad canary's breach or rollback is missing from the record")
        return
    verified_at = dt.datetime.fromtimestamp(verified["at"] / 1000, dt.timezone.utc)
    seconds = (verified_at - breach).total_seconds()
    print(f"{label}: first breaching datapoint (canary errors) at {breach:%H:%M:%S}, "
          f"verified rollback at {verified_at:%H:%M:%S.%f}"[:-3]
          + f": {seconds:.1f} s from breach to verified rollback")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--arns", required=True)
    parser.add_argument("--lambda", dest="function", required=True)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    arns = json.load(open(args.arns))
    report("ALB", args.endpoint_url, alb_canary_errors(arns), f"{args.state}/demo-bad-canary.json")
    report("VPC Lattice", args.endpoint_url, lattice_canary_errors(arns),
           f"{args.state}/demo-lattice-bad-canary.json")
    report("Lambda alias", args.endpoint_url, lambda_canary_errors(json.load(open(args.function))),
           f"{args.state}/demo-lambda-bad-canary.json")


if __name__ == "__main__":
    main()
