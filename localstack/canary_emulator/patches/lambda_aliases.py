"""Lambda aliases as AWS keeps them; canary-deploy shifts a Lambda alias's traffic with
UpdateAlias (RoutingConfig.AdditionalVersionWeights) guarded by the alias's RevisionId.

moto 5.2.5 differs from AWS:
- An alias kept the RevisionId it was created with forever, and UpdateAlias ignored the request's
  RevisionId (its docstring: "not yet implemented"). Now every CreateAlias and UpdateAlias gives
  the alias a new RevisionId, and an UpdateAlias whose RevisionId is not the alias's current one
  changes nothing and answers 412 `PreconditionFailedException` (the model's error for it:
  `{"Type": "User", "message": ...}`; the message is AWS's wording as commonly reported, not
  confirmed here).
- RoutingConfig was stored as sent. Now CreateAlias and UpdateAlias check it as AWS does, before
  anything changes: a weight outside 0.0–1.0 or a version that is not a number (`$LATEST`) is a
  `ValidationException` (400, the model's constraints `Weight` min 0.0 max 1.0 and
  `AdditionalVersion` pattern `[0-9]+`, worded as AWS words constraint errors); more than one
  extra version, or the alias's own FunctionVersion as the extra one, is an
  `InvalidParameterValueException` (400); a version that was never published is a
  `ResourceNotFoundException` (404, "Function not found: <qualified ARN>"). The codes follow
  AWS's documented behaviour; the messages of the last three are not confirmed against AWS.
- GetAlias and UpdateAlias answered 201; the model says 200 (CreateAlias stays 201).

PublishVersion needs no patch for ZipFile functions: moto publishes 1, 2, … and, as AWS, returns
the latest version again when neither code nor configuration changed (tests pin it).
"""

import json
import math
import uuid
from urllib.parse import unquote

from moto.awslambda import responses
from moto.awslambda.exceptions import (
    InvalidParameterValueException,
    PreconditionFailedException,
    UnknownFunctionException,
    ValidationException,
)

STALE_REVISION = ("The Revision Id provided does not match the latest Revision Id. Call the "
                  "GetFunction/GetAlias API to retrieve the latest Revision Id")


class StaleRevision(PreconditionFailedException):
    def __init__(self) -> None:
        super().__init__(STALE_REVISION)
        self.description = json.dumps({"Type": "User", "message": STALE_REVISION})


def apply() -> None:
    responses.LambdaResponse.create_alias = create_alias
    responses.LambdaResponse.get_alias = get_alias
    responses.LambdaResponse.update_alias = update_alias


def _json(body: dict, status: int):
    return status, {"status": status, "Content-Type": "application/json"}, json.dumps(body)


def _names(self) -> tuple[str, str]:
    """The function (name or ARN) and alias of `/functions/{FunctionName}/aliases/{Name}`."""
    parts = self.path.split("?")[0].rstrip("/").split("/")
    return unquote(parts[-3]), unquote(parts[-1])


def _invalid_weights(value, constraint: str) -> ValidationException:
    return ValidationException(value, "routingConfig.additionalVersionWeights", constraint)


def check_routing(storage, function_name: str, function_version: str | None,
                  routing: dict | None) -> None:
    """Refuses a RoutingConfig AWS refuses, for an alias on `function_version`."""
    weights = (routing or {}).get("AdditionalVersionWeights") or {}
    for version, weight in weights.items():
        if not str(version).isdigit():
            raise _invalid_weights(version, "Map keys must satisfy constraint: [Member must "
                                   "satisfy regular expression pattern: [0-9]+]")
        if (not isinstance(weight, (int, float)) or math.isnan(weight)
                or not 0.0 <= weight <= 1.0):
            raise _invalid_weights(weight, "Map value must satisfy constraint: [Member must have "
                                   "value less than or equal to 1.0, Member must have value "
                                   "greater than or equal to 0.0]")
    if len(weights) > 1:
        raise InvalidParameterValueException(
            "Number of items in AdditionalVersionWeights cannot be greater than 1")
    for version in weights:
        if str(version) == str(function_version):
            raise InvalidParameterValueException(
                f"Invalid function version {version}. Function version {version} is already "
                "included in routing configuration.")
        function = storage.get_function_by_name_or_arn_with_qualifier(function_name)
        if storage._get_version(function.function_name, str(version)) is None:
            raise UnknownFunctionException(f"{function.function_arn}:{version}")


def create_alias(self):
    function_name = unquote(self.path.split("?")[0].rstrip("/").split("/")[-2])
    params = json.loads(self.body)
    check_routing(self.backend._lambdas, function_name, params.get("FunctionVersion"),
                  params.get("RoutingConfig"))
    alias = self.backend.create_alias(
        name=params.get("Name"), function_name=function_name,
        function_version=params.get("FunctionVersion"),
        description=params.get("Description", ""),
        routing_config=params.get("RoutingConfig"))
    return _json(alias.to_json(), 201)


def get_alias(self):
    function_name, alias_name = _names(self)
    alias = self.backend.get_alias(name=alias_name, function_name=function_name)
    return _json(alias.to_json(), 200)


def update_alias(self):
    function_name, alias_name = _names(self)
    params = json.loads(self.body)
    storage = self.backend._lambdas
    alias = storage.get_alias(alias_name, function_name)
    revision = params.get("RevisionId")
    if revision is not None and revision != alias.revision_id:
        raise StaleRevision()
    version = params.get("FunctionVersion")
    routing = params.get("RoutingConfig")
    check_routing(storage, function_name, version if version is not None
                  else alias.function_version,
                  routing if routing is not None else alias.routing_config)
    if version is not None:
        storage.get_function_by_name_or_arn_with_qualifier(function_name, version)
    alias.update(params.get("Description"), version, routing)
    alias.revision_id = str(uuid.uuid4())
    return _json(alias.to_json(), 200)
