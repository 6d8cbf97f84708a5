"""Lambda provisioned-concurrency configs (patches/lambda_provisioned.py)."""

import pytest
from botocore.exceptions import ClientError

from helpers import lambda_function


def _function(boto, name="pc"):
    lam = lambda_function(boto, name)
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    return lam


def test_put_get_delete_round_trip_ready(boto):
    lam = _function(boto)
    put = lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=5)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert put["Status"] == "READY" and put["AllocatedProvisionedConcurrentExecutions"] == 5
    got = lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert got["RequestedProvisionedConcurrentExecutions"] == 5 and got["Status"] == "READY"
    deleted = lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as gone:
        lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert gone.value.response["Error"]["Code"] == "ProvisionedConcurrencyConfigNotFoundException"


def test_a_test_sets_in_progress_with_a_header(boto):
    lam = _function(boto)

    def add(request, **_):
        request.headers["x-canary-emulator-provisioned-status"] = "IN_PROGRESS;allocating"
    lam.meta.events.register_first("before-sign.lambda.PutProvisionedConcurrencyConfig", add)
    lam.put_provisioned_concurrency_config(
        FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=2)
    got = lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert (got["Status"], got["StatusReason"], got["AllocatedProvisionedConcurrentExecutions"]) \
        == ("IN_PROGRESS", "allocating", 0)


def test_errors_follow_the_model(boto):
    lam = _function(boto)
    with pytest.raises(ClientError) as latest:
        lam.put_provisioned_concurrency_config(
            FunctionName="pc", Qualifier="$LATEST", ProvisionedConcurrentExecutions=1)
    assert latest.value.response["Error"]["Code"] == "InvalidParameterValueException"
    with pytest.raises(ClientError) as unknown:
        lam.get_provisioned_concurrency_config(FunctionName="nope", Qualifier="live")
    assert unknown.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as none:
        lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live")
    assert none.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
