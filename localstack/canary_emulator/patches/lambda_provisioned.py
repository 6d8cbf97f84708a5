"""Lambda Put/Get/DeleteProvisionedConcurrencyConfig, which moto 5.2.5 does not route (a 404
with an HTML body), with the model's shapes, status codes (202 / 200 / 204) and errors.

Configs live per function and qualifier (an alias or a published version). The emulator
allocates at once, so a config is READY with everything allocated; a test that needs another
status sends the Put with the header `x-canary-emulator-provisioned-status: IN_PROGRESS` (or
`FAILED`, with an optional `;reason`). Errors: a Qualifier missing, `$LATEST` or unpublished, or
an execution count below 1, is `InvalidParameterValueException` (400); an unknown function or
alias is `ResourceNotFoundException` (404, moto's "Function not found: <ARN>"); Get of a
qualifier without a config is `ProvisionedConcurrencyConfigNotFoundException` (404), as is a
Delete of one (AWS's Delete models no such error; the message wording of these errors is not
confirmed against AWS).
"""

import datetime as dt
import json
from urllib.parse import unquote

from moto.awslambda import responses, urls
from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError

STATUS_HEADER = "x-canary-emulator-provisioned-status"
PATH = (r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)"
        r"/provisioned-concurrency/?$")


class ConfigNotFound(LambdaClientError):
    code = 404

    def __init__(self) -> None:
        message = "No Provisioned Concurrency Config found for this function"
        super().__init__("ProvisionedConcurrencyConfigNotFoundException", message)
        self.description = json.dumps({"Type": "User", "message": message})


def apply() -> None:
    urls.url_paths[PATH] = responses.LambdaResponse.dispatch
    for handler in (put_provisioned_concurrency_config, get_provisioned_concurrency_config,
                    delete_provisioned_concurrency_config):
        setattr(responses.LambdaResponse, handler.__name__, handler)


def _configs(backend) -> dict:
    if not hasattr(backend, "canary_provisioned"):
        backend.canary_provisioned = {}
    return backend.canary_provisioned


def _key(self) -> tuple[str, str]:
    """(the function's unqualified ARN, the qualifier), checked to exist and be published."""
    name = unquote(self.path.split("?")[0].rstrip("/").split("/")[-2])
    qualifier = self.querystring.get("Qualifier", [None])[0]
    if not qualifier or qualifier == "$LATEST":
        raise InvalidParameterValueException(
            "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
    function = self.backend.get_function(name, qualifier)  # ResourceNotFoundException if unknown
    return function.function_arn.rsplit(":", 1)[0] if function.function_arn.count(":") > 6 \
        else function.function_arn, qualifier


def _json(body: dict | None, status: int):
    return status, {"status": status, "Content-Type": "application/json"}, \
        json.dumps(body) if body is not None else ""


def put_provisioned_concurrency_config(self):
    key = _key(self)
    wanted = json.loads(self.body or "{}").get("ProvisionedConcurrentExecutions")
    if not isinstance(wanted, int) or wanted < 1:
        raise InvalidParameterValueException(
            "ProvisionedConcurrentExecutions must be an integer of at least 1")
    status, _, reason = (self.headers.get(STATUS_HEADER) or "READY").partition(";")
    status = status.strip().upper()
    if status not in ("READY", "IN_PROGRESS", "FAILED"):
        raise InvalidParameterValueException(f"{STATUS_HEADER}: {status} is not READY, "
                                             "IN_PROGRESS or FAILED")
    allocated = wanted if status == "READY" else 0
    config = {
        "RequestedProvisionedConcurrentExecutions": wanted,
        "AvailableProvisionedConcurrentExecutions": allocated,
        "AllocatedProvisionedConcurrentExecutions": allocated,
        "Status": status,
        "LastModified": (dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
                         + "+0000"),
    }
    if reason.strip():
        config["StatusReason"] = reason.strip()
    _configs(self.backend)[key] = config
    return _json(config, 202)


def get_provisioned_concurrency_config(self):
    config = _configs(self.backend).get(_key(self))
    if config is None:
        raise ConfigNotFound()
    return _json(config, 200)


def delete_provisioned_concurrency_config(self):
    if _configs(self.backend).pop(_key(self), None) is None:
        raise ConfigNotFound()
    return _json(None, 204)
