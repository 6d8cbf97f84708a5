"""Measures the bad canary of the demo: time from the first breaching datapoint to the verified
rollback.

The first breaching datapoint is the first one-second HTTPCode_Target_5XX_Count datapoint the
traffic simulator published for the canary target group (read back from the emulator's
CloudWatch); the verified rollback is the `weights_verified` event that follows `rolled_back` in
the deployment record. Both are timestamps, so the figure does not depend on when this runs.

Usage: demo_report.py --endpoint-url URL --arns arns.json --record state/demo-bad-canary.json
"""

import argparse
import datetime as dt
import json

import boto3


def first_canary_error(endpoint_url, arns, since):
    cloudwatch = boto3.client("cloudwatch", endpoint_url=endpoint_url, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
    dims = arns["dimensions"]
    result = cloudwatch.get_metric_data(
        MetricDataQueries=[{
            "Id": "errors",
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/ApplicationELB",
                    "MetricName": "HTTPCode_Target_5XX_Count",
                    "Dimensions": [
                        {"Name": "LoadBalancer", "Value": dims["LoadBalancer"]},
                        {"Name": "TargetGroup", "Value": dims["TargetGroup"]["demo-canary-2"]},
                    ],
                },
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--arns", required=True)
    parser.add_argument("--record", required=True)
    args = parser.parse_args()
    arns = json.load(open(args.arns))
    record = json.load(open(args.record))

    started = dt.datetime.fromtimestamp(record["started_at"] / 1000, dt.timezone.utc)
    breach = first_canary_error(args.endpoint_url, arns, started - dt.timedelta(seconds=5))
    history = record["history"]
    rolled = next((i for i, e in enumerate(history) if e["event"] == "rolled_back"), None)
    verified = next((e for e in history[rolled or 0:] if e["event"] == "weights_verified"), None)
    if breach is None or rolled is None or verified is None:
        print("measurement: the bad canary's breach or rollback is missing from the record")
        return
    verified_at = dt.datetime.fromtimestamp(verified["at"] / 1000, dt.timezone.utc)
    seconds = (verified_at - breach).total_seconds()
    print(f"first breaching datapoint (canary 5XX) at {breach:%H:%M:%S}, "
          f"verified rollback at {verified_at:%H:%M:%S.%f}"[:-3]
          + f": {seconds:.1f} s from breach to verified rollback")


if __name__ == "__main__":
    main()
