"""Tags on ELBv2 and VPC Lattice resources with AWS's limits; canary-deploy keeps its deployment
record in the tags of the routed listener or rule, so the limits decide what fits.

ELBv2 (moto 5.2.5 differs from AWS):
- moto refused a new key once a resource had 10 tags (an old AWS limit) and counted only the
  tags already there, so 9 + 5 new tags were accepted. AWS allows 50 tags per resource
  ("Maximum number of tags per resource—50", user guide, tags for listeners and rules); tags
  whose key starts with `aws:` do not count. More is `TooManyTags` (400), the code of
  TooManyTagsException in botocore's model; the message is the model's description of that
  error (AWS's own wording is not confirmed). A refused AddTags changes nothing.
- AddTags stored any key and value; botocore's model limits keys to 1-128 and values to 0-256
  characters of `^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`. A violation is a `ValidationError` (400)
  worded as AWS words model-constraint errors. A key given twice is `DuplicateTagKeys`.
- DescribeTags answered an empty tag list for an ARN that names nothing; AWS answers the
  resource's not-found error (ListenerNotFound, RuleNotFound, ...), as moto's AddTags and
  RemoveTags already did.

VPC Lattice (moto 5.2.5 tagged, listed and untagged any ARN, without limits):
- TagResource / ListTagsForResource / UntagResource on an ARN that names no Lattice resource is
  ResourceNotFoundException (404), the model's error for these operations (resourceType here
  comes from the ARN; AWS's value is not confirmed).
- 50 tags per resource (user guide, "Tags for your VPC Lattice target group": "Maximum number of
  tags per resource—50"; stated there for target groups and assumed for listeners and rules),
  `aws:` keys not counted. TagResource's modelled errors have no quota error, so more is a
  ValidationException (400): the code is an assumption, not confirmed against AWS.
- Keys of 1-128 and values of 0-256 characters (the model's TagKey / TagValue): a
  ValidationException otherwise.
"""

import json
import unicodedata
from urllib.parse import unquote

from moto.elbv2 import exceptions as elb_exceptions
from moto.elbv2 import models as elb_models
from moto.vpclattice import responses as lattice_responses

from canary_emulator.patches.vpclattice_model import Invalid, ResourceNotFound, constraint

MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256
_PUNCTUATION = set("_.:/=+-@")
_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"
TOO_MANY_TAGS = "You've reached the limit on the number of tags for this resource."


def apply() -> None:
    elb_models.ELBv2Backend.add_tags = elb_add_tags
    elb_models.ELBv2Backend.describe_tags = elb_describe_tags
    response = lattice_responses.VPCLatticeResponse
    response.tag_resource = lattice_tag_resource
    response.list_tags_for_resource = lattice_list_tags
    response.untag_resource = lattice_untag_resource


def counted(keys) -> int:
    """How many of `keys` count against the 50-tag limit (`aws:` keys do not)."""
    return sum(1 for key in keys if not key.startswith("aws:"))


def _tag_chars_ok(text: str) -> bool:
    return all(ch in _PUNCTUATION or unicodedata.category(ch)[0] in "LZN" for ch in text)


# ---- ELBv2 ---------------------------------------------------------------------------------------


class TooManyTags(elb_exceptions.ELBClientError):
    def __init__(self) -> None:
        super().__init__("TooManyTags", TOO_MANY_TAGS)


class DuplicateTagKeys(elb_exceptions.ELBClientError):
    def __init__(self, key: str) -> None:
        super().__init__("DuplicateTagKeys", f"Tag key was specified more than once: {key}")


def _elb_invalid(value, where: str, rule: str) -> elb_exceptions.ValidationError:
    return elb_exceptions.ValidationError(
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {rule}")


def _check_elb_tags(tags: list[dict]) -> dict:
    checked = {}
    for n, tag in enumerate(tags, start=1):
        key, value = tag.get("Key") or "", tag.get("Value")
        for member, text, low, high in (("key", key, 1, MAX_KEY), ("value", value, 0, MAX_VALUE)):
            if text is None:
                continue
            where = f"tags.{n}.member.{member}"
            if not low <= len(text) <= high:
                bound = (f"less than or equal to {high}" if len(text) > high
                         else f"greater than or equal to {low}")
                raise _elb_invalid(text, where, f"Member must have length {bound}")
            if not _tag_chars_ok(text):
                raise _elb_invalid(text, where,
                                   f"Member must satisfy regular expression pattern: {_PATTERN}")
        if key in checked:
            raise DuplicateTagKeys(key)
        checked[key] = value
    return checked


def elb_add_tags(self, resource_arns: list[str], tags: list[dict]) -> None:
    new = _check_elb_tags(tags)
    for arn in resource_arns:
        self._get_resource_by_arn(arn)
        existing = self.tagging_service.get_tag_dict_for_resource(arn)
        if counted(set(existing) | set(new)) > MAX_TAGS:
            raise TooManyTags()
    for arn in resource_arns:
        self.tagging_service.tag_resource(arn, tags)


def elb_describe_tags(self, resource_arns: list[str]) -> dict:
    for arn in resource_arns:
        self._get_resource_by_arn(arn)
    return {arn: self.tagging_service.get_tag_dict_for_resource(arn) for arn in resource_arns}


# ---- VPC Lattice ---------------------------------------------------------------------------------

_LATTICE_COLLECTIONS = (
    "services", "listeners", "rules", "target_groups", "service_networks",
    "service_network_vpc_associations", "service_network_service_associations",
    "service_network_resource_associations", "access_log_subscriptions",
)


def _resource_type(arn: str) -> str:
    """RULE, LISTENER, SERVICE, TARGET_GROUP, ... from a Lattice ARN's resource path."""
    parts = arn.split(":", 5)[-1].split("/")
    kinds = parts[0::2]
    last = kinds[-1] if kinds else "resource"
    return {"targetgroup": "TARGET_GROUP", "servicenetwork": "SERVICE_NETWORK"}.get(
        last, last.upper())


def _lattice_resource_arn(response) -> str:
    """The request's resourceArn, after checking that it names a Lattice resource."""
    arn = unquote(response._get_param("resourceArn") or "")
    backend = response.backend
    for name in _LATTICE_COLLECTIONS:
        for item in (getattr(backend, name, None) or {}).values():
            if getattr(item, "arn", None) == arn:
                return arn
    raise ResourceNotFound(_resource_type(arn), arn)


def _check_lattice_tags(tags: dict) -> None:
    for key, value in tags.items():
        if not 1 <= len(key) <= MAX_KEY:
            raise constraint("tags", key, f"Map key must have length between 1 and {MAX_KEY}")
        if value is not None and len(value) > MAX_VALUE:
            raise constraint("tags", value,
                             f"Map value must have length less than or equal to {MAX_VALUE}")


def lattice_tag_resource(self):
    arn = _lattice_resource_arn(self)
    tags = self._get_param("tags") or {}
    _check_lattice_tags(tags)
    existing = self.backend.list_tags_for_resource(arn)
    if counted(set(existing) | set(tags)) > MAX_TAGS:
        raise Invalid(f"Resource {arn} would have more than {MAX_TAGS} tags", "tags")
    self.backend.tag_resource(arn, tags)
    return "{}"


def lattice_list_tags(self):
    arn = _lattice_resource_arn(self)
    return json.dumps({"tags": self.backend.list_tags_for_resource(arn)})


def lattice_untag_resource(self):
    arn = _lattice_resource_arn(self)
    self.backend.untag_resource(resource_arn=arn, tag_keys=self._get_param("tagKeys", []))
    return "{}"
