//! The playbook's JSON Schema, generated from the model (`model.rs`, schemars) so that it cannot
//! drift from what `parse` reads: `canary-deploy schema` prints it, `schema/playbook.schema.json`
//! is the committed copy (a test holds it current), and the example playbooks name it in their
//! yaml-language-server modeline so editors complete and check playbooks.
//!
//! The schema is what an editor can check on one value: field names, types, enums, ranges and
//! the shape of durations and percentiles. What needs the whole file or AWS (steps that rise,
//! ARNs in one region, a route's target groups) is `validate`'s alone. The enums below are the
//! lists the validators match on, so the two cannot disagree.

use schemars::Schema;

/// A duration with one of humantime's units (`30s`, `5m`, `1h 30m`), or `0` alone.
pub(crate) const DURATION: &str = concat!(
    r"^\s*(0|[0-9]+\s*(nsec|ns|usec|us|µs|msec|ms|seconds?|sec|s|minutes?|min|m|hours?|hr|h|days?",
    r"|d|weeks?|w|months?|M|years?|y)(\s*[0-9]+\s*(nsec|ns|usec|us|µs|msec|ms|seconds?|sec|s",
    r"|minutes?|min|m|hours?|hr|h|days?|d|weeks?|w|months?|M|years?|y))*)\s*$"
);
/// `p99`, `p50`, `p99.9`.
pub(crate) const PERCENTILE: &str = r"^\s*p[0-9]{1,2}(\.[0-9]+)?\s*$";
/// A CloudWatch statistic: a named one or a percentile with at most two decimals.
pub(crate) const STATISTIC: &str =
    r"^\s*(Sum|Average|Minimum|Maximum|SampleCount|p[0-9]{1,2}(\.[0-9]{1,2})?)\s*$";
/// `3x` (a multiple of the bake) or a duration (whose own shape `validate` checks).
pub(crate) const MAX_BAKE: &str = r"^\s*([0-9]+(\.[0-9]+)?\s*[x×]|[0-9]+\s*[A-Za-zµ]+.*)\s*$";
/// An ALB listener's ARN (an application load balancer's: `listener/app/…`).
pub(crate) const LISTENER_ARN: &str = concat!(
    r"^\s*arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:",
    r"listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+\s*$"
);
/// An ALB listener rule's ARN.
pub(crate) const RULE_ARN: &str = concat!(
    r"^\s*arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:",
    r"listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+/[0-9a-f]+\s*$"
);
/// A target group's name (1–32 letters, digits, inner hyphens) or ARN.
pub(crate) const TARGET_GROUP: &str = concat!(
    r"^\s*([A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?|arn:(aws|aws-cn|aws-us-gov):",
    r"elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:targetgroup/",
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]+)\s*$"
);
/// A load balancer's name: 1–32 letters, digits, inner hyphens, not `internal-…`.
pub(crate) const LOAD_BALANCER_NAME: &str =
    r"^\s*(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?\s*$";
/// A duration: text with a unit, or the number `0` (YAML reads a bare `0` as a number).
pub(crate) fn duration(_: &mut schemars::SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "anyOf": [{"type": "string", "pattern": DURATION}, {"const": 0}, {"type": "null"}]
    })
}

/// A duration that is not zero (`interval`, `period`, `linear.every`).
pub(crate) fn nonzero_duration(_: &mut schemars::SchemaGenerator) -> Schema {
    let pattern = format!(r"^(?!\s*0+\s*[A-Za-zµ]*\s*$){}", &DURATION[1..]);
    schemars::json_schema!({ "type": ["string", "null"], "pattern": pattern })
}
/// A Lambda function's name or unqualified ARN.
pub(crate) const FUNCTION: &str = concat!(
    r"^\s*([A-Za-z0-9_-]{1,64}|arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:",
    r"function:[A-Za-z0-9_-]{1,64})\s*$"
);
/// A Lambda alias's name: 1–128 letters, digits, `-`, `_`, not all digits.
pub(crate) const ALIAS: &str = r"^\s*(?![0-9]+\s*$)[A-Za-z0-9_-]{1,128}\s*$";
/// A CloudWatch alarm name IAM can grant exactly: 1–255 characters, no `*` or `?`.
pub(crate) const ALARM_NAME: &str = r"^[^*?]{1,255}$";

pub(crate) const ON_FAILURE: [&str; 2] = ["rollback", "pause"];
/// `first-step` is the command line's spelling, accepted here too.
pub(crate) const START_FROM: [&str; 3] = ["live", "first_step", "first-step"];
pub(crate) const NO_DATA: [&str; 3] = ["hold", "fail", "pass"];
pub(crate) const METHOD: [&str; 2] = ["evidence", "threshold"];

