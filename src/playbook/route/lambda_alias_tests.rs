use super::super::route;
use crate::core::plan::{LambdaAliasRoute, Route};
use crate::playbook::test_support::{section, without_hints};

const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:checkout";

fn run(yaml: &str) -> Result<Route, Vec<String>> {
    section(yaml, route).map_err(without_hints)
}

fn lambda(function: &str, stable: Option<&str>) -> Route {
    Route::LambdaAlias(LambdaAliasRoute {
        function: function.into(),
        alias: "live".into(),
        canary_version: "8".into(),
        stable_version: stable.map(str::to_string),
    })
}

#[test]
fn by_name_or_unqualified_arn() {
    assert_eq!(
        run("lambda_alias: {function: checkout, alias: live, canary_version: \"8\"}").unwrap(),
        lambda("checkout", None)
    );
    assert_eq!(
        run(&format!(
            "lambda_alias: {{function: {FUNCTION}, alias: live, canary_version: \"8\", stable_version: \"7\"}}"
        ))
        .unwrap(),
        lambda(FUNCTION, Some("7"))
    );
}

#[test]
fn qualified_functions_are_refused() {
    let e = run(&format!(
        "lambda_alias: {{function: \"{FUNCTION}:live\", alias: live, canary_version: \"8\"}}"
    ))
    .unwrap_err();
    assert!(
        e[0].contains("is a qualified ARN (it names `live`)"),
        "{e:?}"
    );
    let e = run("lambda_alias: {function: \"checkout:live\", alias: live, canary_version: \"8\"}")
        .unwrap_err();
    assert!(e[0].contains("with the qualifier `live`"), "{e:?}");
}

#[test]
fn bad_function_names_and_arns_are_refused() {
    for bad in [
        "check out",
        "arn:aws:s3:::bucket",
        "arn:aws:lambda:us-east-1:1234:function:checkout",
        &"f".repeat(65),
    ] {
        let e = run(&format!(
            "lambda_alias: {{function: \"{bad}\", alias: live, canary_version: \"8\"}}"
        ))
        .unwrap_err();
        assert!(e[0].contains("is not a Lambda function"), "{bad}: {e:?}");
    }
}

#[test]
fn versions_are_published_numbers_and_differ() {
    let e = run("lambda_alias: {function: f, alias: live, canary_version: $LATEST}").unwrap_err();
    assert!(e[0].contains("`canary_version` is $LATEST"), "{e:?}");
    let e =
        run("lambda_alias: {function: f, alias: live, canary_version: \"8\", stable_version: v7}")
            .unwrap_err();
    assert!(
        e[0].contains("`stable_version` is `v7`, not a published version number"),
        "{e:?}"
    );
    let e = run(
        "lambda_alias: {function: f, alias: live, canary_version: \"8\", stable_version: \"8\"}",
    )
    .unwrap_err();
    assert!(e[0].contains("are both version 8"), "{e:?}");
}

#[test]
fn alias_names_follow_aws() {
    for (bad, says) in [
        ("\"12\"", "is a version number"),
        ("\"li ve\"", "is not a Lambda alias name"),
        (&"a".repeat(129), "is not a Lambda alias name"),
    ] {
        let e = run(&format!(
            "lambda_alias: {{function: f, alias: {bad}, canary_version: \"8\"}}"
        ))
        .unwrap_err();
        assert!(e[0].contains(says), "{bad}: {e:?}");
    }
    let e = run("lambda_alias: {function: f}").unwrap_err();
    assert!(e.iter().any(|p| p.contains("needs `alias:`")), "{e:?}");
    assert!(
        e.iter().any(|p| p.contains("needs `canary_version:`")),
        "{e:?}"
    );
}
