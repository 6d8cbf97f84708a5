//! The traffic simulator against the emulator: it reads the live weights of an ALB listener
//! and of a VPC Lattice listener and rule, before and after they change; and the `traffic-sim`
//! binary, run on a live route of each backend, publishes exactly the counts it reports, under
//! the namespace, names and dimensions the builtin checks read back with GetMetricData.

use super::fixtures::{check, cloudwatch, observe, unique, window};
use crate::alb_actions::{forward, set_default_action};
use crate::emulator::{demo_alb, demo_lattice, endpoint, sdk_config};
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use aws_sdk_vpclattice::types::{ForwardAction, RuleAction, WeightedTargetGroup};
use canary_deploy::aws::Clients;
use canary_deploy::core::observe::{Observed, Traffic};
use canary_deploy::core::plan::{Check, CheckKind};
use canary_deploy::core::window::Window;
use canary_deploy::metrics::{AlbDimensions, CloudWatchSource, LatticeDimensions, RouteDimensions};
use canary_deploy::simulator::{
    read_lattice_weights, read_weights, LatticeRouteRef, RouteRef, SimRoute, SimulatorError,
};
use canary_deploy::traffic::alb::arn::{load_balancer_dimension, target_group_dimension};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[tokio::test]
async fn simulator_reads_the_live_weights_of_a_listener() {
    let config = sdk_config().await;
    let elbv2 = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let alb = demo_alb(&unique("sim")).await;
    let route = RouteRef::Listener(alb.listener_arn.clone());
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 1)]
    );

    let weighted = forward(
        &[(&alb.stable_arn, 900), (&alb.canary_arn, 100)],
        None,
        None,
    );
    set_default_action(&elbv2, &alb.listener_arn, weighted).await;
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 900), (alb.canary_arn.clone(), 100)]
    );
}

#[tokio::test]
async fn simulator_reads_lattice_weights_by_target_group_id() {
    let clients = Clients::new(&sdk_config().await);
    let lattice = demo_lattice(&unique("simw"), Some((60, 40))).await;
    let listener = SimRoute::lattice_listener(&lattice.listener_arn).expect("a listener ARN");
    assert_eq!(
        listener.read_weights(&clients).await.expect("listener"),
        vec![
            (lattice.stable_id.clone(), 60),
            (lattice.canary_id.clone(), 40)
        ]
    );
    let rule = LatticeRouteRef::Rule(lattice.rule_arn.clone());
    assert_eq!(
        read_lattice_weights(&clients.lattice, &rule)
            .await
            .expect("rule"),
        vec![(lattice.stable_id.clone(), 100)]
    );

    // A forward that names a target group by ARN still reads back by id.
    let group = |identifier: &str, weight| {
        WeightedTargetGroup::builder()
            .target_group_identifier(identifier)
            .weight(weight)
            .build()
            .expect("identifier set")
    };
    let action = ForwardAction::builder()
        .target_groups(group(&lattice.stable_arn, 70))
        .target_groups(group(&lattice.canary_id, 30))
        .build()
        .expect("target groups set");
    clients
        .lattice
        .update_rule()
        .service_identifier(&lattice.service_id)
        .listener_identifier(&lattice.listener_id)
        .rule_identifier(&lattice.rule_id)
        .action(RuleAction::Forward(action))
        .send()
        .await
        .expect("update the rule");
    assert_eq!(
        read_lattice_weights(&clients.lattice, &rule)
            .await
            .expect("rule"),
        vec![
            (lattice.stable_id.clone(), 70),
            (lattice.canary_id.clone(), 30)
        ]
    );

    let (gone, _) = lattice.rule_arn.rsplit_once('/').expect("a rule ARN");
    let gone = LatticeRouteRef::Rule(format!("{gone}/rule-00000000000000000"));
    let err = read_lattice_weights(&clients.lattice, &gone)
        .await
        .expect_err("no such rule");
    assert!(
        matches!(err, SimulatorError::NotFound { what: "rule", .. }),
        "{err}"
    );
}

