"""The statistics module alone: weighted nearest-rank percentiles and counted sums."""

import pytest

from canary_emulator.stats import Aggregate, Sample, compute, is_supported

# 10 samples: one 1, two 2s, seven 3s
SAMPLES = [Sample(1.0, 1), Sample(2.0, 2), Sample(3.0, 7)]


@pytest.mark.parametrize(
    "stat,expected",
    [("p0", 1.0), ("p10", 1.0), ("p10.5", 2.0), ("p30", 2.0), ("p30.01", 3.0), ("p50", 3.0),
     ("p99", 3.0), ("p100", 3.0)],
)
def test_weighted_nearest_rank(stat, expected):
    assert compute(stat, SAMPLES, []) == expected


def test_p99_9_over_a_thousand_values():
    samples = [Sample(float(v)) for v in range(1, 1001)]
    assert compute("p99.9", samples, []) == 999.0
    assert compute("p99", samples, []) == 990.0
    assert compute("p50", samples, []) == 500.0


def test_counts_weigh_sum_samplecount_average():
    assert compute("SampleCount", SAMPLES, []) == 10
    assert compute("Sum", SAMPLES, []) == 1 + 4 + 21
    assert compute("Average", SAMPLES, []) == pytest.approx(2.6)
    assert compute("Minimum", SAMPLES, []) == 1.0
    assert compute("Maximum", SAMPLES, []) == 3.0


def test_fractional_counts_are_kept():
    assert compute("SampleCount", [Sample(4.0, 0.5)], []) == 0.5
    assert compute("Sum", [Sample(4.0, 0.5)], []) == 2.0


def test_statistic_sets_join_simple_stats():
    agg = Aggregate(sum=10.0, count=4.0, minimum=1.0, maximum=4.0)
    assert compute("Sum", SAMPLES, [agg]) == 36.0
    assert compute("SampleCount", SAMPLES, [agg]) == 14
    assert compute("Minimum", [], [agg]) == 1.0
    assert compute("Maximum", [], [agg]) == 4.0


def test_statistic_sets_join_percentiles_only_when_single_valued():
    spread = Aggregate(sum=10.0, count=4.0, minimum=1.0, maximum=4.0)
    flat = Aggregate(sum=20.0, count=4.0, minimum=5.0, maximum=5.0)
    assert compute("p50", [], [spread]) is None
    assert compute("p50", [Sample(1.0)], [flat]) == 5.0


def test_no_data_is_none():
    for stat in ("Sum", "SampleCount", "Average", "Minimum", "Maximum", "p99"):
        assert compute(stat, [], []) is None


@pytest.mark.parametrize("stat", ["Sum", "p99", "p99.9", "p0", "p100", "p50.123"])
def test_supported(stat):
    assert is_supported(stat)


@pytest.mark.parametrize("stat", ["sum", "p101", "p", "tm99", "IQM", ""])
def test_unsupported(stat):
    assert not is_supported(stat)
