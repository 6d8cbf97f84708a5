//! Splitting requests between target groups by their weights, deterministically.

/// One second of `rps` requests split between stable and canary by their weights: the canary
/// gets `rps × canary / (stable + canary)` rounded to the nearest request (a half goes to
/// stable), stable gets the rest. Both weights zero: nobody gets traffic.
pub fn split_requests(rps: u64, stable_weight: u32, canary_weight: u32) -> (u64, u64) {
    let total = u128::from(stable_weight) + u128::from(canary_weight);
    if total == 0 {
        return (0, 0);
    }
    let twice = 2 * u128::from(rps) * u128::from(canary_weight);
    let canary = ((twice + total - 1) / (2 * total)) as u64;
    (rps - canary.min(rps), canary.min(rps))
}

/// Requests split over any number of target groups, second after second, by smooth weighted
/// round robin (each request goes to the target most behind its share). Over time every target
/// gets its exact share, so a 0.5 % canary at 50 requests/s still sees one request every four
/// seconds, and every second hands out exactly `rps` requests.
#[derive(Clone, Debug, Default)]
pub struct Splitter {
    current: Vec<i64>,
}

impl Splitter {
    /// The requests of the next second for each weight, in order.
    pub fn next(&mut self, rps: u64, weights: &[u32]) -> Vec<u64> {
        if self.current.len() != weights.len() {
            self.current = vec![0; weights.len()];
        }
        let mut out = vec![0u64; weights.len()];
        let total: i64 = weights.iter().map(|w| i64::from(*w)).sum();
        if total == 0 {
            self.current.iter_mut().for_each(|c| *c = 0);
            return out;
        }
        for _ in 0..rps {
            let mut best: Option<usize> = None;
            for (k, w) in weights.iter().enumerate() {
                if *w == 0 {
                    self.current[k] = 0;
                    continue;
                }
                self.current[k] += i64::from(*w);
                if best.is_none_or(|b| self.current[k] > self.current[b]) {
                    best = Some(k);
                }
            }
            if let Some(b) = best {
                self.current[b] -= total;
                out[b] += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_rounds_to_nearest_with_halves_to_stable() {
        assert_eq!(split_requests(100, 90, 10), (90, 10));
        assert_eq!(split_requests(50, 995, 5), (50, 0)); // 0.25
        assert_eq!(split_requests(50, 990, 10), (50, 0)); // 0.5: half to stable
        assert_eq!(split_requests(50, 980, 20), (49, 1));
        assert_eq!(split_requests(3, 1, 2), (1, 2));
        assert_eq!(split_requests(1, 1, 1), (1, 0));
        assert_eq!(split_requests(10, 0, 999), (0, 10));
        assert_eq!(split_requests(10, 999, 0), (10, 0));
        assert_eq!(split_requests(10, 0, 0), (0, 0));
        assert_eq!(
            split_requests(u64::MAX, 1, 999).0 + split_requests(u64::MAX, 1, 999).1,
            u64::MAX
        );
    }

    #[test]
    fn splitter_gives_exact_shares_over_time() {
        let mut s = Splitter::default();
        let mut totals = [0u64; 2];
        for _ in 0..20 {
            let second = s.next(50, &[995, 5]);
            assert_eq!(second.iter().sum::<u64>(), 50);
            totals[0] += second[0];
            totals[1] += second[1];
        }
        assert_eq!(totals, [995, 5]);
    }

    #[test]
    fn splitter_handles_zero_weights_and_many_targets() {
        let mut s = Splitter::default();
        assert_eq!(s.next(10, &[0, 0]), vec![0, 0]);
        assert_eq!(s.next(10, &[0, 7]), vec![0, 10]);
        assert_eq!(s.next(60, &[1, 2, 3]), vec![10, 20, 30]);
        assert_eq!(s.next(0, &[1, 2]), vec![0, 0]);
    }
}
