//! The machine output's one schema (version [`SCHEMA_VERSION`], documented in docs/events.md):
//! every JSON line and document canary-deploy prints carries `schema_version`, times as RFC 3339
//! strings in UTC, every split with its `canary_percent` beside the raw weights, and every
//! `share` (per mille) with its `share_percent`.
//!
//! Why a view and not the types' own serde: the record's serialization is its storage format
//! (in the route's tags, read back by later releases) and must not change with the output's.
//! The view is applied to the serialized value, on the way out only.

use crate::core::Timestamp;
use serde_json::{Map, Value};

/// The version of the machine output; a change that removes or renames a field bumps it.
pub const SCHEMA_VERSION: u32 = 1;

/// Keys whose integer values are times (milliseconds since the epoch in the types).
const TIME_KEYS: [&str; 4] = ["at", "since", "until", "started_at"];

/// `value` as the schema shows it, with `schema_version` added when it is an object.
pub fn versioned(value: Value) -> Value {
    let mut value = view(value);
    if let Value::Object(map) = &mut value {
        map.insert("schema_version".to_string(), Value::from(SCHEMA_VERSION));
    }
    value
}

/// Times as RFC 3339, splits with their canary percent, all the way down.
pub fn view(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(object(map)),
        Value::Array(items) => Value::Array(items.into_iter().map(view).collect()),
        other => other,
    }
}

fn object(map: Map<String, Value>) -> Map<String, Value> {
    let split = split_percent(&map);
    let mut out = Map::new();
    for (key, value) in map {
        let value = match (&value, TIME_KEYS.contains(&key.as_str())) {
            (Value::Number(n), true) => n
                .as_i64()
                .map_or(value.clone(), |ms| Value::from(Timestamp(ms).rfc3339())),
            _ => view(value),
        };
        out.insert(key, value);
    }
    if let Some(percent) = split {
        out.insert("canary_percent".to_string(), Value::from(percent));
    }
    // A share is per mille of traffic in the types.
    if let Some(permille) = out.get("share").and_then(Value::as_u64) {
        out.insert(
            "share_percent".to_string(),
            Value::from(permille as f64 / 10.0),
        );
    }
    out
}

/// The canary's percent of a split's weights (`stable`, `canary`, optional `others`), when the
/// object is one.
fn split_percent(map: &Map<String, Value>) -> Option<f64> {
    let weight = |key: &str| map.get(key).and_then(Value::as_u64);
    let (stable, canary) = (weight("stable")?, weight("canary")?);
    let others = weight("others").unwrap_or(0);
    let extra = map
        .keys()
        .any(|k| !matches!(k.as_str(), "stable" | "canary" | "others"));
    let total = stable + canary + others;
    (!extra && total > 0).then(|| (canary as f64 * 1000.0 / total as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_become_rfc3339_and_splits_gain_their_percent() {
        let shown = versioned(json!({
            "at": 1_700_000_000_000_i64,
            "event": "weights_verified",
            "split": { "stable": 950, "canary": 50 },
            "phase": { "phase": "stepping", "index": 0, "since": 0 },
            "evidence": [{ "canary": { "requests": 10.0, "bad": 1.0 } }],
        }));
        assert_eq!(
            shown,
            json!({
                "schema_version": 1,
                "at": "2023-11-14T22:13:20Z",
                "event": "weights_verified",
                "split": { "stable": 950, "canary": 50, "canary_percent": 5.0 },
                "phase": { "phase": "stepping", "index": 0, "since": "1970-01-01T00:00:00Z" },
                "evidence": [{ "canary": { "requests": 10.0, "bad": 1.0 } }],
            })
        );
    }

    #[test]
    fn a_share_gains_its_percent() {
        assert_eq!(
            view(json!({ "event": "step_started", "index": 0, "share": 50 })),
            json!({ "event": "step_started", "index": 0, "share": 50, "share_percent": 5.0 })
        );
    }

    #[test]
    fn a_time_key_that_is_not_a_number_is_left_alone() {
        assert_eq!(view(json!({ "at": "soon" })), json!({ "at": "soon" }));
        assert_eq!(
            view(json!({ "stable": 0, "canary": 0 })),
            json!({ "stable": 0, "canary": 0 })
        );
    }
}
