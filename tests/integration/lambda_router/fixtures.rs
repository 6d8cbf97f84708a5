//! Shared fixtures of the Lambda alias router tests: a logging client on a fresh demo function
//! (versions 1 and 2, alias `live` on 1), routes, resolved routers, and the alias as the
//! emulator describes it.

use crate::emulator::{demo_lambda, sdk_config, DemoLambda};
pub(super) use crate::traffic_errors::assert_kind;
use aws_sdk_lambda::operation::get_alias::GetAliasOutput;
use aws_sdk_lambda::types::AliasRoutingConfiguration;
use aws_sdk_lambda::Client;
use canary_deploy::aws::{CallLog, Clients};
use canary_deploy::core::plan::LambdaAliasRoute;
use canary_deploy::traffic::lambda_alias::LambdaAliasRouter;
use canary_deploy::traffic::TrafficError;
use std::collections::HashMap;

/// A client that logs its calls, and a fresh demo function (see [`demo_lambda`]).
pub(super) async fn setup(prefix: &str) -> (Client, CallLog, DemoLambda) {
    let clients = Clients::new(&sdk_config().await);
    let demo = demo_lambda(prefix).await;
    (clients.lambda, clients.calls, demo)
}

/// The demo alias by function name, canary version 2, stable taken from the alias.
pub(super) fn route(demo: &DemoLambda) -> LambdaAliasRoute {
    LambdaAliasRoute {
        function: demo.function_name.clone(),
        alias: demo.alias.clone(),
        canary_version: demo.canary_version.clone(),
        stable_version: None,
    }
}

pub(super) async fn router(client: &Client, route: &LambdaAliasRoute) -> LambdaAliasRouter {
    LambdaAliasRouter::resolve(client.clone(), route)
        .await
        .unwrap_or_else(|e| panic!("resolve {route:?}: {e}"))
}

pub(super) async fn resolve_err(client: &Client, route: LambdaAliasRoute) -> TrafficError {
    match LambdaAliasRouter::resolve(client.clone(), &route).await {
        Ok(router) => panic!("{route:?} resolved to {:?}", router.resolved()),
        Err(e) => e,
    }
}

pub(super) async fn get_alias(client: &Client, demo: &DemoLambda) -> GetAliasOutput {
    client
        .get_alias()
        .function_name(&demo.function_name)
        .name(&demo.alias)
        .send()
        .await
        .expect("get alias")
}

/// The alias's FunctionVersion and extra version weights.
pub(super) async fn alias_state(
    client: &Client,
    demo: &DemoLambda,
) -> (String, HashMap<String, f64>) {
    let out = get_alias(client, demo).await;
    let weights = out
        .routing_config()
        .and_then(|r| r.additional_version_weights())
        .cloned()
        .unwrap_or_default();
    (out.function_version().unwrap().to_string(), weights)
}

/// Asserts that the alias serves `version` alone: no extra version weights.
pub(super) async fn assert_serves_only(client: &Client, demo: &DemoLambda, version: &str) {
    let (serves, weights) = alias_state(client, demo).await;
    assert_eq!(serves, version);
    assert!(weights.is_empty(), "{weights:?}");
}

/// Sets the alias by hand (as an operator would), without a RevisionId.
pub(super) async fn set_alias(
    client: &Client,
    demo: &DemoLambda,
    version: &str,
    weights: &[(&str, f64)],
) {
    let weights = weights.iter().map(|(v, w)| (v.to_string(), *w)).collect();
    client
        .update_alias()
        .function_name(&demo.function_name)
        .name(&demo.alias)
        .function_version(version)
        .routing_config(
            AliasRoutingConfiguration::builder()
                .set_additional_version_weights(Some(weights))
                .build(),
        )
        .send()
        .await
        .expect("update alias");
}

/// Publishes a third version (a configuration change first, so there is something new).
pub(super) async fn publish_third(client: &Client, demo: &DemoLambda) -> String {
    client
        .update_function_configuration()
        .function_name(&demo.function_name)
        .timeout(9)
        .send()
        .await
        .expect("update configuration");
    let out = client
        .publish_version()
        .function_name(&demo.function_name)
        .send()
        .await
        .expect("publish version");
    out.version().unwrap().to_string()
}
