//! Which live target is stable and which is the canary, for a draft: the operator's
//! `--stable`/`--canary` when given (a name, an ARN or a version), else the heaviest target is
//! stable and the one other target, or a Lambda alias's newer version, is the canary. Anything
//! that leaves a doubt (one target and no canary, three targets) is refused, naming the targets
//! and the flag that settles it.

use super::{LiveForward, LiveTarget, Routed};

/// One side of the draft's route.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    /// What the playbook writes: a target group's name (or ARN), or a version.
    pub written: String,
    /// Its live weight and target type, when it is in the forward.
    pub live: Option<LiveTarget>,
    /// Its live share in percent (one decimal), when it is in the forward.
    pub percent: Option<f64>,
}

/// The two sides and the canary's live percent.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    pub stable: Side,
    pub canary: Side,
    /// The canary's live share in percent, when it has any.
    pub canary_percent: Option<f64>,
}

impl LiveForward {
    /// The draft's stable and canary, given the operator's choices.
    pub fn pick(&self, stable: Option<&str>, canary: Option<&str>) -> Result<Picked, String> {
        let found = |given: &str| self.targets.iter().find(|t| t.matches(given)).cloned();
        let stable_side = match stable {
            Some(given) => self.side(given, found(given)),
            None => {
                let heaviest = self
                    .targets
                    .iter()
                    .filter(|t| canary.is_none_or(|c| !t.matches(c)))
                    .reduce(|best, t| if t.weight > best.weight { t } else { best })
                    .ok_or_else(|| format!("{} forwards to nothing", self.routed.shown()))?;
                self.side(&heaviest.written(), Some(heaviest.clone()))
            }
        };
        if self.is_lambda() && !stable_side.written.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{} serves {}, not a published version: publish one (`aws lambda \
                 publish-version`) and point the alias at it, or give --stable <version>",
                self.routed.shown(),
                stable_side.written
            ));
        }
        let canary_side = match canary {
            Some(given) => self.side(given, found(given)),
            None => self.other_than(&stable_side)?,
        };
        if canary_side.written == stable_side.written {
            return Err(format!(
                "the stable and the canary are both {}: give another --canary",
                canary_side.written
            ));
        }
        let canary_percent = canary_side.percent.filter(|p| *p > 0.0);
        Ok(Picked {
            stable: stable_side,
            canary: canary_side,
            canary_percent,
        })
    }

    fn is_lambda(&self) -> bool {
        matches!(self.routed, Routed::LambdaAlias { .. })
    }

    /// A target in the forward is written by its name; one that is not yet, as given, except
    /// that an ALB target group's ARN is written by the name in it (names are unique in an
    /// account and region, and resolution checks it).
    fn side(&self, given: &str, live: Option<LiveTarget>) -> Side {
        let given = given.trim();
        let written = match &live {
            Some(t) => t.written(),
            None => crate::traffic::alb::arn::target_group_name(given)
                .unwrap_or(given)
                .to_string(),
        };
        let total: u32 = self.targets.iter().map(|t| t.weight).sum();
        let percent = live
            .as_ref()
            .filter(|_| total > 0)
            .map(|t| (f64::from(t.weight) * 1000.0 / f64::from(total)).round() / 10.0);
        Side {
            written,
            live,
            percent,
        }
    }

    /// The one target other than `stable`, or a Lambda alias's newer version.
    fn other_than(&self, stable: &Side) -> Result<Side, String> {
        let others: Vec<&LiveTarget> = self
            .targets
            .iter()
            .filter(|t| t.written() != stable.written)
            .collect();
        match (others.as_slice(), &self.newer_version) {
            ([one], _) => Ok(self.side(&one.written(), Some((*one).clone()))),
            ([], Some(newer)) => Ok(self.side(newer, None)),
            ([], None) if self.is_lambda() => Err(format!(
                "{} serves only version {} and no newer version is published: publish the \
                 canary (`aws lambda publish-version`), or give --canary <version>",
                self.routed.shown(),
                stable.written
            )),
            ([], None) => Err(format!(
                "{} forwards only to {}: name the canary target group with --canary <name or \
                 ARN> (it need not be in the forward yet)",
                self.routed.shown(),
                stable.written
            )),
            (many, _) => {
                let listed: Vec<String> = many.iter().map(|t| t.written()).collect();
                Err(format!(
                    "{} forwards to {} besides {}: say which is the canary with --canary \
                     (and the stable with --stable)",
                    self.routed.shown(),
                    listed.join(", "),
                    stable.written
                ))
            }
        }
    }
}

impl LiveTarget {
    /// Its name when AWS gave one, else its id.
    fn written(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.clone())
    }

    /// True when `given` (a name, an ARN, an id or a version) is this target.
    fn matches(&self, given: &str) -> bool {
        let given = given.trim();
        self.id == given
            || self.name.as_deref() == Some(given)
            || self.id.rsplit('/').next() == Some(given)
    }
}

impl Routed {
    /// The resource for messages.
    pub fn shown(&self) -> String {
        match self {
            Routed::AlbListener { arn } => format!("listener {arn}"),
            Routed::AlbRule { arn } => format!("rule {arn}"),
            Routed::LatticeListener { arn } => format!("VPC Lattice listener {arn}"),
            Routed::LatticeRule { arn } => format!("VPC Lattice rule {arn}"),
            Routed::LambdaAlias { function, alias } => format!("Lambda alias {function}:{alias}"),
        }
    }
}

#[cfg(test)]
#[path = "pick_tests.rs"]
mod tests;
