"""The statistics module alone: weighted nearest-rank percentiles, counted sums, and the range
statistics TC (trimmed count), PR (percentile rank) and TM (trimmed mean)."""

import pytest

from canary_emulator.stats import Aggregate, Range, Sample, compute, is_supported, parse_range

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


@pytest.mark.parametrize("stat", ["sum", "p101", "p", "wm99", "IQM", ""])
def test_unsupported(stat):
    assert not is_supported(stat)


# --- TC, PR, TM ------------------------------------------------------------------------------

# 100 data points: ninety at 0.1, eight at 0.5, two at 0.9 (Values/Counts)
LATENCY = [Sample(0.1, 90), Sample(0.5, 8), Sample(0.9, 2)]
# the values 1, 2, ..., 100 once each (no ties, so percent bounds split exactly)
HUNDRED = [Sample(float(v)) for v in range(1, 101)]


@pytest.mark.parametrize(
    "stat,expected",
    [("TC(0.5:)", 2.0), ("TC(:0.5)", 98.0), ("TC(0.1:0.5)", 8.0), ("TC(0.1:0.9)", 10.0),
     ("TC(0:1)", 100.0), ("TC(:0.1)", 90.0), ("TC(0.05:0.1)", 90.0),
     ("PR(:0.5)", 98.0), ("PR(0.5:)", 2.0), ("PR(0.1:0.5)", 8.0), ("PR(:0.9)", 100.0),
     ("PR(:1000)", 100.0), ("TM(0.1:)", 0.58), ("TM(:0.5)", (0.1 * 90 + 0.5 * 8) / 98)],
)
def test_absolute_bounds_on_values_and_counts(stat, expected):
    assert compute(stat, LATENCY, []) == pytest.approx(expected)


def test_bound_equal_to_a_value_is_out_below_and_in_above():
    # X < value <= Y: a value exactly at the lower bound is not counted, at the upper bound it is
    assert compute("TC(0.5:)", LATENCY, []) == 2.0
    assert compute("TC(:0.5)", LATENCY, []) == 98.0
    assert compute("PR(:0.5)", LATENCY, []) == 98.0
    assert compute("PR(0.5:0.9)", LATENCY, []) == 2.0
    assert compute("TC(0.9:)", LATENCY, []) == 0.0
    assert compute("PR(:0.1)", LATENCY, []) == 90.0


def test_empty_range_over_data_is_zero_and_tm_has_no_value():
    for stat in ("TC(0.9:)", "TC(5:10)", "TC(:0.05)", "PR(0.9:)", "PR(:0.05)", "TC(0.5:0.5)"):
        assert compute(stat, LATENCY, []) == 0.0, stat
    assert compute("TM(0.9:)", LATENCY, []) is None
    assert compute("TM(:0.05)", LATENCY, []) is None


def test_no_data_has_no_value():
    for stat in ("TC(0.5:)", "PR(:0.5)", "TM(0.1:)", "tc90", "TC(10%:90%)"):
        assert compute(stat, [], []) is None, stat
        assert compute(stat, [Sample(1.0, 0)], []) is None, stat  # a count of 0 is no data point


@pytest.mark.parametrize(
    "stat,expected",
    [("TC(10%:90%)", 80.0), ("TC(:90%)", 90.0), ("tc90", 90.0), ("tc100", 100.0),
     ("TC(10%:)", 90.0), ("TC(0%:90%)", 90.0), ("TC(0%:100%)", 100.0), ("TC(99.5%:)", 0.0),
     ("TC(50%:50%)", 0.0), ("TM(10%:90%)", 50.5), ("tm90", 45.5), ("TM(:50%)", 25.5)],
)
def test_percent_bounds_are_nearest_rank_percentiles(stat, expected):
    # p10 = 10, p90 = 90, p50 = 50, p99.5 = p100 = 100
    assert compute(stat, HUNDRED, []) == pytest.approx(expected)


