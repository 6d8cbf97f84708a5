//! A change that lands between the router's read and its UpdateAlias: the alias's RevisionId
//! (sent with the update) makes AWS refuse it, and the write reports the live split.
//!
//! The other writer is an SDK interceptor on the router's client that, just before the
//! router's UpdateAlias is sent, updates the alias itself with a plain HTTP request (blocking,
//! as interceptors are synchronous), exactly the race a RevisionId exists for.

use super::fixtures::{alias_state, route, router, setup};
use crate::emulator::{endpoint, sdk_config, DemoLambda};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use canary_deploy::aws::{operation_name, CallLog};
use canary_deploy::core::Split;
use canary_deploy::traffic::lambda_alias::LambdaAliasRouter;
use canary_deploy::traffic::{Router, TrafficError};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Before the first UpdateAlias of its client, sets the alias to `body` over plain HTTP.
#[derive(Debug)]
struct OtherWriter {
    path: String,
    body: String,
    done: Arc<AtomicBool>,
}

impl Intercept for OtherWriter {
    fn name(&self) -> &'static str {
        "OtherWriter"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let update = operation_name(cfg) == Some("UpdateAlias");
        if update && !self.done.swap(true, Ordering::SeqCst) {
            let status = put(&self.path, &self.body);
            assert!(
                status.contains(" 200 "),
                "the other writer's update: {status}"
            );
        }
        Ok(())
    }
}

/// A signed-looking PUT to the emulator (which reads the service and region from the
/// credential scope and checks no signature); the status line of the answer.
fn put(path: &str, body: &str) -> String {
    let host = endpoint().trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect to the emulator");
    let request = format!(
        "PUT {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/lambda/\
         aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer.lines().next().unwrap_or_default().to_string()
}

async fn racing_router(
    demo: &DemoLambda,
    resolved: &LambdaAliasRouter,
) -> (LambdaAliasRouter, CallLog) {
    let calls = CallLog::default();
    let writer = OtherWriter {
        path: format!(
            "/2015-03-31/functions/{}/aliases/{}",
            demo.function_name, demo.alias
        ),
        body: r#"{"FunctionVersion":"1","RoutingConfig":{"AdditionalVersionWeights":{"2":0.6}}}"#
            .to_string(),
        done: Arc::new(AtomicBool::new(false)),
    };
    let config = aws_sdk_lambda::config::Builder::from(&sdk_config().await)
        .interceptor(calls.clone())
        .interceptor(writer)
        .build();
    let client = aws_sdk_lambda::Client::from_conf(config);
    let router = LambdaAliasRouter::from_resolved(client, resolved.resolved().clone());
    (router, calls)
}

#[tokio::test]
async fn a_change_between_read_and_update_is_a_conflict_with_the_live_split() {
    let (client, _log, demo) = setup("lam-revision").await;
    let plain = router(&client, &route(&demo)).await;
    plain
        .write(Some(Split::new(1000, 0)), Split::new(700, 300))
        .await
        .unwrap();

    let (racing, calls) = racing_router(&demo, &plain).await;
    let err = racing
        .write(Some(Split::new(700, 300)), Split::new(900, 100))
        .await
        .unwrap_err();
    match err {
        TrafficError::Conflict { expected, live } => {
            assert_eq!(
                (expected, live),
                (Split::new(700, 300), Split::new(400, 600))
            );
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(
        calls.take(),
        ["GetAlias", "UpdateAlias", "GetAlias"],
        "read, the refused update, the re-read that names the live split"
    );
    let (version, weights) = alias_state(&client, &demo).await;
    assert_eq!(
        (version.as_str(), weights["2"]),
        ("1", 0.6),
        "the other writer's change stays"
    );
}
