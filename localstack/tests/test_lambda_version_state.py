"""A published version's State set by a test header (patches/lambda_version_state.py)."""

import pytest
from botocore.exceptions import ClientError

from helpers import lambda_function

HEADER = "x-canary-emulator-version-state"


def _with_header(lam, value):
    def add(request, **_):
        request.headers[HEADER] = value
    lam.meta.events.register_first("before-sign.lambda.PublishVersion", add)


def test_a_version_published_with_the_header_reports_that_state(boto):
    lam = lambda_function(boto, "vs-inactive")
    plain = lam.publish_version(FunctionName="vs-inactive")["Version"]
    lam.update_function_configuration(FunctionName="vs-inactive", Description="two")
    _with_header(lam, "Inactive;Idle;The function is idle")
    published = lam.publish_version(FunctionName="vs-inactive")
    assert (published["State"], published["StateReasonCode"]) == ("Inactive", "Idle")
    got = lam.get_function_configuration(FunctionName="vs-inactive",
                                         Qualifier=published["Version"])
    assert (got["State"], got["StateReasonCode"], got["StateReason"]) == \
        ("Inactive", "Idle", "The function is idle")
    other = lam.get_function_configuration(FunctionName="vs-inactive", Qualifier=plain)
    assert other["State"] == "Active" and "StateReason" not in other
    latest = lam.get_function_configuration(FunctionName="vs-inactive")
    assert latest["State"] == "Active" and "StateReasonCode" not in latest


def test_an_unknown_state_is_refused_and_publishes_nothing(boto):
    lam = lambda_function(boto, "vs-unknown")
    _with_header(lam, "Sleeping")
    with pytest.raises(ClientError) as refused:
        lam.publish_version(FunctionName="vs-unknown")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    versions = lam.list_versions_by_function(FunctionName="vs-unknown")["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST"]
