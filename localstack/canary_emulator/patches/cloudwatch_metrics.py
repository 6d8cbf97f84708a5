"""Patches moto 5.2.5's CloudWatch metric storage and queries to behave like AWS.

What moto gets wrong, and what replaces it here:
- PutMetricData Values/Counts: moto appends one datapoint per count (int(count), so 0.5 is lost
  and a count of 1e6 allocates a million objects). Here each value is stored once, with its count.
- Statistics: no percentiles or TC/PR/TM (a 500), counts ignored in Sum/SampleCount. Here:
  stats.compute; a statistic stats.is_supported refuses is InvalidParameterValue (400).
- GetMetricData: a query with Dimensions matched any namespace, a query without Dimensions
  matched every dimension set, and each period rescanned all data. Here a query matches exactly
  its metric (namespace, name, full dimension set, as AWS), buckets are [StartTime + k*Period,
  StartTime + (k+1)*Period) within [StartTime, EndTime), one datapoint per bucket that has data,
  stamped with the bucket start, ordered by ScanBy, results in query order.
- GetMetricStatistics: buckets started at the first datapoint instead of StartTime, dimensions
  matched as a subset, ExtendedStatistics (pNN, TC/PR/TM, tcNN/tmNN) were ignored.
Both the JSON/query path (boto3) and the CBOR path (Rust SDK) go through these same methods.
Not emulated: MaxDatapoints and NextToken paging of GetMetricData (all data in one page).
"""

import datetime as dt

from moto.cloudwatch import models, responses
from moto.cloudwatch.exceptions import (
    InvalidParameterCombination,
    InvalidParameterValue,
    ValidationError,
)
from moto.cloudwatch.metric_data_expression_parser import parse_expression
from moto.core.responses import ActionResult

from canary_emulator import stats

_original_get_metric_data = models.CloudWatchBackend.get_metric_data


def apply() -> None:
    models.CloudWatchBackend.put_metric_data = put_metric_data
    models.CloudWatchBackend.get_metric_data = get_metric_data
    models.CloudWatchBackend.get_metric_statistics = get_metric_statistics
    responses.CloudWatchResponse.get_metric_statistics = get_metric_statistics_response


# --- storage -------------------------------------------------------------------------------


def put_metric_data(self, namespace: str, metric_data: list[dict]) -> None:
    for i, metric in enumerate(metric_data):
        self._validate_parameters_put_metric_data(metric, i + 1)
    for metric in metric_data:
        common = dict(
            namespace=namespace,
            name=metric["MetricName"],
            dimensions=metric.get("Dimensions", []),
            timestamp=metric.get("Timestamp"),
            unit=metric.get("Unit"),
        )
        if metric.get("Values"):
            counts = metric.get("Counts") or [1.0] * len(metric["Values"])
            for value, count in zip(metric["Values"], counts, strict=False):
                datum = models.MetricDatum(value=float(value), **common)
                datum.count = float(count)
                self.metric_data.append(datum)
        elif metric.get("StatisticValues"):
            s = metric["StatisticValues"]
            self.metric_data.append(
                models.MetricAggregatedDatum(
                    sum_stat=float(s["Sum"]),
                    min_stat=float(s["Minimum"]),
                    max_stat=float(s["Maximum"]),
                    sample_count=float(s["SampleCount"]),
                    **common,
                )
            )
        else:
            value = float(metric.get("Value", 0))
            self.metric_data.append(models.MetricDatum(value=value, **common))


def epoch(t: dt.datetime) -> float:
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.timestamp()


def utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def _dimension_key(dimensions) -> frozenset:
    pairs = set()
    for d in dimensions or []:
        if isinstance(d, dict):
            pairs.add((d.get("Name"), d.get("Value")))
        else:
            pairs.add((d.name, d.value))
    return frozenset(pairs)


def _matching(data, namespace, name, dimensions, unit):
    want = _dimension_key(dimensions)
    return [
        md
        for md in data
        if md.namespace == namespace
        and md.name == name
        and _dimension_key(md.dimensions) == want
        and (not unit or md.unit == unit)
    ]


