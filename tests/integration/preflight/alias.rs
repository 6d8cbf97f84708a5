//! `provisioned-concurrency` on a Lambda alias route (`warm_starts: true`): the routed alias's
//! own config (GetProvisionedConcurrencyConfig with the alias as qualifier), missing, not READY,
//! then READY; without `warm_starts` it is not asked for. The target group checks do not apply.

use super::{clients, command, line, REST};
use crate::emulator::demo_lambda;
use crate::emulator::DemoLambda;
use crate::route_fixture::RouteFixture;
use canary_deploy::aws::Clients;

const WARM: &str = "preflight:\n  warm_starts: true\n";

/// Puts 2 provisioned executions on the alias, reported with `status` (the emulator's header).
async fn provision(clients: &Clients, demo: &DemoLambda, status: &'static str) {
    clients
        .lambda
        .put_provisioned_concurrency_config()
        .function_name(&demo.function_name)
        .qualifier(&demo.alias)
        .provisioned_concurrent_executions(2)
        .customize()
        .mutate_request(move |request| {
            request
                .headers_mut()
                .insert("x-canary-emulator-provisioned-status", status);
        })
        .send()
        .await
        .expect("put provisioned concurrency");
}

#[tokio::test]
async fn warm_starts_need_the_alias_s_provisioned_concurrency_ready() {
    let demo = demo_lambda("pf-alias-pc").await;
    let clients = clients().await;
    let warm = demo.playbook("pf-alias-pc", &format!("{REST}{WARM}"));

    let ran = command("plan", &warm, &[]);
    assert_eq!(ran.code(), Some(1), "{}\n{}", ran.stdout(), ran.stderr());
    // The route in the alias's own words.
    let route = format!(
        "route (Lambda alias):\n  function: {}\n  alias: {}\n  stable version: {}:{}\n  \
         canary version: {}:{}\n",
        demo.function_arn,
        demo.alias_arn,
        demo.function_arn,
        demo.stable_version,
        demo.function_arn,
        demo.canary_version
    );
    assert!(ran.stdout().contains(&route), "{}", ran.stdout());
    assert_eq!(
        line(&ran.stdout(), "FAIL", "provisioned-concurrency"),
        format!(
            "  FAIL provisioned-concurrency: {} has no provisioned concurrency; run `aws lambda \
             put-provisioned-concurrency-config --function-name {} --qualifier live \
             --provisioned-concurrent-executions N` and wait for READY",
            demo.alias_arn, demo.function_arn
        )
    );
    assert_eq!(
        line(&ran.stdout(), "SKIP", "canary-healthy-targets"),
        "  SKIP canary-healthy-targets: not applicable: the route has no target groups"
    );

    provision(&clients, &demo, "FAILED;no capacity").await;
    let ran = command("plan", &warm, &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stdout());
    assert_eq!(
        line(&ran.stdout(), "FAIL", "provisioned-concurrency"),
        format!(
            "  FAIL provisioned-concurrency: {}: provisioned concurrency is FAILED (no \
             capacity), not READY; wait for it (or remove `warm_starts`)",
            demo.alias_arn
        )
    );

    provision(&clients, &demo, "READY").await;
    let ran = command("plan", &warm, &[]);
    assert_eq!(ran.code(), Some(0), "{}\n{}", ran.stdout(), ran.stderr());
    assert_eq!(
        line(&ran.stdout(), "PASS", "provisioned-concurrency"),
        format!(
            "  PASS provisioned-concurrency: {}: provisioned concurrency READY (2 allocated)",
            demo.alias_arn
        )
    );

    let cold = command("plan", &demo.playbook("pf-alias-pc", REST), &[]);
    assert_eq!(
        line(&cold.stdout(), "SKIP", "provisioned-concurrency"),
        "  SKIP provisioned-concurrency: not asked for (`preflight: { warm_starts: true }` \
         checks it)"
    );
}
