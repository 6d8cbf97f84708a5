//! Resolution of the playbook's Lattice route (names, ids or ARNs) to verified ids and ARNs,
//! once at start, so that a route that cannot work fails before the first step rather than at it.
//!
//! Each part the playbook writes is looked up once: by id or ARN with its Get, by name with its
//! List (every page). A part the playbook leaves out is read off an ARN it gives (a rule ARN
//! names its listener and service) and is checked by the Get of that ARN. Then: the listener must
//! belong to the service and the rule to the listener (WrongParent), the rule's or listener's
//! action must be a forward (NoForwardAction) that includes the stable target group
//! (StableNotRouted). A listener's default rule, given as a rule, is handled as the listener's
//! default action (UpdateRule refuses it; UpdateListener is how it changes).

use super::arn::{self, ServicePath};
use super::forward;
use super::lookup::{self, Found};
use super::resolved::{LatticeResource, ResolvedLattice};
use crate::core::plan::{LatticeRef, LatticeRoute};
use crate::traffic::TrafficError;
use aws_sdk_vpclattice::types::{RuleAction, TargetGroupSummary};
use aws_sdk_vpclattice::Client;

/// Resolves and verifies `route`.
pub(super) async fn resolve(
    client: &Client,
    route: &LatticeRoute,
) -> Result<ResolvedLattice, TrafficError> {
    let listener_path = parsed(
        route.listener.as_ref(),
        "listener",
        ServicePath::is_listener,
    )?;
    let rule_path = parsed(route.rule.as_ref(), "rule", ServicePath::is_rule)?;

    let service = match (&route.service, rule_path.or(listener_path)) {
        (Some(reference), _) => service(client, reference).await?,
        (None, Some(path)) => LatticeResource {
            id: path.service_id.to_string(),
            arn: path.service_arn(),
            name: None,
        },
        (None, None) => return Err(missing("service", "the listener or the rule")),
    };

    let mut action = None;
    let listener = match (&route.listener, rule_path) {
        (Some(LatticeRef::Name(name)), _) => {
            let shown = format!("listener \"{name}\" of service {}", service.label());
            let found = lookup::list_listeners(client, &service.id, &shown).await?;
            lookup::one_named(found, name, &shown, "ListListeners", true)?
        }
        (Some(reference), _) => {
            let id = listener_path
                .and_then(|p| p.listener_id)
                .unwrap_or(reference.as_str());
            if let Some(path) = listener_path {
                belongs("listener", reference.as_str(), &service, path.service_id)?;
            }
            let shown = format!(
                "listener {} of service {}",
                reference.as_str(),
                service.label()
            );
            let out = lookup::get_listener(client, &service.id, id, &shown).await?;
            if let Some(owner) = out.service_id.as_deref() {
                belongs("listener", reference.as_str(), &service, owner)?;
            }
            action = Some(out.default_action.clone());
            Found {
                name: out.name,
                id: out.id,
                arn: out.arn,
            }
            .resource("GetListener", &shown)?
        }
        (None, Some(path)) => LatticeResource {
            id: path.listener_id.unwrap_or_default().to_string(),
            arn: path.listener_arn().unwrap_or_default(),
            name: None,
        },
        (None, None) => return Err(missing("listener", "the rule")),
    };

    let rule = match &route.rule {
        None => None,
        Some(reference) => {
            let (rule, rule_action) =
                rule(client, reference, rule_path, &service, &listener).await?;
            action = Some(rule_action);
            rule
        }
    };
    let action = match action {
        Some(action) => action,
        None => {
            let shown = format!("listener {} of service {}", listener.arn, service.label());
            let out = lookup::get_listener(client, &service.id, &listener.id, &shown).await?;
            out.default_action
        }
    };

    let (stable, canary) = target_groups(client, &route.stable, &route.canary).await?;
    if stable.id == canary.id {
        return Err(TrafficError::Ambiguous {
            what: format!(
                "stable and canary are the same target group {}: give the canary its own \
                 target group",
                stable.id
            ),
        });
    }
    let resolved = ResolvedLattice {
        service,
        listener,
        rule,
        stable,
        canary,
    };
    forward::check_stable_routed(action.as_ref(), &resolved.stable, &resolved.resource())?;
    Ok(resolved)
}

/// The rule (None for the listener's default rule) and its action: GetRule, after ListRules
/// when it is named by name.
async fn rule(
    client: &Client,
    reference: &LatticeRef,
    path: Option<ServicePath<'_>>,
    service: &LatticeResource,
    listener: &LatticeResource,
) -> Result<(Option<LatticeResource>, Option<RuleAction>), TrafficError> {
    let written = reference.as_str();
    let parent = format!(
        "listener {} of service {}",
        listener.label(),
        service.label()
    );
    let id = match (reference, path) {
        (LatticeRef::Name(name), _) => {
            let shown = format!("rule \"{name}\" of {parent}");
            let found = lookup::list_rules(client, &service.id, &listener.id, &shown).await?;
            lookup::one_named(found, name, &shown, "ListRules", true)?.id
        }
        (_, Some(path)) => {
            belongs("rule", written, service, path.service_id)?;
            belongs_to_listener(written, listener, path.listener_id)?;
            path.rule_id.unwrap_or(written).to_string()
        }
        _ => written.to_string(),
    };
    let shown = format!("rule {written} of {parent}");
    let out = lookup::get_rule(client, &service.id, &listener.id, &id, &shown).await?;
    if let Some(path) = out.arn.as_deref().and_then(ServicePath::parse) {
        belongs("rule", written, service, path.service_id)?;
        belongs_to_listener(written, listener, path.listener_id)?;
    }
    let action = out.action.clone();
    if out.is_default == Some(true) {
        return Ok((None, action));
    }
    let found = Found {
        name: out.name,
        id: out.id,
        arn: out.arn,
    };
    Ok((Some(found.resource("GetRule", &shown)?), action))
}

