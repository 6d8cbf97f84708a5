//! Lambda failures that a 5XX count never shows, each rolling a canary back on simulated time:
//! a Lambda alias whose canary version is throttled (the alias's `Throttles`, judged by the
//! `throttles` check), and an ALB target group of Lambda functions whose invocations fail
//! (`LambdaUserError`, summed into the error rate) while `HTTPCode_Target_5XX_Count` stays 0.

use crate::route_fixture::Backend;
use crate::scenario::{playbook, steps_started, Scenario, ANALYSIS};
use aws_sdk_cloudwatch::types::{Dimension, Statistic};
use canary_deploy::core::{Phase, Record, Share};
use canary_deploy::metrics::templates::{ALB_NAMESPACE, LAMBDA_USER_ERROR, TARGET_5XX_COUNT};
use canary_deploy::simulator::{Failure, TargetProfile};
use canary_deploy::traffic::RouteRouter;
use std::time::{Duration, UNIX_EPOCH};

fn rolled_back_why(record: &Record) -> &str {
    match &record.phase {
        Phase::RolledBack { why, .. } => why,
        other => panic!("expected rolled back, got {other:?}"),
    }
}

#[tokio::test]
async fn a_throttled_lambda_canary_is_rolled_back_on_throttles() {
    let checks = "checks:\n  - throttles: { max_percent: 1 }\n  - error_rate: { max_percent: 1 }\n";
    let mut s = Scenario::new(Backend::LambdaAlias, "throttled", |route| {
        playbook(route, "throttled", &format!("{ANALYSIS}{checks}"))
    })
    .await;
    // Half the canary's requests are throttled: 30 of the first step's 60, 5 % of the alias.
    s.canary = TargetProfile {
        error_rate: 0.5,
        failure: Failure::Throttle,
        ..s.canary
    };
    let record = s.run(20).await;
    let why = rolled_back_why(&record);
    assert!(
        why.contains("throttles: alias throttled 5.00% > max 1.00% (30 of 600 requests)"),
        "{why}"
    );
    assert!(
        !why.contains("error_rate"),
        "a throttle is no function error: {why}"
    );
    assert_eq!(steps_started(&record), vec![0]);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

/// The Sum of `metric` of the scenario's canary target group over the scenario's whole run.
async fn canary_sum(s: &Scenario, metric: &str) -> f64 {
    let RouteRouter::Alb(router) = &s.deployment.router else {
        panic!("not an ALB route");
    };
    let resolved = router.resolved();
    let dimension =
        |name: &str, value: String| Dimension::builder().name(name).value(value).build();
    let end = s.now.as_secs();
    let out = s
        .clients
        .cloudwatch
        .get_metric_statistics()
        .namespace(ALB_NAMESPACE)
        .metric_name(metric)
        .dimensions(dimension(
            "TargetGroup",
            resolved.target_group_dimension(&resolved.canary_arn),
        ))
        .dimensions(dimension(
            "LoadBalancer",
            resolved.load_balancer_dimension(),
        ))
        .start_time((UNIX_EPOCH + Duration::from_secs((end - 3600) as u64)).into())
        .end_time((UNIX_EPOCH + Duration::from_secs(end as u64)).into())
        .period(60)
        .statistics(Statistic::Sum)
        .send()
        .await
        .expect("GetMetricStatistics");
    out.datapoints().iter().filter_map(|d| d.sum()).sum()
}

async fn lambda_user_errors(backend: Backend, name: &str) -> (Scenario, Record) {
    let checks = "checks:\n  - error_rate: { max_percent: 1 }\n";
    let mut s = Scenario::new(backend, name, |route| {
        playbook(route, name, &format!("{ANALYSIS}{checks}"))
    })
    .await;
    // 5 % of the canary's invocations fail in the function: 3 of the first step's 60.
    s.canary = TargetProfile {
        error_rate: 0.05,
        failure: Failure::LambdaUserError,
        ..s.canary
    };
    let record = s.run(20).await;
    (s, record)
}

#[tokio::test]
async fn a_lambda_target_group_failing_invocations_is_rolled_back_without_a_5xx() {
    let (s, record) = lambda_user_errors(Backend::AlbLambda, "fn-usererr").await;
    let why = rolled_back_why(&record);
    assert!(
        why.contains("error_rate: canary 5XX rate 5.00% > max 1.00% (3 of 60 requests)"),
        "{why}"
    );
    assert_eq!(steps_started(&record), vec![0]);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
    assert_eq!(canary_sum(&s, LAMBDA_USER_ERROR).await, 3.0);
    assert_eq!(
        canary_sum(&s, TARGET_5XX_COUNT).await,
        0.0,
        "the failed invocations were never target 5XX responses"
    );
}

#[tokio::test]
async fn lambda_errors_are_not_counted_for_an_instance_target_group() {
    // The same metrics on target groups of type `instance`: only the 5XX count is read, so the
    // canary is promoted. The target type, not the metric names, decides what is summed.
    let (s, record) = lambda_user_errors(Backend::Alb, "inst-usererr").await;
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}",
        record.phase
    );
    assert!(canary_sum(&s, LAMBDA_USER_ERROR).await > 0.0);
}
