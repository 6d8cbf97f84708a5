//! `lambda-alias-versions` on a Lambda alias route: versions 1 and 2 of the fixture share its
//! execution role and pass, naming it; a version published after the function's role was
//! changed (UpdateFunctionConfiguration, then PublishVersion, as one would by mistake) fails
//! `plan` with both roles and how to publish the canary again; so does an Inactive canary
//! (published with the emulator's `x-canary-emulator-version-state` header), with what
//! GetFunctionConfiguration shows.

use super::{clients, command, line, plan_fails, REST};
use crate::emulator::{demo_lambda, DemoLambda};
use crate::route_fixture::RouteFixture;
use canary_deploy::aws::Clients;

/// The execution role of `function` at `version`, as GetFunctionConfiguration reports it.
async fn role_of(clients: &Clients, function: &str, version: &str) -> String {
    let out = clients
        .lambda
        .get_function_configuration()
        .function_name(function)
        .qualifier(version)
        .send()
        .await
        .expect("read the version's configuration");
    out.role().expect("a role").to_string()
}

#[tokio::test]
async fn versions_with_one_role_pass_and_a_canary_with_another_role_fails() {
    let demo = demo_lambda("pf-alias-roles").await;
    let clients = clients().await;
    let role = role_of(&clients, &demo.function_arn, &demo.stable_version).await;

    let ran = command("plan", &demo.playbook("pf-alias-roles", REST), &[]);
    assert_eq!(ran.code(), Some(0), "{}\n{}", ran.stdout(), ran.stderr());
    assert_eq!(
        line(&ran.stdout(), "PASS", "lambda-alias-versions"),
        format!(
            "  PASS lambda-alias-versions: stable version {} and canary version {} are Active, \
             with the same execution role {role} and dead-letter queue none",
            demo.stable_version, demo.canary_version
        )
    );

    // Another role that exists in IAM (the emulator, like AWS, checks): the execution role of
    // a second fixture function.
    let other = demo_lambda("pf-alias-roles-other").await;
    let other_role = role_of(&clients, &other.function_arn, &other.stable_version).await;
    assert_ne!(role, other_role);
    clients
        .lambda
        .update_function_configuration()
        .function_name(&demo.function_name)
        .role(&other_role)
        .send()
        .await
        .expect("change the function's role");
    let published = clients
        .lambda
        .publish_version()
        .function_name(&demo.function_name)
        .send()
        .await
        .expect("publish a version with the other role");
    let version = published.version().expect("a version number").to_string();
    assert_eq!(
        role_of(&clients, &demo.function_arn, &version).await,
        other_role
    );

    let canary = DemoLambda {
        canary_version: version.clone(),
        ..demo.clone()
    };
    let function = &demo.function_arn;
    assert_eq!(
        plan_fails(&canary, "pf-alias-roles", "lambda-alias-versions"),
        format!(
            "  FAIL lambda-alias-versions: stable version {} runs with execution role {role}, \
             canary version {version} with {other_role}: an alias routes only between versions \
             with the same execution role; publish the canary from code with the stable \
             version's role, or update the role (`aws lambda update-function-configuration \
             --function-name {function} --role {role}`) and publish again (`aws lambda \
             publish-version --function-name {function}`), and name that version as \
             `canary_version`",
            demo.stable_version
        )
    );
}

/// Publishes a new version of `demo`'s function that reports `state` (the emulator's header,
/// `STATE;REASON_CODE;REASON`), and returns its number.
async fn publish_in_state(clients: &Clients, demo: &DemoLambda, state: &'static str) -> String {
    clients
        .lambda
        .update_function_configuration()
        .function_name(&demo.function_name)
        .description("a third version")
        .send()
        .await
        .expect("change the function");
    let published = clients
        .lambda
        .publish_version()
        .function_name(&demo.function_name)
        .customize()
        .mutate_request(move |request| {
            request
                .headers_mut()
                .insert("x-canary-emulator-version-state", state);
        })
        .send()
        .await
        .expect("publish a version");
    published.version().expect("a version number").to_string()
}

#[tokio::test]
async fn an_inactive_canary_fails_with_what_aws_shows_and_how_to_reactivate_it() {
    let demo = demo_lambda("pf-alias-inactive").await;
    let clients = clients().await;
    let version = publish_in_state(&clients, &demo, "Inactive;Idle;The function is idle").await;
    let canary = DemoLambda {
        canary_version: version.clone(),
        ..demo.clone()
    };
    assert_eq!(
        plan_fails(&canary, "pf-alias-inactive", "lambda-alias-versions"),
        format!(
            "  FAIL lambda-alias-versions: canary version {version} is Inactive, not Active \
             (`aws lambda get-function-configuration --function-name {} --qualifier {version}` \
             shows \"State\": \"Inactive\", StateReasonCode: Idle, StateReason: The function is \
             idle): Lambda reclaimed its resources after it sat idle; invoking it re-activates \
             it (that invocation fails while the version is Pending), so invoke it once and \
             wait until its State is Active",
            demo.function_arn
        )
    );
}
