"""CloudWatch statistics over stored datapoints, with Values/Counts weights, percentiles and the
range statistics TC (trimmed count), PR (percentile rank) and TM (trimmed mean).

moto 5.2.5 expands Values/Counts into one datapoint per count (dropping fractional counts) and
has no percentiles at all (GetMetricData with `p99` is a 500). Here every stored sample is a
(value, count) pair, and a StatisticValues set is an aggregate (sum, count, min, max).

Percentiles use the weighted nearest-rank method: pNN is the smallest value whose cumulative
count reaches NN% of the total count (p0 is the minimum, p100 the maximum). With values
[1, 2, 3] and counts [1, 2, 7] (10 samples): p10 = 1, p30 = 2, p31 = 3, p50 = 3, p99 = 3.
AWS computes percentiles approximately; nearest-rank always returns a value that was published,
which makes expected numbers in tests exact.

Range statistics, as on CloudWatch's "statistics definitions" page, take the data points with
X < value <= Y (lower bound exclusive, upper inclusive; either bound may be left out):
- `TC(X:Y)` is their count (Σ counts), `PR(X:Y)` their percentage (0-100) of all data points,
  `TM(X:Y)` their mean (Σ value × count / Σ counts).
- Bounds are plain numbers (the metric's unit plays no part), or for TC and TM percentages
  (`TC(10%:90%)`; both bounds percentages if both are given, each 0-100), which stand for the
  nearest-rank percentile values above, so a percent range keeps or drops tied values together
  (AWS words it as dropping the lowest and highest data points; without ties that is the same).
  A lower bound of 0% is no lower bound (p0 is the minimum, which `value > p0` would drop).
  `tcNN` and `tmNN` are `TC(:NN%)` and `TM(:NN%)`. PR takes no percentages (AWS refuses them).
- A period with data but none of it in range has TC = 0 and PR = 0, and no TM datapoint; a
  period without data (or with samples of count 0 only) has no datapoint for any of them.
- Refused (is_supported is false; AWS's page defines none of them): `TC()`, `TC(:)`, `TC(a:b)`,
  `PR(10%:)`, `TC(10%:500)` (mixed), a percentage over 100, a lower bound over the upper one.
  Equal bounds (`TC(5:5)`) are accepted and, by the rule above, an empty range.
With values [0.1, 0.5, 0.9] and counts [90, 8, 2] (100 data points): TC(0.5:) = 2,
TC(:0.5) = 98, TC(0.1:0.5) = 8, PR(:0.5) = 98, PR(0.5:) = 2, PR(0.9:) = 0, TM(0.1:) = 0.58
((0.5 × 8 + 0.9 × 2) / 10). There p10 = p90 = 0.1, so TC(10%:90%) = 0 (all 90 tied values are
at or below p10); with the values 1, 2, ..., 100 once each: TC(10%:90%) = 80 (11 to 90),
tc90 = 90, TM(10%:90%) = 50.5.

A StatisticValues set joins a percentile or a range statistic only when it describes a single
value (SampleCount 1 or Minimum == Maximum), the condition under which AWS can answer
percentiles for statistic sets; other sets are left out of those statistics entirely (of PR's
total too), and a period with nothing else has no datapoint for them.
"""

import math
import re
from dataclasses import dataclass

PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100(\.0+)?)$")
SIMPLE = ("SampleCount", "Sum", "Average", "Minimum", "Maximum")
# tc90, tm99.5: the short forms of TC(:NN%) and TM(:NN%)
SHORT_RANGE = re.compile(r"^(tc|tm)(\d{1,2}(?:\.\d+)?|100(?:\.0+)?)$")
# TC(X:Y), PR(X:Y), TM(X:Y); each bound a number, optionally with %, or nothing
_BOUND = r"(\d+(?:\.\d+)?)(%?)"
RANGE = re.compile(rf"^(TC|PR|TM)\((?:{_BOUND})?:(?:{_BOUND})?\)$")


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


@dataclass(frozen=True)
class Range:
    """A parsed TC/PR/TM statistic: data points with lower < value <= upper (None: unbounded);
    with percent, the bounds are percentiles (0-100) of the period's data."""

    kind: str  # "TC", "PR" or "TM"
    lower: float | None
    upper: float | None
    percent: bool


def parse_range(stat: str) -> Range | None:
    """The range statistic `stat` names, or None if it is not a well-formed one."""
    short = SHORT_RANGE.match(stat)
    if short:
        return Range(short.group(1).upper(), None, float(short.group(2)), True)
    m = RANGE.match(stat)
    if not m:
        return None
    kind, low, low_pct, high, high_pct = m.groups()
    if low is None and high is None:
        return None
    if low is not None and high is not None and low_pct != high_pct:
        return None  # one bound a percentage, the other not
    percent = "%" in (low_pct, high_pct)
    lower = float(low) if low is not None else None
    upper = float(high) if high is not None else None
    if percent and (kind == "PR" or any(b is not None and b > 100 for b in (lower, upper))):
        return None
    if lower is not None and upper is not None and lower > upper:
        return None
    return Range(kind, lower, upper, percent)


def is_supported(stat: str) -> bool:
    return stat in SIMPLE or is_extended(stat)


def is_extended(stat: str) -> bool:
    """Whether `stat` is one of the extended statistics (pNN, TC/PR/TM, tcNN, tmNN)."""
    return PERCENTILE.match(stat) is not None or parse_range(stat) is not None


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
    r = parse_range(stat)
    if r is not None:
        return ranged(r, samples + _single_valued(aggregates))
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


def ranged(r: Range, samples: list[Sample]) -> float | None:
    """TC, PR or TM over the samples; None when there are none (or, for TM, none in range)."""
    weighted = [s for s in samples if s.count > 0]
    if not weighted:
        return None
    lower, upper = r.lower, r.upper
    if r.percent:
        lower = percentile(lower, weighted) if lower else None  # 0%: no lower bound
        upper = percentile(upper, weighted) if upper is not None else None
    inside = [
        s for s in weighted
        if (lower is None or s.value > lower) and (upper is None or s.value <= upper)
    ]
    count = math.fsum(s.count for s in inside)
    if r.kind == "TC":
        return count
    if r.kind == "PR":
        return 100.0 * count / math.fsum(s.count for s in weighted)
    return math.fsum(s.value * s.count for s in inside) / count if inside else None


def _sum(samples: list[Sample], aggregates: list[Aggregate]) -> float:
    return math.fsum([s.value * s.count for s in samples] + [a.sum for a in aggregates])


def _single_valued(aggregates: list[Aggregate]) -> list[Sample]:
    return [
        Sample(a.minimum, a.count)
        for a in aggregates
        if a.count == 1 or a.minimum == a.maximum
    ]
