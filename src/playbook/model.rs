//! The playbook file as written: serde structs, every field optional and spanned so that
//! validation can say both what is missing (pointing at the parent mapping) and where a bad
//! value is. Unknown fields are errors everywhere. Values that need a friendly message
//! (durations, enums, percentiles) are read as strings and checked in `validate`.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Location, Spanned};
use std::fmt;

use super::schema as js;

/// A value with where it was written. serde-saphyr's `Spanned`, in a type of our own so that the
/// playbook's JSON Schema (`schema.rs`) can describe a spanned field as the value alone.
#[derive(Debug)]
pub(crate) struct Sp<T> {
    pub value: T,
    pub referenced: Location,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Sp {
            value: spanned.value,
            referenced: spanned.referenced,
        })
    }
}

/// A canary-deploy playbook: the route whose traffic moves, the steps, and the checks that
/// judge each step. Reference: docs/playbook.md.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "canary-deploy playbook")]
pub(crate) struct PlaybookDoc {
    /// The playbook format; 1 is the only one this release reads.
    #[schemars(extend("enum" = [1, null]))]
    pub version: Option<Sp<i64>>,
    /// Names the deployment and its saved state: 1–64 letters, digits, `-` and `_`.
    #[schemars(required, regex(pattern = r"^\s*[A-Za-z0-9_-]{1,64}\s*$"))]
    pub name: Option<Sp<String>>,
    /// Where the traffic is shifted: exactly one of `alb`, `lattice` or `lambda_alias`.
    #[schemars(required)]
    pub route: Option<Sp<RouteDoc>>,
    /// How the canary's share grows: `canary: [percents…]` with `bake`, or `linear`.
    #[schemars(required)]
    pub steps: Option<Sp<StepsDoc>>,
    /// How and how often the checks are judged.
    pub analysis: Option<Sp<AnalysisDoc>>,
    /// What judges each step; each item has one kind and an optional `name`.
    pub checks: Option<Sp<Vec<Sp<CheckDoc>>>>,
    /// What a failed check does: `rollback` (the default) or `pause`.
    #[schemars(extend("enum" = js::or_null(&js::ON_FAILURE)))]
    pub on_failure: Option<Sp<String>>,
    /// When the canary already has traffic: `live` continues from its live weight, `first_step`
    /// resets it to the first step. Left out, `run` refuses and shows the live split.
    #[schemars(extend("enum" = js::or_null(&js::START_FROM)))]
    pub start_from: Option<Sp<String>>,
    /// The checks made before the first write, and which to skip.
    pub preflight: Option<Sp<super::preflight::PreflightDoc>>,
    /// The dead-man's switch: an EventBridge Scheduler schedule that puts all traffic back on
    /// stable if no runner ticks for `analysis.max_gap`.
    pub switch: Option<Sp<super::switch::SwitchDoc>>,
    /// Who is told of each state change: `- sns: <topic ARN>`, `- slack: {url_env: VAR}`,
    /// `- webhook: {url: https://…}`.
    pub notify: Option<Sp<Vec<Sp<super::notify::NotifyDoc>>>>,
    /// What is called around the steps: `pre_step`, `post_step`, `before_promote`,
    /// `after_rollback`, each a list of `- lambda: <function>` or `- https: {url: …}`.
    pub hooks: Option<Sp<super::hooks::HooksDoc>>,
}

impl PlaybookDoc {
    pub fn is_empty(&self) -> bool {
        self.version.is_none()
            && self.name.is_none()
            && self.route.is_none()
            && self.steps.is_none()
            && self.analysis.is_none()
            && self.checks.is_none()
            && self.on_failure.is_none()
            && self.start_from.is_none()
            && self.preflight.is_none()
            && self.switch.is_none()
            && self.notify.is_none()
            && self.hooks.is_none()
    }
}

