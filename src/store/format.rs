//! The record as every store keeps it: JSON of [`Record`] with its format `version`.
//!
//! [`read_record`] is the one way in, for the file store and the tag store alike: it refuses a
//! record of a newer binary, and converts the one older format there is in exactly one place
//! ([`upgrade_v1`]). Version 1 (canary-deploy up to the route hub) kept the route as four ARNs in
//! an ALB-shaped `RouteIdentity` (`listener_arn`, `rule_arn`, `stable_arn`, `canary_arn`, which
//! a Lambda alias punned as function, alias and versions); version 2 keeps the typed
//! [`ResolvedRoute`] that resolution returns. The fixtures under `tests/fixtures/records-v1/`
//! are records saved by the release that wrote version 1.

use crate::core::record::RECORD_VERSION;
use crate::core::Record;
use crate::traffic::alb::arn as alb_arn;
use crate::traffic::lambda_alias::arn::{is_published_version, FunctionArn};
use crate::traffic::lambda_alias::ResolvedAlias;
use crate::traffic::lattice::arn::{target_group_id, ServicePath};
use crate::traffic::{LatticeResource, ResolvedAlb, ResolvedLattice, ResolvedRoute};
use serde::Deserialize;
use serde_json::Value;

/// Why stored JSON is not a record this binary can use.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not a record (the reason).
    Corrupt(String),
    /// A record of a newer format (its version).
    TooNew(u32),
}

/// The record in `json`, in this binary's format.
pub fn read_record(json: &[u8]) -> Result<Record, ReadError> {
    let mut value: Value =
        serde_json::from_slice(json).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > u64::from(RECORD_VERSION) {
        return Err(ReadError::TooNew(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    if version == 1 {
        upgrade_v1(&mut value).map_err(ReadError::Corrupt)?;
    }
    serde_json::from_value(value).map_err(|e| ReadError::Corrupt(e.to_string()))
}

/// The route as version 1 kept it.
#[derive(Deserialize)]
struct RouteV1 {
    backend: BackendV1,
    listener_arn: String,
    rule_arn: Option<String>,
    stable_arn: String,
    canary_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BackendV1 {
    Alb,
    Lattice,
    LambdaAlias,
}

/// A version 1 record's JSON made a version 2 record's: its route read into the typed route
/// (a record without a route keeps none). What version 1 did not keep is left as resolution
/// would find it on a route of that shape: names unknown, and ALB target groups taken as not
/// of Lambda type, which only the metrics read (a runner resolves the route again, and the
/// on-call commands read no metrics).
fn upgrade_v1(value: &mut Value) -> Result<(), String> {
    let Some(object) = value.as_object_mut() else {
        return Err("not a JSON object".to_string());
    };
    if let Some(old) = object.get("route").filter(|route| !route.is_null()) {
        let old = RouteV1::deserialize(old)
            .map_err(|e| format!("its route (record format 1) is unreadable: {e}"))?;
        let shown = old
            .rule_arn
            .clone()
            .unwrap_or_else(|| old.listener_arn.clone());
        let route = route_of_v1(old).ok_or_else(|| {
            format!("its route (record format 1) names resources that do not fit together: {shown}")
        })?;
        let route = serde_json::to_value(route).map_err(|e| e.to_string())?;
        object.insert("route".to_string(), route);
    }
    object.insert("version".to_string(), Value::from(RECORD_VERSION));
    Ok(())
}

/// The typed route of a version 1 route; `None` when its ARNs are not of its backend.
fn route_of_v1(old: RouteV1) -> Option<ResolvedRoute> {
    match old.backend {
        BackendV1::Alb => Some(ResolvedRoute::Alb(ResolvedAlb {
            load_balancer_arn: alb_arn::load_balancer_arn(&old.listener_arn)?,
            listener_arn: old.listener_arn,
            rule_arn: old.rule_arn,
            stable_arn: old.stable_arn,
            canary_arn: old.canary_arn,
            stable_is_lambda: false,
            canary_is_lambda: false,
        })),
        BackendV1::Lattice => {
            let resource = |arn: &str, id: Option<&str>| {
                Some(LatticeResource {
                    id: id?.to_string(),
                    arn: arn.to_string(),
                    name: None,
                })
            };
            let path = ServicePath::parse(&old.listener_arn).filter(ServicePath::is_listener)?;
            let rule = match &old.rule_arn {
                Some(arn) => Some(resource(arn, ServicePath::parse(arn)?.rule_id)?),
                None => None,
            };
            Some(ResolvedRoute::Lattice(Box::new(ResolvedLattice {
                service: resource(&path.service_arn(), Some(path.service_id))?,
                listener: resource(&old.listener_arn, path.listener_id)?,
                rule,
                stable: resource(&old.stable_arn, target_group_id(&old.stable_arn))?,
                canary: resource(&old.canary_arn, target_group_id(&old.canary_arn))?,
            })))
        }
        BackendV1::LambdaAlias => {
            let alias_arn = old.rule_arn?;
            let alias = FunctionArn::parse(&alias_arn)
                .filter(|alias| alias.unqualified == old.listener_arn)?;
            let version = |qualified: &str| {
                FunctionArn::parse(qualified)
                    .filter(|v| v.unqualified == old.listener_arn)
                    .and_then(|v| v.qualifier)
                    .filter(|v| is_published_version(v))
                    .map(str::to_string)
            };
            Some(ResolvedRoute::LambdaAlias(ResolvedAlias {
                function_arn: alias.unqualified.to_string(),
                function_name: alias.name.to_string(),
                alias: alias.qualifier?.to_string(),
                stable_version: version(&old.stable_arn)?,
                canary_version: version(&old.canary_arn)?,
                alias_arn,
            }))
        }
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "format_props.rs"]
mod props;