def _buckets(data, start: int, period: int) -> dict[int, list]:
    """Datapoints by bucket start (epoch seconds); buckets are aligned to start."""
    out: dict[int, list] = {}
    for md in data:
        index = int((epoch(md.timestamp) - start) // period)
        out.setdefault(start + index * period, []).append(md)
    return out


def _statistic(stat: str, data) -> float | None:
    samples, aggregates = [], []
    for md in data:
        if isinstance(md, models.MetricAggregatedDatum):
            aggregates.append(stats.Aggregate(md.sum, md.sample_count, md.min, md.max))
        else:
            samples.append(stats.Sample(md.value, getattr(md, "count", 1.0)))
    return stats.compute(stat, samples, aggregates)


def _window(start_time, end_time, error) -> tuple[int, int]:
    start, end = int(epoch(start_time)), int(epoch(end_time))
    if start > end:
        raise error("The parameter EndTime must be greater than StartTime.")
    if start == end:
        raise error("The parameter StartTime must not equal parameter EndTime.")
    return start, end


def _period(value, where: str) -> int:
    try:
        period = int(value)
    except (TypeError, ValueError):
        raise InvalidParameterValue(
            f"The parameter {where} is required and must be an integer.") from None
    if period <= 0:
        raise InvalidParameterValue(f"The value {period} for parameter {where} is invalid.")
    return period


# --- GetMetricData -------------------------------------------------------------------------


def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    start, end = _window(start_time, end_time, ValidationError)
    in_window = [md for md in self.get_all_metrics() if start <= epoch(md.timestamp) < end]
    computed: dict[str, dict] = {}
    for n, query in enumerate(queries, start=1):
        if "MetricStat" in query:
            computed[query["Id"]] = _metric_stat_result(query, n, in_window, start, scan_by)
    for query in queries:
        expression = query.get("Expression")
        if expression and not expression.startswith("SELECT"):
            values, timestamps = parse_expression(expression, list(computed.values()))
            label = query.get("Label") or query["Id"]
            computed[query["Id"]] = _result(query, label, values, timestamps)
        elif expression:  # Metrics Insights: moto's own (very partial) emulation
            insight = dict(query, ReturnData=True)
            computed[query["Id"]] = _original_get_metric_data(
                self, [insight], start_time, end_time, scan_by)[0]
    return [computed[q["Id"]] for q in queries if q.get("ReturnData", True) and q["Id"] in computed]


def _metric_stat_result(query, n, data, start, scan_by) -> dict:
    metric_stat = query["MetricStat"]
    metric = metric_stat["Metric"]
    stat = metric_stat.get("Stat")
    if not stat or not stats.is_supported(stat):
        raise InvalidParameterValue(
            f"The value {stat} for parameter MetricDataQueries.member.{n}.MetricStat.Stat is "
            "invalid (the emulator knows SampleCount, Sum, Average, Minimum, Maximum, pNN.NN, "
            "TC(X:Y), PR(X:Y), TM(X:Y), tcNN and tmNN)."
        )
    period = _period(metric_stat.get("Period"), f"MetricDataQueries.member.{n}.MetricStat.Period")
    matching = _matching(
        data, metric.get("Namespace"), metric.get("MetricName"), metric.get("Dimensions"),
        metric_stat.get("Unit"),
    )
    points = []
    for bucket, members in _buckets(matching, start, period).items():
        value = _statistic(stat, members)
        if value is not None:
            points.append((bucket, value))
    points.sort(reverse=(scan_by != "TimestampAscending"))
    label = query.get("Label") or metric.get("MetricName")
    return _result(query, label, [v for _, v in points], [utc(t) for t, _ in points])


def _result(query, label, values, timestamps) -> dict:
    return {
        "id": query["Id"],
        "label": label,
        "values": values,
        "timestamps": timestamps,
        "status_code": "Complete",
    }


# --- GetMetricStatistics -------------------------------------------------------------------


def get_metric_statistics(
    self, namespace, metric_name, start_time, end_time, period, stats_wanted, dimensions,
    unit=None, extended_statistics=None,
):
    start, end = _window(start_time, end_time, InvalidParameterValue)
    period = _period(period, "Period")
    in_window = [md for md in self.get_all_metrics() if start <= epoch(md.timestamp) < end]
    matching = _matching(in_window, namespace, metric_name, dimensions, unit)
    datapoints = []
    for bucket, members in sorted(_buckets(matching, start, period).items()):
        point = {"Timestamp": utc(bucket), "Unit": members[0].unit or "None"}
        for stat in stats_wanted:
            point[stat] = _statistic(stat, members)
        extended = {p: _statistic(p, members) for p in extended_statistics or []}
        extended = {p: v for p, v in extended.items() if v is not None}
        if extended:
            point["ExtendedStatistics"] = extended
        datapoints.append(point)
    return datapoints


def get_metric_statistics_response(self) -> ActionResult:
    statistics = self._get_param("Statistics", [])
    extended = self._get_param("ExtendedStatistics", [])
    if not statistics and not extended:
        raise InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics")
    for p in extended:
        if not stats.is_extended(p):
            raise InvalidParameterValue(
                f"The value {p} for parameter ExtendedStatistics is invalid.")
    metric_name = self._get_param("MetricName")
    datapoints = self.cloudwatch_backend.get_metric_statistics(
        self._get_param("Namespace"),
        metric_name,
        self._get_param("StartTime"),
        self._get_param("EndTime"),
        self._get_param("Period"),
        statistics,
        self._get_param("Dimensions", []),
        unit=self._get_param("Unit"),
        extended_statistics=extended,
    )
    return ActionResult({"Label": metric_name, "Datapoints": datapoints})
