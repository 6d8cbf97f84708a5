//! The playbook file as written: serde structs, every field optional and spanned so that
//! validation can say both what is missing (pointing at the parent mapping) and where a bad
//! value is. Unknown fields are errors everywhere. Values that need a friendly message
//! (durations, enums, percentiles) are read as strings and checked in `validate`.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;
use std::fmt;

pub(crate) type Sp<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlaybookDoc {
    pub version: Option<Sp<i64>>,
    pub name: Option<Sp<String>>,
    pub route: Option<Sp<RouteDoc>>,
    pub steps: Option<Sp<StepsDoc>>,
    pub analysis: Option<Sp<AnalysisDoc>>,
    pub checks: Option<Sp<Vec<Sp<CheckDoc>>>>,
    pub on_failure: Option<Sp<String>>,
    pub start_from: Option<Sp<String>>,
    pub preflight: Option<Sp<super::preflight::PreflightDoc>>,
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
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RouteDoc {
    pub alb: Option<Sp<AlbDoc>>,
    pub lattice: Option<Sp<LatticeDoc>>,
    pub lambda_alias: Option<Sp<LambdaAliasDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LambdaAliasDoc {
    pub function: Option<Sp<String>>,
    pub alias: Option<Sp<String>>,
    pub canary_version: Option<Sp<String>>,
    pub stable_version: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LatticeDoc {
    pub service: Option<Sp<String>>,
    pub listener: Option<Sp<String>>,
    pub rule: Option<Sp<String>>,
    pub stable: Option<Sp<String>>,
    pub canary: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AlbDoc {
    pub listener: Option<Sp<String>>,
    pub rule: Option<Sp<String>>,
    pub load_balancer: Option<Sp<String>>,
    pub port: Option<Sp<i64>>,
    pub priority: Option<Sp<i64>>,
    pub stable: Option<Sp<String>>,
    pub canary: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepsDoc {
    pub canary: Option<Sp<Vec<Sp<StepItem>>>>,
    pub bake: Option<Sp<String>>,
    pub linear: Option<Sp<LinearDoc>>,
    pub max_step: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinearDoc {
    pub step: Option<Sp<f64>>,
    pub every: Option<Sp<String>>,
}

/// One entry of `steps.canary`: a bare percent, or `{percent, bake}`.
#[derive(Debug)]
pub(crate) enum StepItem {
    Percent(f64),
    Detailed(StepDoc),
    /// A string where a number belongs (`"10%"`): reported by validation with a hint.
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepDoc {
    pub percent: Option<Sp<f64>>,
    pub bake: Option<Sp<String>>,
}

impl<'de> Deserialize<'de> for StepItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = StepItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percent such as `10`, or `{percent: 10, bake: 5m}`")
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnalysisDoc {
    pub interval: Option<Sp<String>>,
    pub period: Option<Sp<String>>,
    pub lookback: Option<Sp<String>>,
    pub settle: Option<Sp<String>>,
    pub ingestion_delay: Option<Sp<String>>,
    pub min_requests: Option<Sp<i64>>,
    pub no_data: Option<Sp<String>>,
    pub failure_threshold: Option<Sp<i64>>,
    pub method: Option<Sp<String>>,
    pub confidence: Option<Sp<f64>>,
    pub max_bake: Option<Sp<String>>,
    pub no_data_deadline: Option<Sp<String>>,
    pub baseline: Option<Sp<String>>,
}

/// One item of `checks`: an optional name and exactly one kind key (checked in validation, so
/// that "no kind" and "two kinds" get their own messages).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckDoc {
    pub name: Option<Sp<String>>,
    pub error_rate: Option<Sp<ErrorRateDoc>>,
    pub latency: Option<Sp<LatencyDoc>>,
    pub error_rate_vs_stable: Option<Sp<ErrorRateVsStableDoc>>,
    pub latency_vs_stable: Option<Sp<LatencyVsStableDoc>>,
    pub throttles: Option<Sp<ThrottlesDoc>>,
    pub metric: Option<Sp<MetricDoc>>,
    pub alarms: Option<Sp<Vec<Sp<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorRateDoc {
    pub max_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThrottlesDoc {
    pub max_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LatencyDoc {
    pub percentile: Option<Sp<String>>,
    pub max: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorRateVsStableDoc {
    pub max_delta_percent: Option<Sp<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LatencyVsStableDoc {
    pub percentile: Option<Sp<String>>,
    pub max_ratio: Option<Sp<f64>>,
    pub threshold: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricDoc {
    pub namespace: Option<Sp<String>>,
    pub metric: Option<Sp<String>>,
    pub dimensions: Option<Sp<Dimensions>>,
    pub statistic: Option<Sp<String>>,
    pub max: Option<Sp<f64>>,
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