/// Exactly one backend.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1, "maxProperties" = 1))]
pub(crate) struct RouteDoc {
    /// An Application Load Balancer listener's default action or one of its rules.
    pub alb: Option<Sp<AlbDoc>>,
    /// A VPC Lattice listener's default action or one of its rules.
    pub lattice: Option<Sp<LatticeDoc>>,
    /// A Lambda alias's routing between two versions.
    pub lambda_alias: Option<Sp<LambdaAliasDoc>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LambdaAliasDoc {
    /// The function's name or ARN.
    #[schemars(required, regex(pattern = js::FUNCTION))]
    pub function: Option<Sp<String>>,
    /// The alias whose traffic moves (not `$LATEST`).
    #[schemars(required, regex(pattern = js::ALIAS))]
    pub alias: Option<Sp<String>>,
    /// The published version that receives the canary's share.
    #[schemars(schema_with = "js::version_number")]
    pub canary_version: Option<Sp<String>>,
    /// The version the alias points at; left out, the alias's live version.
    #[serde(default)]
    #[schemars(schema_with = "js::version_number")]
    pub stable_version: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{"required": ["listener"]}, {"required": ["rule"]}]))]
pub(crate) struct LatticeDoc {
    #[serde(default)]
    #[schemars(schema_with = "js::lattice_service")]
    pub service: Option<Sp<String>>,
    #[serde(default)]
    #[schemars(schema_with = "js::lattice_listener")]
    pub listener: Option<Sp<String>>,
    #[serde(default)]
    #[schemars(schema_with = "js::lattice_rule")]
    pub rule: Option<Sp<String>>,
    /// The target group that serves today (`stable`) and the one that receives the canary's
    /// share (`canary`).
    #[schemars(schema_with = "js::lattice_target_group")]
    pub stable: Option<Sp<String>>,
    #[schemars(schema_with = "js::lattice_target_group")]
    pub canary: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = js::one_alb_resource)]
pub(crate) struct AlbDoc {
    /// The listener's ARN: its default action is shifted.
    #[schemars(regex(pattern = js::LISTENER_ARN))]
    pub listener: Option<Sp<String>>,
    /// A rule's ARN: its forward action is shifted.
    #[schemars(regex(pattern = js::RULE_ARN))]
    pub rule: Option<Sp<String>>,
    /// The load balancer's name, with `port` (and `priority` for a rule).
    #[schemars(regex(pattern = js::LOAD_BALANCER_NAME))]
    pub load_balancer: Option<Sp<String>>,
    /// The listener's port, with `load_balancer`.
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<Sp<i64>>,
    /// The rule's priority, with `load_balancer` and `port`.
    #[schemars(range(min = 1, max = 50000))]
    pub priority: Option<Sp<i64>>,
    /// The target group that serves today: name or ARN.
    #[schemars(required, regex(pattern = js::TARGET_GROUP))]
    pub stable: Option<Sp<String>>,
    /// The target group that receives the canary's share: name or ARN.
    #[schemars(required, regex(pattern = js::TARGET_GROUP))]
    pub canary: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = js::canary_or_linear)]
