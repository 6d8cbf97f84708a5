//! Custom metric checks: each statistic summed or worst over the window's periods, another
//! dimension value as no data, and more than 500 queries split over two calls and mapped back.

use super::fixtures::{
    custom, datum, dims, logged_cloudwatch, namespace, observe, put_data, source, two_hours_ago,
    window,
};
use aws_sdk_cloudwatch::types::MetricDatum;
use canary_deploy::core::observe::Observed;
use canary_deploy::core::plan::{Check, Comparison};

#[tokio::test]
async fn custom_metric_sums_and_worst_periods() {
    let (client, calls) = logged_cloudwatch().await;
    let namespace = namespace("custom");
    let service = "checkout";
    let start = two_hours_ago();
    // Minute 0: 1, 2 — minute 1: 10 — minute 2: 4, 5.
    let points = [(0, 1.0), (10, 2.0), (60, 10.0), (120, 4.0), (150, 5.0)];
    let data = points
        .iter()
        .map(|(offset, v)| datum("Orders", service, start + offset, *v))
        .collect();
    put_data(&client, &namespace, data).await;

    let source = source(client, dims("unused"));
    calls.take();
    let checks: Vec<Check> = [
        (service, "Sum", Comparison::LessThan),
        (service, "SampleCount", Comparison::GreaterThan),
        (service, "Maximum", Comparison::LessThanOrEqual),
        (service, "Minimum", Comparison::GreaterThan),
        (service, "Average", Comparison::GreaterThanOrEqual),
        ("other-service", "Sum", Comparison::LessThan),
    ]
    .into_iter()
    .map(|(svc, statistic, cmp)| custom(&namespace, "Orders", svc, statistic, cmp))
    .collect();
    let observed = observe(&source, &checks, window(start, 180)).await;
    assert_eq!(
        observed,
        vec![
            Observed::Value(Some(22.0)),
            Observed::Value(Some(5.0)),
            Observed::Value(Some(10.0)),
            Observed::Value(Some(1.0)),
            Observed::Value(Some(1.5)),
            Observed::Value(None),
        ]
    );
    assert_eq!(calls.take(), ["GetMetricData"]);
}

#[tokio::test]
async fn more_than_500_queries_split_into_two_calls_and_map_back() {
    let (client, calls) = logged_cloudwatch().await;
    let namespace = namespace("batch");
    let start = two_hours_ago();
    let metrics: Vec<String> = (0..260).map(|i| format!("M{i}")).collect();
    let data: Vec<MetricDatum> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| datum(m, "svc", start + 5, i as f64))
        .collect();
    for chunk in data.chunks(20) {
        put_data(&client, &namespace, chunk.to_vec()).await;
    }

    let source = source(client, dims("batch"));
    calls.take();
    let checks: Vec<Check> = metrics
        .iter()
        .flat_map(|m| {
            [
                custom(&namespace, m, "svc", "Sum", Comparison::LessThan),
                custom(&namespace, m, "svc", "Maximum", Comparison::LessThan),
            ]
        })
        .collect();
    assert_eq!(checks.len(), 520);
    let observed = observe(&source, &checks, window(start, 60)).await;
    let expected: Vec<Observed> = (0..260)
        .flat_map(|i| vec![Observed::Value(Some(i as f64)); 2])
        .collect();
    assert_eq!(observed, expected);
    assert_eq!(
        calls.take(),
        ["GetMetricData", "GetMetricData"],
        "520 queries: 500 + 20"
    );
}