/// Runs `traffic-sim` against the emulator for 3 s at 10 requests/s; returns how many seconds
/// it published, from its last line.
async fn run_traffic_sim(args: Vec<String>) -> u64 {
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_traffic-sim"))
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .args(["--endpoint-url", endpoint(), "--region", "us-east-1"])
            .args(["--rps", "10", "--duration", "3s"])
            .args(&args)
            .output()
            .expect("run traffic-sim")
    })
    .await
    .expect("traffic-sim task");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "traffic-sim failed:\n{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.ends_with("failed seconds 0"), "{stderr}");
    let seconds = last
        .strip_prefix("traffic-sim: stopped after ")
        .and_then(|rest| rest.split_once("s,"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line:\n{stderr}"));
    assert!(seconds >= 1, "{stderr}");
    seconds
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Whole minutes from before `from` to after `to` (Unix seconds).
fn minutes_around(from: u64, to: u64) -> Window {
    let start = from / 60 * 60;
    window(start, (to / 60 + 1) * 60 - start)
}

/// Both targets' error rates and latency percentiles, as a rollout checks them.
fn vs_stable_checks() -> Vec<Check> {
    let errors = CheckKind::ErrorRateVsStable {
        max_delta_percent: 1.0,
    };
    let latency = CheckKind::LatencyVsStable {
        percentile: 99.0,
        max_ratio: 1.5,
        threshold_ms: None,
    };
    vec![check("errors", errors), check("latency", latency)]
}

/// What the checks must read after `k` seconds of 6 stable and 4 canary requests, the canary
/// failing one in four and answering in 40 ms, stable in 20 ms.
fn expected(k: f64) -> Vec<Observed> {
    vec![
        Observed::ErrorRate {
            canary: Traffic {
                requests: Some(4.0 * k),
                errors: Some(k),
            },
            stable: Traffic {
                requests: Some(6.0 * k),
                errors: None,
            },
        },
        Observed::Latency {
            canary_requests: Some(4.0 * k),
            canary_ms: Some(40.0),
            stable_ms: Some(20.0),
            slow: None,
        },
    ]
}

/// The Sum of `metric` for `TargetGroup=target_group` alone in `AWS/VpcLattice` over `window`.
async fn lattice_sum(metric: &str, target_group: &str, window: Window) -> Option<f64> {
    let dimension = Dimension::builder()
        .name("TargetGroup")
        .value(target_group)
        .build();
    let metric = Metric::builder()
        .namespace("AWS/VpcLattice")
        .metric_name(metric)
        .dimensions(dimension)
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(60)
        .stat("Sum")
        .build();
    let out = cloudwatch()
        .await
        .get_metric_data()
        .metric_data_queries(MetricDataQuery::builder().id("q").metric_stat(stat).build())
        .start_time(aws_smithy_types::DateTime::from_millis(
            window.start.as_millis(),
        ))
        .end_time(aws_smithy_types::DateTime::from_millis(
            window.end.as_millis(),
        ))
        .send()
        .await
        .expect("get metric data");
    let values = out.metric_data_results().first()?.values();
    (!values.is_empty()).then(|| values.iter().sum())
}

#[tokio::test]
async fn traffic_sim_publishes_exact_lattice_counts_by_target_group_id() {
    let lattice = demo_lattice(&unique("simrun"), Some((60, 40))).await;
    let from = unix_now();
    let k = run_traffic_sim(vec![
        "--lattice-listener-arn".into(),
        lattice.listener_arn.clone(),
        "--target".into(),
        format!("{}=0,20,20", lattice.stable_id),
        "--target".into(),
        format!("{}=0.25,40,40", lattice.canary_arn),
    ])
    .await;
    let window = minutes_around(from, unix_now());

    let dims = LatticeDimensions {
        stable_target_group: lattice.stable_id.clone(),
        canary_target_group: lattice.canary_id.clone(),
    };
    let source = CloudWatchSource::new(cloudwatch().await, dims, Duration::from_secs(60));
    let observed = observe(&source, &vs_stable_checks(), window).await;
    assert_eq!(observed, expected(k as f64), "{k} seconds");

    let k = k as f64;
    let (stable, canary) = (&lattice.stable_id, &lattice.canary_id);
    assert_eq!(
        lattice_sum("HTTPCode_2XX_Count", canary, window).await,
        Some(3.0 * k)
    );
    assert_eq!(
        lattice_sum("HTTPCode_2XX_Count", stable, window).await,
        Some(6.0 * k)
    );
    assert_eq!(
        lattice_sum("HTTPCode_5XX_Count", stable, window).await,
        None
    );
}

#[tokio::test]
async fn traffic_sim_publishes_exact_alb_counts_by_target_group_and_load_balancer() {
    let config = sdk_config().await;
    let alb = demo_alb(&unique("simrun")).await;
    let weighted = forward(
        &[(&alb.stable_arn, 600), (&alb.canary_arn, 400)],
        None,
        None,
    );
    let elbv2 = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    set_default_action(&elbv2, &alb.listener_arn, weighted).await;
    let from = unix_now();
    let k = run_traffic_sim(vec![
        "--listener-arn".into(),
        alb.listener_arn.clone(),
        "--target".into(),
        format!("{}=0,20,20", alb.stable_arn),
        "--target".into(),
        format!("{}=0.25,40,40", alb.canary_arn),
    ])
    .await;
    let window = minutes_around(from, unix_now());

    let dimension = |arn: &str| target_group_dimension(arn).expect("a target group ARN");
    let dims = RouteDimensions::Alb(AlbDimensions {
        load_balancer: load_balancer_dimension(&alb.lb_arn).expect("a load balancer ARN"),
        stable_target_group: dimension(&alb.stable_arn),
        canary_target_group: dimension(&alb.canary_arn),
        stable_is_lambda: false,
        canary_is_lambda: false,
    });
    let source = CloudWatchSource::new(cloudwatch().await, dims, Duration::from_secs(60));
    let observed = observe(&source, &vs_stable_checks(), window).await;
    assert_eq!(observed, expected(k as f64), "{k} seconds");
}

/// `--lane-rps`: while a rule tagged `canary-deploy:lane` is on the listener, that many more
/// requests a second reach the target group it forwards to (the canary, at weight 0 in the
/// route), as the load balancer sends the requests that carry the lane's header.
#[tokio::test]
async fn traffic_sim_sends_the_lane_rps_where_the_lane_rule_forwards() {
    use aws_sdk_vpclattice::types::{HeaderMatch, HeaderMatchType, HttpMatch, RuleMatch};
    let lattice = demo_lattice(&unique("simlane"), Some((100, 0))).await;
    let client = aws_sdk_vpclattice::Client::new(&sdk_config().await);
    let header = HeaderMatch::builder()
        .name("x-canary")
        .r#match(HeaderMatchType::Exact("1".into()))
        .build()
        .expect("header");
    let canary = WeightedTargetGroup::builder()
        .target_group_identifier(&lattice.canary_id)
        .weight(100)
        .build()
        .expect("group");
    client
        .create_rule()
        .service_identifier(&lattice.service_id)
        .listener_identifier(&lattice.listener_id)
        .name("sim-lane")
        .priority(50)
        .r#match(RuleMatch::HttpMatch(
            HttpMatch::builder().header_matches(header).build(),
        ))
        .action(RuleAction::Forward(
            ForwardAction::builder()
                .target_groups(canary)
                .build()
                .expect("forward"),
        ))
        .tags(canary_deploy::core::lane::LANE_TAG, "sim/lane")
        .send()
        .await
        .expect("CreateRule");
    let from = unix_now();
    let k = run_traffic_sim(vec![
        "--lattice-listener-arn".into(),
        lattice.listener_arn.clone(),
        "--lane-rps".into(),
        "4".into(),
        "--target".into(),
        format!("{}=0,20,20", lattice.stable_id),
        "--target".into(),
        format!("{}=0,40,40", lattice.canary_id),
    ])
    .await as f64;
    let window = minutes_around(from, unix_now());
    let (stable, canary) = (&lattice.stable_id, &lattice.canary_id);
    assert_eq!(
        lattice_sum("HTTPCode_2XX_Count", canary, window).await,
        Some(4.0 * k),
        "the lane's requests alone reach the canary"
    );
    assert_eq!(
        lattice_sum("HTTPCode_2XX_Count", stable, window).await,
        Some(10.0 * k)
    );
}