pub(crate) struct StepsDoc {
    /// The canary's percent at each step, increasing; each a number or `{percent, bake}`.
    #[schemars(length(min = 1))]
    pub canary: Option<Sp<Vec<Sp<StepItem>>>>,
    /// How long each step bakes with passing checks before the next (`5m`).
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub bake: Option<Sp<String>>,
    /// Equal steps instead of a list: `{step: 10, every: 5m}`.
    pub linear: Option<Sp<LinearDoc>>,
    /// The largest rise in percent from one step to the next.
    #[schemars(range(min = 0.1, max = 100))]
    pub max_step: Option<Sp<f64>>,
    /// A header test lane before the weighted steps (ALB and VPC Lattice routes): requests
    /// carrying `header: value` go to the canary, judged for `bake`.
    pub header_lane: Option<Sp<super::lane::HeaderLaneDoc>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinearDoc {
    /// The percent added at each step.
    #[schemars(required, range(min = 0.1, max = 100))]
    pub step: Option<Sp<f64>>,
    /// How long each step bakes.
    #[schemars(schema_with = "js::nonzero_duration")]
    pub every: Option<Sp<String>>,
}

/// One entry of `steps.canary`: a bare percent, `{percent, bake}`, or `{gate: ...}` (holding the
/// step before it).
#[derive(Debug)]
pub(crate) enum StepItem {
    Percent(f64),
    Detailed(StepDoc),
    /// A string where a number belongs (`"10%"`): reported by validation with a hint.
    Text(String),
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepDoc {
    /// The canary's percent at this step.
    #[schemars(required, range(min = 0.1, max = 100))]
    pub percent: Option<Sp<f64>>,
    /// This step's bake, in place of `steps.bake`.
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub bake: Option<Sp<String>>,
    /// An entry of its own (`- gate: approval`, `- gate: 10m`): the step before it holds after
    /// its bake until an operator's `resume`, or for that much longer. In the schema as its own
    /// shape (see the schema's `StepItem`).
    #[serde(default)]
    #[schemars(skip)]
    pub gate: Option<Sp<String>>,
}

impl<'de> Deserialize<'de> for StepItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = StepItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a percent such as `10`, `{percent: 10, bake: 5m}`, or a gate such as \
                     `{gate: approval}`",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StepItem, E> {
                Ok(StepItem::Percent(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StepItem, E> {
                Ok(StepItem::Percent(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StepItem, E> {
                Ok(StepItem::Percent(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StepItem, E> {
                Ok(StepItem::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<StepItem, E> {
                Ok(StepItem::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StepItem, A::Error> {
                StepDoc::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(StepItem::Detailed)
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnalysisDoc {
    /// How often a tick reads the metrics (default 30s).
    #[serde(default)]
    #[schemars(schema_with = "js::nonzero_duration")]
    pub interval: Option<Sp<String>>,
    /// The CloudWatch period: 1s, 5s, 10s, 30s or a multiple of 60s (default 60s).
    #[serde(default)]
    #[schemars(schema_with = "js::nonzero_duration")]
    pub period: Option<Sp<String>>,
    /// How far back the threshold judge looks (default 5m).
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub lookback: Option<Sp<String>>,
    /// How long after a write before its traffic is judged (default 30s).
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub settle: Option<Sp<String>>,
    /// How long CloudWatch takes to publish a period completely (default 60s).
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub ingestion_delay: Option<Sp<String>>,
    /// The fewest canary requests a window needs to be judged (default 50).
    #[schemars(range(min = 0))]
    pub min_requests: Option<Sp<i64>>,
    /// What a window without data does: `hold` (the default), `fail` or `pass`.
    #[schemars(extend("enum" = js::or_null(&js::NO_DATA)))]
    pub no_data: Option<Sp<String>>,
    /// How many failing windows make a failure (1–1000, default 1).
    #[schemars(range(min = 1, max = 1000))]
    pub failure_threshold: Option<Sp<i64>>,
    /// The judge: `evidence` (sequential tests on counts, the default) or `threshold`.
    #[schemars(extend("enum" = js::or_null(&js::METHOD)))]
    pub method: Option<Sp<String>>,
    /// How sure a verdict must be, in percent (50–99.9999, default 99).
    #[schemars(range(min = 50, max = 99.9999))]
    pub confidence: Option<Sp<f64>>,
    /// How long an inconclusive step may extend: a multiple of its bake (`3x`, the default) or
    /// a duration.
    #[schemars(regex(pattern = js::MAX_BAKE))]
    pub max_bake: Option<Sp<String>>,
    /// How long no data may last before `no_data` applies.
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub no_data_deadline: Option<Sp<String>>,
    /// How much of the stable's traffic before the first step is its baseline.
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub baseline: Option<Sp<String>>,
    /// With `switch:`, how long the deployment may go without a tick before AWS puts all
    /// traffic back on stable (default 10m; at least four intervals).
    #[serde(default)]
    #[schemars(schema_with = "js::nonzero_duration")]
    pub max_gap: Option<Sp<String>>,
}

/// One item of `checks`: an optional name and exactly one kind key (checked in validation, so
/// that "no kind" and "two kinds" get their own messages).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = js::exactly_one_kind)]
pub(crate) struct CheckDoc {
    /// Names the check in reports: 1–64 letters, digits, `-` and `_`; unique.
    #[schemars(regex(pattern = r"^\s*[A-Za-z0-9_-]{1,64}\s*$"))]
    pub name: Option<Sp<String>>,
    /// The canary's share of 5XX (or function errors) above a limit.
    pub error_rate: Option<Sp<ErrorRateDoc>>,
    /// The canary's requests slower than `max` at a percentile.
    pub latency: Option<Sp<LatencyDoc>>,
    /// The canary's error rate above the stable's by more than a margin.
    pub error_rate_vs_stable: Option<Sp<ErrorRateVsStableDoc>>,
    /// The canary's latency above the stable's.
    pub latency_vs_stable: Option<Sp<LatencyVsStableDoc>>,
    /// A Lambda canary's throttled share of invocations above a limit.
    pub throttles: Option<Sp<ThrottlesDoc>>,
    /// A CloudWatch metric of your own, with a `max` or `min`.
    pub metric: Option<Sp<MetricDoc>>,
    /// CloudWatch alarm names (1–255 characters, no `*` or `?`): any in ALARM fails the step.
    #[schemars(length(min = 1, max = 100), inner(regex(pattern = js::ALARM_NAME)))]
    pub alarms: Option<Sp<Vec<Sp<String>>>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorRateDoc {
    /// The highest error rate the canary may show, in percent.
    #[schemars(required, range(min = 0, max = 100))]
    pub max_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThrottlesDoc {
    /// The highest throttled share the canary may show, in percent.
    #[schemars(required, range(min = 0, max = 100))]
    pub max_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LatencyDoc {
    /// `p99`, `p50`, `p99.9`: a `p` and a number above 0 and below 100.
    #[schemars(required, regex(pattern = js::PERCENTILE))]
    pub percentile: Option<Sp<String>>,
    /// The slowest the canary may be at that percentile (`500ms`).
    #[schemars(schema_with = "js::duration")]
    pub max: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorRateVsStableDoc {
    /// The most the canary's error rate may exceed the stable's, in percentage points.
    #[schemars(required, range(min = 0, max = 100))]
    pub max_delta_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LatencyVsStableDoc {
    /// `p99`, `p50`, `p99.9`: a `p` and a number above 0 and below 100.
    #[schemars(required, regex(pattern = js::PERCENTILE))]
    pub percentile: Option<Sp<String>>,
    /// How many times the stable's latency the canary may be (above 0, at most 100: `1.2`).
    #[schemars(required, extend("exclusiveMinimum" = 0, "maximum" = 100))]
    pub max_ratio: Option<Sp<f64>>,
    /// The latency the counts are taken at; left out, the stable's own percentile.
    #[serde(default)]
    #[schemars(schema_with = "js::duration")]
    pub threshold: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = js::max_or_min)]
pub(crate) struct MetricDoc {
    /// The metric's CloudWatch namespace.
    #[schemars(required)]
    pub namespace: Option<Sp<String>>,
    /// The metric's name.
    #[schemars(required)]
    pub metric: Option<Sp<String>>,
    /// The metric's dimensions, `{Name: value}`.
    pub dimensions: Option<Sp<Dimensions>>,
    /// `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount` or a percentile (`p99`).
    #[schemars(required, regex(pattern = js::STATISTIC))]
    pub statistic: Option<Sp<String>>,
    /// The highest value that passes.
    pub max: Option<Sp<f64>>,
    /// The lowest value that passes.
    pub min: Option<Sp<f64>>,
}

/// `dimensions: {Name: value, ...}` in the order written.
#[derive(Debug, Default)]
pub(crate) struct Dimensions(pub Vec<(Sp<String>, Sp<String>)>);

impl<'de> Deserialize<'de> for Dimensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DimVisitor;
        impl<'de> Visitor<'de> for DimVisitor {
            type Value = Dimensions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of dimension names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dimensions, A::Error> {
                let mut pairs = Vec::new();
                while let Some(key) = map.next_key::<Sp<String>>()? {
                    let value = map.next_value::<Sp<String>>()?;
                    pairs.push((key, value));
                }
                Ok(Dimensions(pairs))
            }
        }
        deserializer.deserialize_map(DimVisitor)
    }
}
