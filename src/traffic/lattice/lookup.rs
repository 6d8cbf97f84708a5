//! The VPC Lattice calls of resolution and of the router: one Get by id, or a List walked over
//! every page (`nextToken`) to find a name.
//!
//! Every lookup names what it looked for, as the playbook wrote it, in its NotFound; a name that
//! matches more than one resource is Ambiguous rather than a guess. Requests carry plain ids
//! (ARNs are parsed to ids first), which every Lattice operation accepts.

use super::resolved::LatticeResource;
use crate::aws::error::service::LATTICE;
use crate::aws::error::ResponseStatus;
use crate::aws::AwsError;
use crate::traffic::{aws_error, TrafficError};
use aws_sdk_vpclattice::operation::get_listener::GetListenerOutput;
use aws_sdk_vpclattice::operation::get_rule::GetRuleOutput;
use aws_sdk_vpclattice::types::TargetGroupSummary;
use aws_sdk_vpclattice::Client;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A resource as a response describes it.
pub(super) struct Found {
    pub name: Option<String>,
    pub id: Option<String>,
    pub arn: Option<String>,
}

impl Found {
    /// The verified resource; the id falls back to the ARN's last part. A response without an
    /// ARN (AWS always sends one) is an error naming `operation`.
    pub fn resource(
        self,
        operation: &'static str,
        shown: &str,
    ) -> Result<LatticeResource, TrafficError> {
        let arn = self.arn.ok_or_else(|| {
            AwsError::unusable(LATTICE, operation, shown, "the response has no arn")
        })?;
        let id = match self.id {
            Some(id) => id,
            None => super::arn::id_of(&arn).unwrap_or(&arn).to_string(),
        };
        Ok(LatticeResource {
            id,
            arn,
            name: self.name,
        })
    }
}

/// `ResourceNotFoundException` is NotFound of `shown`; any other failure is Aws.
pub(super) fn get_error<E, R>(
    operation: &'static str,
    shown: &str,
    err: &SdkError<E, R>,
) -> TrafficError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: ResponseStatus + std::fmt::Debug,
{
    if err.code() == Some("ResourceNotFoundException") {
        TrafficError::NotFound {
            what: shown.to_string(),
        }
    } else {
        aws_error(LATTICE, operation, shown, err)
    }
}

/// The one resource named `name` among `found`, else NotFound or Ambiguous. With `list_others`,
/// the NotFound lists the names there are (for a service's listeners or a listener's rules).
pub(super) fn one_named(
    found: Vec<Found>,
    name: &str,
    shown: &str,
    operation: &'static str,
    list_others: bool,
) -> Result<LatticeResource, TrafficError> {
    let mut others = Vec::new();
    let mut matches = Vec::new();
    for item in found {
        if item.name.as_deref() == Some(name) {
            matches.push(item);
        } else {
            others.extend(item.name.clone());
        }
    }
    match matches.len() {
        1 => matches.remove(0).resource(operation, shown),
        0 if list_others && others.is_empty() => Err(TrafficError::NotFound {
            what: format!("{shown} (there is none)"),
        }),
        0 if list_others => Err(TrafficError::NotFound {
            what: format!("{shown} (there are: {})", others.join(", ")),
        }),
        0 => Err(TrafficError::NotFound {
            what: shown.to_string(),
        }),
        n => Err(TrafficError::Ambiguous {
            what: format!("{n} resources match the {shown}: refer to it by id or ARN"),
        }),
    }
}

pub(super) async fn get_service(
    client: &Client,
    id: &str,
    shown: &str,
) -> Result<LatticeResource, TrafficError> {
    let out = client
        .get_service()
        .service_identifier(id)
        .send()
        .await
        .map_err(|e| get_error("GetService", shown, &e))?;
    let found = Found {
        name: out.name,
        id: out.id,
        arn: out.arn,
    };
    found.resource("GetService", shown)
}

/// ListServices, every page.
pub(super) async fn list_services(
    client: &Client,
    shown: &str,
) -> Result<Vec<Found>, TrafficError> {
    let items = client.list_services().into_paginator().items().send();
    let items: Result<Vec<_>, _> = items.collect().await;
    let items = items.map_err(|e| aws_error(LATTICE, "ListServices", shown, &e))?;
    Ok(items
        .into_iter()
        .map(|s| Found {
            name: s.name,
            id: s.id,
            arn: s.arn,
        })
        .collect())
}

pub(crate) async fn get_listener(
    client: &Client,
    service_id: &str,
    listener_id: &str,
    shown: &str,
) -> Result<GetListenerOutput, TrafficError> {
    client
        .get_listener()
        .service_identifier(service_id)
        .listener_identifier(listener_id)
        .send()
        .await
        .map_err(|e| get_error("GetListener", shown, &e))
}

/// ListListeners of the service, every page.
pub(super) async fn list_listeners(
    client: &Client,
    service_id: &str,
    shown: &str,
) -> Result<Vec<Found>, TrafficError> {
    let items = client
        .list_listeners()
        .service_identifier(service_id)
        .into_paginator()
        .items()
        .send();
    let items: Result<Vec<_>, _> = items.collect().await;
    let items = items.map_err(|e| get_error("ListListeners", shown, &e))?;
    Ok(items
        .into_iter()
        .map(|l| Found {
            name: l.name,
            id: l.id,
            arn: l.arn,
        })
        .collect())
}

pub(crate) async fn get_rule(
    client: &Client,
    service_id: &str,
    listener_id: &str,
    rule_id: &str,
    shown: &str,
) -> Result<GetRuleOutput, TrafficError> {
    client
        .get_rule()
        .service_identifier(service_id)
        .listener_identifier(listener_id)
        .rule_identifier(rule_id)
        .send()
        .await
        .map_err(|e| get_error("GetRule", shown, &e))
}

/// ListRules of the listener, every page.
pub(super) async fn list_rules(
    client: &Client,
    service_id: &str,
    listener_id: &str,
    shown: &str,
) -> Result<Vec<Found>, TrafficError> {
    let items = client
        .list_rules()
        .service_identifier(service_id)
        .listener_identifier(listener_id)
        .into_paginator()
        .items()
        .send();
    let items: Result<Vec<_>, _> = items.collect().await;
    let items = items.map_err(|e| get_error("ListRules", shown, &e))?;
    Ok(items
        .into_iter()
        .map(|r| Found {
            name: r.name,
            id: r.id,
            arn: r.arn,
        })
        .collect())
}

pub(crate) async fn get_target_group(
    client: &Client,
    id: &str,
    shown: &str,
) -> Result<LatticeResource, TrafficError> {
    let out = client
        .get_target_group()
        .target_group_identifier(id)
        .send()
        .await
        .map_err(|e| get_error("GetTargetGroup", shown, &e))?;
    let found = Found {
        name: out.name,
        id: out.id,
        arn: out.arn,
    };
    found.resource("GetTargetGroup", shown)
}

/// ListTargetGroups, every page (once for both target groups named by name).
pub(super) async fn list_target_groups(
    client: &Client,
    shown: &str,
) -> Result<Vec<TargetGroupSummary>, TrafficError> {
    let items = client.list_target_groups().into_paginator().items().send();
    let items: Result<Vec<_>, _> = items.collect().await;
    items.map_err(|e| aws_error(LATTICE, "ListTargetGroups", shown, &e))
}

/// A listed target group as a [`Found`].
pub(super) fn found_target_group(summary: &TargetGroupSummary) -> Found {
    Found {
        name: summary.name.clone(),
        id: summary.id.clone(),
        arn: summary.arn.clone(),
    }
}
