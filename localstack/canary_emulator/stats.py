"""CloudWatch statistics over stored datapoints, with Values/Counts weights and percentiles.

moto 5.2.5 expands Values/Counts into one datapoint per count (dropping fractional counts) and
has no percentiles at all (GetMetricData with `p99` is a 500). Here every stored sample is a
(value, count) pair, and a StatisticValues set is an aggregate (sum, count, min, max).

Percentiles use the weighted nearest-rank method: pNN is the smallest value whose cumulative
count reaches NN% of the total count (p0 is the minimum, p100 the maximum). With values
[1, 2, 3] and counts [1, 2, 7] (10 samples): p10 = 1, p30 = 2, p31 = 3, p50 = 3, p99 = 3.
AWS computes percentiles approximately; nearest-rank always returns a value that was published,
which makes expected numbers in tests exact.

A StatisticValues set joins a percentile only when it describes a single value (SampleCount 1 or
Minimum == Maximum), the condition under which AWS can answer percentiles for statistic sets.
"""

import math
import re
from dataclasses import dataclass

PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100(\.0+)?)$")
SIMPLE = ("SampleCount", "Sum", "Average", "Minimum", "Maximum")


@dataclass(frozen=True)
class Sample:
    value: float
    count: float = 1.0


@dataclass(frozen=True)
class Aggregate:
    sum: float
    count: float
    minimum: float
    maximum: float


def is_supported(stat: str) -> bool:
    return stat in SIMPLE or PERCENTILE.match(stat) is not None


def compute(stat: str, samples: list[Sample], aggregates: list[Aggregate]) -> float | None:
    """The statistic over one period, or None when the period holds no data for it."""
    count = sum(s.count for s in samples) + sum(a.count for a in aggregates)
    if stat == "SampleCount":
        return count if (samples or aggregates) else None
    if stat == "Sum":
        return _sum(samples, aggregates) if (samples or aggregates) else None
    if stat == "Average":
        return _sum(samples, aggregates) / count if count > 0 else None
    if stat == "Minimum":
        lows = [s.value for s in samples] + [a.minimum for a in aggregates]
        return min(lows) if lows else None
    if stat == "Maximum":
        highs = [s.value for s in samples] + [a.maximum for a in aggregates]
        return max(highs) if highs else None
    if PERCENTILE.match(stat):
        return percentile(float(stat[1:]), samples + _single_valued(aggregates))
    raise ValueError(f"unsupported statistic {stat}")


def percentile(p: float, samples: list[Sample]) -> float | None:
    weighted = sorted((s for s in samples if s.count > 0), key=lambda s: s.value)
    if not weighted:
        return None
    total = sum(s.count for s in weighted)
    threshold = p * total / 100.0
    slack = 1e-9 * total  # so that 99.9% of 1000 is 999, not 999.0000000000001
    cumulative = 0.0
    for s in weighted:
        cumulative += s.count
        if cumulative >= threshold - slack:
            return s.value
    return weighted[-1].value


def _sum(samples: list[Sample], aggregates: list[Aggregate]) -> float:
    return math.fsum([s.value * s.count for s in samples] + [a.sum for a in aggregates])


def _single_valued(aggregates: list[Aggregate]) -> list[Sample]:
    return [
        Sample(a.minimum, a.count)
        for a in aggregates
        if a.count == 1 or a.minimum == a.maximum
    ]
