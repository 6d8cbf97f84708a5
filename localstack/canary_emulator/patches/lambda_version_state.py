"""A published Lambda version's `State`, for tests of a version that cannot be invoked.

moto 5.2.5 reports every function and version `"State": "Active"` and never a `StateReason` or
`StateReasonCode`; AWS reports `Pending`, `Inactive` or `Failed` with a reason
(https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html). A test that needs such a
version sends PublishVersion with the header `x-canary-emulator-version-state: STATE` (or
`STATE;REASON_CODE;REASON`): the new version then reports that State, StateReasonCode and
StateReason in every GetFunctionConfiguration (AWS's field names; moto's other fields are kept).
Without the header nothing changes. A State outside Pending, Active, Inactive, Failed is
`InvalidParameterValueException` (400), and nothing is published.
"""

import json

from moto.awslambda import models, responses
from moto.awslambda.exceptions import InvalidParameterValueException

STATE_HEADER = "x-canary-emulator-version-state"
STATES = ("Pending", "Active", "Inactive", "Failed")


def apply() -> None:
    publish = responses.LambdaResponse.publish_version
    configuration = models.LambdaFunction.get_configuration

    def publish_version(self):
        wanted = self.headers.get(STATE_HEADER)
        if not wanted:
            return publish(self)
        state, _, rest = wanted.partition(";")
        code, _, reason = rest.partition(";")
        if state.strip() not in STATES:
            raise InvalidParameterValueException(
                f"{STATE_HEADER}: {state.strip()} is not one of {', '.join(STATES)}")
        status, headers, body = publish(self)
        published = json.loads(body)
        version = self.backend.get_function(published["FunctionName"], published["Version"])
        version.state = state.strip()
        version.canary_state_reason = (code.strip() or None, reason.strip() or None)
        return status, headers, json.dumps(version.get_configuration())

    def get_configuration(self, on_create: bool = False):
        config = configuration(self, on_create)
        code, reason = getattr(self, "canary_state_reason", (None, None))
        if code:
            config["StateReasonCode"] = code
        if reason:
            config["StateReason"] = reason
        return config

    responses.LambdaResponse.publish_version = publish_version
    models.LambdaFunction.get_configuration = get_configuration