async fn service(client: &Client, reference: &LatticeRef) -> Result<LatticeResource, TrafficError> {
    match reference {
        LatticeRef::Name(name) => {
            let shown = format!("service \"{name}\"");
            let found = lookup::list_services(client, &shown).await?;
            lookup::one_named(found, name, &shown, "ListServices", false)
        }
        LatticeRef::Id(id) => lookup::get_service(client, id, &format!("service {id}")).await,
        LatticeRef::Arn(service_arn) => {
            let service_arn = service_arn.as_str();
            let path = ServicePath::parse(service_arn)
                .filter(ServicePath::is_service)
                .ok_or_else(|| not_an_arn("service", service_arn))?;
            lookup::get_service(client, path.service_id, &format!("service {service_arn}")).await
        }
    }
}

/// Both target groups: one ListTargetGroups walk for those named by name, GetTargetGroup for
/// the others.
async fn target_groups(
    client: &Client,
    stable: &LatticeRef,
    canary: &LatticeRef,
) -> Result<(LatticeResource, LatticeResource), TrafficError> {
    let by_name = |r: &LatticeRef| matches!(r, LatticeRef::Name(_));
    let listed = if by_name(stable) || by_name(canary) {
        lookup::list_target_groups(client, "target groups").await?
    } else {
        Vec::new()
    };
    Ok((
        target_group(client, stable, "stable", &listed).await?,
        target_group(client, canary, "canary", &listed).await?,
    ))
}

async fn target_group(
    client: &Client,
    reference: &LatticeRef,
    role: &str,
    listed: &[TargetGroupSummary],
) -> Result<LatticeResource, TrafficError> {
    match reference {
        LatticeRef::Name(name) => {
            let shown = format!("{role} target group \"{name}\"");
            let found = listed.iter().map(lookup::found_target_group).collect();
            lookup::one_named(found, name, &shown, "ListTargetGroups", false)
        }
        LatticeRef::Id(id) => {
            let shown = format!("{role} target group {id}");
            lookup::get_target_group(client, id, &shown).await
        }
        LatticeRef::Arn(tg_arn) => {
            let tg_arn = tg_arn.as_str();
            let id = arn::target_group_id(tg_arn)
                .ok_or_else(|| not_an_arn(&format!("{role} target group"), tg_arn))?;
            let shown = format!("{role} target group {tg_arn}");
            lookup::get_target_group(client, id, &shown).await
        }
    }
}

/// The parsed ARN of a listener or rule written as an ARN; NotFound when it is not one.
fn parsed<'a>(
    reference: Option<&'a LatticeRef>,
    kind: &str,
    is_kind: fn(&ServicePath<'a>) -> bool,
) -> Result<Option<ServicePath<'a>>, TrafficError> {
    match reference {
        Some(LatticeRef::Arn(value)) => ServicePath::parse(value.as_str())
            .filter(is_kind)
            .map(Some)
            .ok_or_else(|| not_an_arn(kind, value.as_str())),
        _ => Ok(None),
    }
}

/// A `kind` written as `written` must belong to `service` (its owner is `owner`).
fn belongs(
    kind: &str,
    written: &str,
    service: &LatticeResource,
    owner: &str,
) -> Result<(), TrafficError> {
    if owner == service.id || owner == service.arn {
        return Ok(());
    }
    Err(TrafficError::WrongParent {
        what: format!("{kind} {written}"),
        parent: format!("service {}", service.label_with_id()),
        belongs_to: format!("service {owner}"),
    })
}

fn belongs_to_listener(
    written: &str,
    listener: &LatticeResource,
    owner: Option<&str>,
) -> Result<(), TrafficError> {
    match owner {
        Some(owner) if owner != listener.id => Err(TrafficError::WrongParent {
            what: format!("rule {written}"),
            parent: format!("listener {}", listener.label_with_id()),
            belongs_to: format!("listener {owner}"),
        }),
        _ => Ok(()),
    }
}

fn not_an_arn(kind: &str, value: &str) -> TrafficError {
    TrafficError::NotFound {
        what: format!("{kind} \"{value}\" (not a VPC Lattice {kind} ARN)"),
    }
}

/// A route without `part` and without an ARN of `from` to read it off (validation prevents it).
fn missing(part: &str, from: &str) -> TrafficError {
    TrafficError::Ambiguous {
        what: format!("the route names no {part}: name it, or give {from} as an ARN"),
    }
}
