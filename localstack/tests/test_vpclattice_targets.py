"""VPC Lattice RegisterTargets / DeregisterTargets / ListTargets (patches/vpclattice_targets.py)."""

import pytest
from botocore.exceptions import ClientError

FN = "arn:aws:lambda:us-east-1:123456789012:function:demo:live"


def _with_status(client, status: str):
    def add(request, **_):
        request.headers["x-canary-emulator-target-status"] = status
    client.meta.events.register_first("before-sign.vpc-lattice.RegisterTargets", add)


def test_registered_targets_are_listed_healthy_or_unavailable_for_lambda(boto):
    lattice = boto("vpc-lattice")
    lam = lattice.create_target_group(name="fns", type="LAMBDA")
    ips = lattice.create_target_group(name="ips", type="IP", config={
        "port": 8080, "protocol": "HTTP", "vpcIdentifier": "vpc-1"})
    out = lattice.register_targets(targetGroupIdentifier=lam["arn"], targets=[{"id": FN}])
    assert out["successful"] == [{"id": FN}] and out["unsuccessful"] == []
    lattice.register_targets(targetGroupIdentifier=ips["id"], targets=[{"id": "10.0.0.1"}])
    assert lattice.list_targets(targetGroupIdentifier=lam["id"])["items"] == [
        {"id": FN, "status": "UNAVAILABLE"}]
    assert lattice.list_targets(targetGroupIdentifier=ips["id"])["items"] == [
        {"id": "10.0.0.1", "port": 8080, "status": "HEALTHY"}]


def test_a_test_sets_the_status_with_a_header(boto):
    lattice = boto("vpc-lattice")
    group = lattice.create_target_group(name="ips", type="IP", config={
        "port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-1"})
    _with_status(lattice, "UNHEALTHY;HealthCheckFailed")
    lattice.register_targets(targetGroupIdentifier=group["id"], targets=[{"id": "10.0.0.2"}])
    assert lattice.list_targets(targetGroupIdentifier=group["id"])["items"] == [
        {"id": "10.0.0.2", "port": 80, "status": "UNHEALTHY", "reasonCode": "HealthCheckFailed"}]


def test_deregistering_removes_and_reports_unknown_targets(boto):
    lattice = boto("vpc-lattice")
    group = lattice.create_target_group(name="fns", type="LAMBDA")
    lattice.register_targets(targetGroupIdentifier=group["id"], targets=[{"id": FN}])
    out = lattice.deregister_targets(targetGroupIdentifier=group["id"],
                                     targets=[{"id": FN}, {"id": FN + "x"}])
    assert out["successful"] == [{"id": FN}]
    assert [f["failureCode"] for f in out["unsuccessful"]] == ["TargetNotFound"]
    assert lattice.list_targets(targetGroupIdentifier=group["id"])["items"] == []


def test_errors_follow_the_model(boto):
    lattice = boto("vpc-lattice")
    with pytest.raises(ClientError) as missing:
        lattice.list_targets(targetGroupIdentifier="tg-0123456789abcdef0")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    group = lattice.create_target_group(name="fns", type="LAMBDA")
    with pytest.raises(ClientError) as too_many:
        lattice.register_targets(targetGroupIdentifier=group["id"],
                                 targets=[{"id": f"{FN}{i}"} for i in range(101)])
    assert too_many.value.response["Error"]["Code"] == "ValidationException"


def test_list_targets_pages(boto):
    lattice = boto("vpc-lattice")
    group = lattice.create_target_group(name="fns", type="LAMBDA")
    lattice.register_targets(targetGroupIdentifier=group["id"],
                             targets=[{"id": f"{FN}{i}"} for i in range(3)])
    first = lattice.list_targets(targetGroupIdentifier=group["id"], maxResults=2)
    assert len(first["items"]) == 2 and first["nextToken"]
    rest = lattice.list_targets(targetGroupIdentifier=group["id"], nextToken=first["nextToken"])
    assert len(rest["items"]) == 1 and "nextToken" not in rest
