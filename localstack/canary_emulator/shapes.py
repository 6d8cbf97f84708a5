"""Convert values between the JSON protocol (what moto speaks) and RPC v2 CBOR (what the AWS SDK
for Rust speaks), driven by botocore's service model.

Requests need no model: CBOR already carries types, so tag-1 timestamps become JSON epoch
seconds and byte strings become base64. Responses do need it: the Rust deserializer is strict
(a Double member must be a CBOR float, an Integer a CBOR int, a Timestamp a tag 1), while moto's
JSON gives `5` for 5.0 and epoch numbers for timestamps.
"""

import base64
import datetime as dt
import math

from botocore.model import Shape
from botocore.utils import parse_timestamp
from cbor2 import CBORTag

EPOCH_TAG = 1
_FLOATS = ("double", "float")
_INTS = ("integer", "long", "short", "byte")


def json_ready(value):
    """A decoded CBOR request value, made JSON-serialisable the way the JSON protocol expects."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    if isinstance(value, CBORTag) and value.tag == EPOCH_TAG:
        return value.value
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


def epoch_tag(value) -> CBORTag:
    """A JSON-protocol timestamp (epoch number or ISO string) as CBOR tag 1 (int when whole)."""
    if isinstance(value, str):
        value = parse_timestamp(value).timestamp()
    seconds = float(value)
    return CBORTag(EPOCH_TAG, int(seconds) if seconds.is_integer() else seconds)


def to_cbor(shape: Shape | None, value):
    """A JSON response value of `shape`, typed for the CBOR encoder. None members are dropped."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            if value.get(name) is not None:
                out[name] = to_cbor(member, value[name])
        return out
    if kind == "list":
        return [to_cbor(shape.member, v) for v in value]
    if kind == "map":
        return {k: to_cbor(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        return epoch_tag(value)
    if kind in _FLOATS:
        return float(value)
    if kind in _INTS:
        number = float(value)
        return int(number) if math.isfinite(number) else number
    if kind == "boolean" and isinstance(value, str):
        return value.lower() == "true"
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value