def test_percent_bounds_keep_tied_values_together():
    # p10 = p90 = 0.1 here: the range (0.1, 0.1] is empty; (p90, p100] = (0.1, 0.9] holds 10
    assert compute("TC(10%:90%)", LATENCY, []) == 0.0
    assert compute("TC(90%:100%)", LATENCY, []) == 10.0
    assert compute("tc90", LATENCY, []) == 90.0
    assert compute("tc98", LATENCY, []) == 98.0  # p98 = 0.5
    assert compute("tc99", LATENCY, []) == 100.0  # p99 = 0.9


def test_units_do_not_matter():
    seconds = [Sample(0.1, 90), Sample(0.5, 8), Sample(0.9, 2)]
    millis = [Sample(100.0, 90), Sample(500.0, 8), Sample(900.0, 2)]
    assert compute("TC(0.5:)", seconds, []) == compute("TC(500:)", millis, []) == 2.0
    assert compute("PR(:0.5)", seconds, []) == compute("PR(:500)", millis, []) == 98.0
    assert compute("TC(0.5:)", millis, []) == 100.0  # bounds are plain numbers, no conversion


def test_fractional_counts_in_ranges():
    samples = [Sample(1.0, 0.5), Sample(3.0, 1.5)]
    assert compute("TC(1:)", samples, []) == 1.5
    assert compute("PR(1:)", samples, []) == 75.0


def test_statistic_sets_join_ranges_only_when_single_valued():
    spread = Aggregate(sum=10.0, count=4.0, minimum=1.0, maximum=4.0)
    flat = Aggregate(sum=20.0, count=4.0, minimum=5.0, maximum=5.0)
    one = Aggregate(sum=7.0, count=1.0, minimum=7.0, maximum=7.0)
    assert compute("TC(:10)", [], [spread]) is None
    assert compute("PR(:10)", [], [spread]) is None
    assert compute("TC(4:)", [Sample(1.0)], [spread, flat, one]) == 5.0
    assert compute("PR(4:)", [Sample(1.0)], [spread, flat, one]) == pytest.approx(500 / 6)
    assert compute("TM(4:)", [Sample(1.0)], [spread, flat, one]) == pytest.approx(27 / 5)


@pytest.mark.parametrize(
    "stat,parsed",
    [("TC(0.5:)", Range("TC", 0.5, None, False)), ("TC(:0.5)", Range("TC", None, 0.5, False)),
     ("PR(100:2000)", Range("PR", 100.0, 2000.0, False)),
     ("TC(10%:90%)", Range("TC", 10.0, 90.0, True)), ("TM(2%:98%)", Range("TM", 2.0, 98.0, True)),
     ("tc90", Range("TC", None, 90.0, True)), ("tm99.9", Range("TM", None, 99.9, True)),
     ("TM(150:1000)", Range("TM", 150.0, 1000.0, False)),
     ("TC(5:5)", Range("TC", 5.0, 5.0, False))],
)
def test_range_syntax(stat, parsed):
    assert parse_range(stat) == parsed
    assert is_supported(stat)


@pytest.mark.parametrize(
    "stat",
    ["TC()", "TC(:)", "TC(a:b)", "TC(1)", "TC(1:2:3)", "TC(5:1)", "TC(90%:10%)", "PR(10%:)",
     "PR(:90%)", "TC(10%:500)", "TC(10:50%)", "TC(:101%)", "TC(-1:5)", "TC( 1:2)", "TC(1:2",
     "TC[1:2]", "tc101", "tc", "pr90", "TC(1e3:)", "TS(1:2)", "WM(1:2)"],
)
def test_malformed_ranges_are_refused(stat):
    assert parse_range(stat) is None
    assert not is_supported(stat)


@pytest.mark.parametrize("stat", ["tc(1:2)", "pr(:300)", "Tm(1:2)", "TC90", "TM99"])
def test_only_the_documented_spellings(stat):
    # AWS's page writes TC(X:Y), PR(X:Y), TM(X:Y), tcNN, tmNN; the emulator takes only those,
    # as it takes `Sum` but not `sum`
    assert not is_supported(stat)