/// An enum's values and `null`: a key written with no value is read as left out.
pub(crate) fn or_null(names: &[&'static str]) -> Vec<Option<&'static str>> {
    names.iter().copied().map(Some).chain([None]).collect()
}

/// Where the committed copy lives, relative to the repository.
pub const COMMITTED_PATH: &str = "schema/playbook.schema.json";

/// The schema as printed by `canary-deploy schema`: pretty JSON ending in a newline.
pub fn playbook_schema_json() -> String {
    let schema = schemars::schema_for!(super::model::PlaybookDoc);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `checks` items: exactly one of the kind keys (every property but `name`).
pub(crate) fn exactly_one_kind(schema: &mut Schema) {
    let kinds: Vec<serde_json::Value> = schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| {
            p.keys()
                .filter(|k| *k != "name")
                .map(|k| serde_json::json!({ "required": [k] }))
                .collect()
        })
        .unwrap_or_default();
    schema.insert("oneOf".into(), kinds.into());
}

/// `steps`: `canary` or `linear`, and `bake` only beside `canary`.
pub(crate) fn canary_or_linear(schema: &mut Schema) {
    schema.insert(
        "oneOf".into(),
        serde_json::json!([
            { "required": ["canary"], "not": { "required": ["linear"] } },
            { "required": ["linear"], "not": { "anyOf": [
                { "required": ["canary"] }, { "required": ["bake"] }
            ] } }
        ]),
    );
}

/// `alb`: one of `listener`, `rule` or `load_balancer` (with `port`, and `priority` for a rule).
pub(crate) fn one_alb_resource(schema: &mut Schema) {
    schema.insert(
        "oneOf".into(),
        serde_json::json!([
            { "required": ["listener"] },
            { "required": ["rule"] },
            { "required": ["load_balancer", "port"] }
        ]),
    );
    schema.insert(
        "dependentRequired".into(),
        serde_json::json!({
            "port": ["load_balancer"],
            "priority": ["port"],
            "load_balancer": ["port"]
        }),
    );
}

/// `metric`: a `max` or a `min`, not both.
pub(crate) fn max_or_min(schema: &mut Schema) {
    schema.insert(
        "oneOf".into(),
        serde_json::json!([{ "required": ["max"] }, { "required": ["min"] }]),
    );
}

/// A VPC Lattice service, listener, rule or target group: its id (`svc-` and 17 lowercase
/// letters or digits), its ARN, or a name (3 to `name_max` lowercase letters, digits and single
/// inner hyphens, never starting with the id prefix).
fn lattice_ref(description: &str, prefix: &str, arn_resource: &str, name_max: u32) -> Schema {
    let id = format!("{prefix}[0-9a-z]{{17}}");
    let arn = format!(
        "arn:aws[a-z-]*:vpc-lattice:[a-z]{{2}}(-[a-z]+)+-[0-9]+:[0-9]{{12}}:{arn_resource}"
    );
    let name = format!("(?!{prefix})(?=[a-z0-9-]{{3,{name_max}}}\\s*$)[a-z0-9]+(-[a-z0-9]+)*");
    schemars::json_schema!({
        "description": description,
        "type": ["string", "null"],
        "pattern": format!("^\\s*({id}|{arn}|{name})\\s*$"),
    })
}

const SVC: &str = "service/svc-[0-9a-z]{17}";
const LISTENER: &str = "service/svc-[0-9a-z]{17}/listener/listener-[0-9a-z]{17}";

pub(crate) fn lattice_service(_: &mut schemars::SchemaGenerator) -> Schema {
    lattice_ref("The service: name, id (`svc-…`) or ARN.", "svc-", SVC, 40)
}

pub(crate) fn lattice_listener(_: &mut schemars::SchemaGenerator) -> Schema {
    lattice_ref(
        "The listener: name, id (`listener-…`) or ARN; its default action unless `rule` is given.",
        "listener-",
        LISTENER,
        63,
    )
}

pub(crate) fn lattice_rule(_: &mut schemars::SchemaGenerator) -> Schema {
    let arn = format!("{LISTENER}/rule/rule-[0-9a-z]{{17}}");
    lattice_ref(
        "One of the listener's rules: name, id (`rule-…`) or ARN.",
        "rule-",
        &arn,
        63,
    )
}

pub(crate) fn lattice_target_group(_: &mut schemars::SchemaGenerator) -> Schema {
    lattice_ref(
        "A target group: name, id (`tg-…`) or ARN.",
        "tg-",
        "targetgroup/tg-[0-9a-z]{17}",
        128,
    )
}

/// A Lambda version: YAML reads `7` as a number and `"7"` as a string; both mean version 7.
pub(crate) fn version_number(_: &mut schemars::SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "type": ["string", "integer", "null"],
        "pattern": r"^\s*[1-9][0-9]*\s*$",
        "minimum": 1
    })
}

/// `preflight.skip`: names of preflight checks.
pub(crate) fn preflight_skip(_: &mut schemars::SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "type": ["array", "null"],
        "items": {"enum": crate::core::plan::PreflightKind::NAMES}
    })
}

/// A spanned value's schema is the value's.
impl<T: schemars::JsonSchema> schemars::JsonSchema for super::model::Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A bare percent, `{percent, bake}` or `{gate}`; the `Text` variant is an error, so not in the
/// schema.
impl schemars::JsonSchema for super::model::StepItem {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StepItem".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let detailed = generator.subschema_for::<super::model::StepDoc>();
        let wait = nonzero_duration(generator);
        schemars::json_schema!({
            "anyOf": [
                {"type": "number", "minimum": 0.1, "maximum": 100},
                detailed,
                {
                    "type": "object",
                    "description": "A gate: the step before it holds after its bake until an \
                                    operator's `resume` (`approval`), or that much longer (a \
                                    duration).",
                    "properties": {"gate": {"anyOf": [{"const": "approval"}, wait]}},
                    "required": ["gate"],
                    "additionalProperties": false
                },
            ]
        })
    }
}

/// `dimensions: {Name: value}`: CloudWatch allows 30; YAML may read a value as a number.
impl schemars::JsonSchema for super::model::Dimensions {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Dimensions".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            "maxProperties": 30
        })
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
