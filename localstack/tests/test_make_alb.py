"""The make_alb.py fixture the Rust preflight tests build on: its canary health option and its
lambda target groups (each function's invoke permission and registered ARN, broken on request)."""

import json
import subprocess
import sys

from conftest import LOCALSTACK


def make_alb(endpoint, *args) -> dict:
    out = subprocess.run([sys.executable, str(LOCALSTACK / "make_alb.py"),
                          "--endpoint-url", endpoint, *args],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def health(elb, group):
    return [(d["Target"]["Id"], d["TargetHealth"]["State"], d["TargetHealth"].get("Reason"))
            for d in elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]]


def test_the_canary_s_instance_gets_the_health_asked_for(endpoint, boto):
    alb = make_alb(endpoint, "--prefix", "sick", "--canary-health", "unhealthy;Target.Timeout")
    elb = boto("elbv2")
    assert health(elb, alb["stable_arn"]) == [(alb["instance_id"], "healthy", None)]
    assert health(elb, alb["canary_arn"]) == [(alb["instance_id"], "unhealthy", "Target.Timeout")]


def test_lambda_target_groups_register_invokable_aliases(endpoint, boto):
    alb = make_alb(endpoint, "--prefix", "fns", "--lambda")
    elb, lam = boto("elbv2"), boto("lambda")
    groups = elb.describe_target_groups(TargetGroupArns=[alb["stable_arn"], alb["canary_arn"]])
    assert {g["TargetType"] for g in groups["TargetGroups"]} == {"lambda"}
    [stable] = elb.describe_target_groups(TargetGroupArns=[alb["stable_arn"]])["TargetGroups"]
    assert stable["LoadBalancerArns"] == [alb["lb_arn"]]
    [(arn, state, _)] = health(elb, alb["canary_arn"])
    assert arn.endswith(":function:fns-canary-fn:live") and state == "unavailable"
    [statement] = json.loads(lam.get_policy(FunctionName=arn)["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "elasticloadbalancing.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == alb["canary_arn"]


def test_a_broken_side_is_unqualified_or_without_a_scoped_permission(endpoint, boto):
    alb = make_alb(endpoint, "--prefix", "brk", "--lambda", "--broken-canary", "unqualified",
                   "--broken-stable", "unscoped")
    elb, lam = boto("elbv2"), boto("lambda")
    [(canary, _, _)] = health(elb, alb["canary_arn"])
    assert canary.endswith(":function:brk-canary-fn")
    [(stable, _, _)] = health(elb, alb["stable_arn"])
    [statement] = json.loads(lam.get_policy(FunctionName=stable)["Policy"])["Statement"]
    assert "Condition" not in statement
