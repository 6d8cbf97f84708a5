//! Resolution of a Lambda alias route: by name or ARN, the stable version taken from the alias
//! or pinned, its calls, the identity kept in the record (and the router rebuilt from it), and
//! each refusal.

use super::fixtures::{assert_kind, publish_third, resolve_err, route, router, set_alias, setup};
use canary_deploy::core::plan::LambdaAliasRoute;
use canary_deploy::core::Split;
use canary_deploy::traffic::lambda_alias::LambdaAliasRouter;
use canary_deploy::traffic::Router;

#[tokio::test]
async fn resolves_by_name_with_the_alias_version_as_stable() {
    let (client, log, demo) = setup("lam-resolve").await;
    log.take();
    let router = router(&client, &route(&demo)).await;
    assert_eq!(
        log.take(),
        [
            "GetAlias",
            "GetFunctionConfiguration",
            "GetFunctionConfiguration"
        ]
    );
    let r = router.resolved();
    assert_eq!(r.function_arn, demo.function_arn);
    assert_eq!(r.function_name, demo.function_name);
    assert_eq!(r.alias_arn, demo.alias_arn);
    assert_eq!(
        (r.stable_version.as_str(), r.canary_version.as_str()),
        ("1", "2")
    );
    assert_eq!(r.stable_version, demo.stable_version);
    assert_eq!(
        router.describe(),
        "Lambda alias live of function lam-resolve (stable version 1, canary version 2)"
    );

    let route = router.route();
    assert_eq!(route.as_lambda_alias(), Some(router.resolved()));
    assert_eq!(route.resource_arn(), demo.alias_arn);
    let resources = route.resources();
    assert_eq!(resources[0], ("function", demo.function_arn.clone()));
    assert_eq!(
        resources[2],
        ("stable version", format!("{}:1", demo.function_arn))
    );
    assert_eq!(
        resources[3],
        ("canary version", format!("{}:2", demo.function_arn))
    );
    let rebuilt = LambdaAliasRouter::from_resolved(client.clone(), router.resolved().clone());
    assert_eq!(rebuilt.resolved(), router.resolved());
    assert_eq!(rebuilt.read().await.unwrap(), Split::new(1000, 0));
}

#[tokio::test]
async fn resolves_by_function_arn_and_a_pinned_stable_version_of_a_promoted_alias() {
    let (client, _log, demo) = setup("lam-pinned").await;
    set_alias(&client, &demo, "2", &[]).await;
    let pinned = LambdaAliasRoute {
        function: demo.function_arn.clone(),
        stable_version: Some("1".into()),
        ..route(&demo)
    };
    let router = router(&client, &pinned).await;
    assert_eq!(router.resolved().stable_version, "1");
    assert_eq!(router.read().await.unwrap(), Split::new(0, 1000));

    // Without the pin, the promoted alias's version is the canary's: nothing to roll back to.
    // The router alone cannot tell (the record can: see the CLI's resolution).
    let err = resolve_err(&client, route(&demo)).await;
    assert_kind(&err, "StableUnknown");
    assert_eq!(
        err.to_string(),
        format!(
            "Lambda alias {} already serves the canary version 2, and the playbook does not say \
             which version is stable: set stable_version in the playbook to the version to roll \
             back to",
            demo.alias_arn
        )
    );
}

#[tokio::test]
async fn missing_function_alias_or_version_is_not_found() {
    let (client, _log, demo) = setup("lam-missing").await;
    let cases = [
        LambdaAliasRoute {
            function: "lam-missing-nope".into(),
            ..route(&demo)
        },
        LambdaAliasRoute {
            alias: "nope".into(),
            ..route(&demo)
        },
        LambdaAliasRoute {
            canary_version: "9".into(),
            ..route(&demo)
        },
        LambdaAliasRoute {
            stable_version: Some("8".into()),
            ..route(&demo)
        },
    ];
    for case in cases {
        let err = resolve_err(&client, case.clone()).await;
        assert_kind(&err, "NotFound");
        assert!(
            err.to_string().ends_with(
                "not found: check the name or ARN in the playbook, and the account and region \
                 in use"
            ),
            "{case:?}: {err}"
        );
    }
    let err = resolve_err(
        &client,
        LambdaAliasRoute {
            canary_version: "9".into(),
            ..route(&demo)
        },
    )
    .await;
    assert!(
        err.to_string().starts_with(&format!(
            "version 9 of Lambda function {} not found",
            demo.function_arn
        )),
        "{err}"
    );
}

#[tokio::test]
async fn latest_and_equal_versions_are_refused() {
    let (client, log, demo) = setup("lam-versions").await;
    let latest = resolve_err(
        &client,
        LambdaAliasRoute {
            canary_version: "$LATEST".into(),
            ..route(&demo)
        },
    )
    .await;
    assert_kind(&latest, "Ambiguous");
    assert!(latest.to_string().contains("never $LATEST"), "{latest}");
    log.take();
    let same = resolve_err(
        &client,
        LambdaAliasRoute {
            stable_version: Some("2".into()),
            ..route(&demo)
        },
    )
    .await;
    assert!(
        same.to_string()
            .contains("stable_version and canary_version must differ"),
        "{same}"
    );
    assert_eq!(
        log.take(),
        ["GetAlias"],
        "refused before the versions are read"
    );
}

#[tokio::test]
async fn a_third_extra_version_is_refused_naming_it() {
    let (client, _log, demo) = setup("lam-third").await;
    let third = publish_third(&client, &demo).await;
    set_alias(&client, &demo, "1", &[(&third, 0.25)]).await;
    let err = resolve_err(&client, route(&demo)).await;
    assert_kind(&err, "Ambiguous");
    assert_eq!(
        err.to_string(),
        format!(
            "ambiguous route: Lambda alias {} routes 25% of its invocations to version 3, which \
             is not the canary version 2: an alias routes to one extra version only; finish or \
             undo that shift first (clear the alias's routing config)",
            demo.alias_arn
        )
    );
}

#[tokio::test]
async fn an_alias_serving_another_version_than_the_pinned_stable_is_refused() {
    let (client, _log, demo) = setup("lam-other").await;
    let third = publish_third(&client, &demo).await;
    set_alias(&client, &demo, &third, &[]).await;
    let err = resolve_err(
        &client,
        LambdaAliasRoute {
            stable_version: Some("1".into()),
            ..route(&demo)
        },
    )
    .await;
    assert!(
        err.to_string()
            .contains("serves version 3, which is neither the stable version 1"),
        "{err}"
    );
}
