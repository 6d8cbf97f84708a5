//! The simulator publishes exactly what the builtin checks query, per backend and failure.

use super::test_support::{datums_at, failing, START};
use super::*;
use crate::core::plan::CheckKind;
use crate::metrics::templates::test_support::{alb, lambda, lattice};
use crate::metrics::templates::{check_queries, AlbDimensions, RouteDimensions};

/// A published metric: its name and full dimension set, sorted.
type Published = (String, Vec<(String, String)>);

/// What `backend` publishes for a stable and a canary target failing as `failure`.
fn published(
    backend: &SimBackend,
    [stable, canary]: &[String; 2],
    failure: Failure,
) -> Vec<Published> {
    let profile = (40.0, 400.0);
    let targets = [
        (failing(stable, 0.1, profile, failure), 100),
        (failing(canary, 0.1, profile, failure), 100),
    ];
    datums_at(backend, &targets, START)
        .iter()
        .map(|d| {
            let mut dims: Vec<(String, String)> = d
                .dimensions()
                .iter()
                .map(|x| {
                    let name = x.name().unwrap_or_default().to_string();
                    (name, x.value().unwrap_or_default().to_string())
                })
                .collect();
            dims.sort();
            (d.metric_name().unwrap_or_default().to_string(), dims)
        })
        .collect()
}

/// Every builtin query of a route's checks names a metric the simulator publishes for some
/// way of failing the backend has: same namespace, metric name and full dimension set.
#[test]
fn the_checks_find_what_the_simulator_publishes() {
    let (alb, lattice, lambda) = (alb(), lattice(), lambda());
    let alb_backend = SimBackend::Alb {
        load_balancer_dimension: alb.load_balancer.clone(),
    };
    let alb_tgs = [
        alb.stable_target_group.clone(),
        alb.canary_target_group.clone(),
    ];
    let lambda_tgs = AlbDimensions {
        stable_is_lambda: true,
        canary_is_lambda: true,
        ..alb.clone()
    };
    let alb_failures = [
        Failure::Error,
        Failure::LambdaUserError,
        Failure::LambdaInternalError,
    ];
    let routes = [
        (
            alb_backend.clone(),
            alb_tgs.clone(),
            RouteDimensions::from(alb),
            &[Failure::Error][..],
        ),
        (
            alb_backend,
            alb_tgs,
            RouteDimensions::from(lambda_tgs),
            &alb_failures[..],
        ),
        (
            SimBackend::Lattice,
            [
                lattice.stable_target_group.clone(),
                lattice.canary_target_group.clone(),
            ],
            RouteDimensions::from(lattice),
            &[Failure::Error][..],
        ),
        (
            SimBackend::Lambda {
                function_name: lambda.function_name.clone(),
                alias: lambda.alias.clone(),
            },
            [lambda.stable_version.clone(), lambda.canary_version.clone()],
            RouteDimensions::from(lambda),
            &[Failure::Error, Failure::Throttle][..],
        ),
    ];
    let kinds = [
        CheckKind::ErrorRateVsStable {
            max_delta_percent: 1.0,
        },
        CheckKind::LatencyVsStable {
            percentile: 99.0,
            max_ratio: 1.5,
            threshold_ms: None,
        },
        CheckKind::ErrorRate { max_percent: 1.0 },
        CheckKind::Latency {
            percentile: 50.0,
            max_ms: 100.0,
        },
        CheckKind::Throttles { max_percent: 1.0 },
    ];
    let mut asked = 0;
    for (backend, target_groups, dims, failures) in routes {
        let published: Vec<Published> = failures
            .iter()
            .flat_map(|failure| published(&backend, &target_groups, *failure))
            .collect();
        for kind in &kinds {
            let queries = check_queries(kind, &dims);
            for query in queries.metric_queries() {
                asked += 1;
                assert_eq!(query.namespace, backend.namespace(), "{query}");
                assert!(
                    published
                        .iter()
                        .any(|(m, d)| *m == query.metric && *d == query.dimensions),
                    "{query} is not published by {backend:?}: {published:?}"
                );
            }
        }
    }
    // 13 per route for the four shared checks (an error rate asks the stable's counts too; ALB
    // Lambda target groups: 8 more error counts), 2 for a Lambda alias's throttles.
    assert_eq!(asked, 13 + 21 + 13 + 15);
}
