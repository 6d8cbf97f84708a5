//! `steps:` → the list of [`Step`]s: explicit `canary: [...]` or `linear: {step, every}`,
//! strictly increasing, ending at 100 %, and within `max_step`.

use super::error::{Diag, Pos};
use super::model::{LinearDoc, Sp, StepDoc, StepItem, StepsDoc};
use super::values::{percent_permille, points, whole_seconds};
use crate::core::plan::{Gate, Step};
use crate::core::types::Share;
use std::time::Duration;

/// A step before conversion, with where it was written.
struct Planned {
    permille: u16,
    bake: Duration,
    gate: Option<Gate>,
    at: Pos,
    /// Added by validation (the final 100 % step), not written by the user.
    appended: bool,
}

pub(crate) fn steps(d: &mut Diag, doc: &Sp<StepsDoc>) -> Option<Vec<Step>> {
    let s = &doc.value;
    let errors_before = d.error_count();
    let max_step = s.max_step.as_ref().and_then(|m| {
        d.check(m, percent_permille(Some("max_step"), m.value))
            .map(|pm| (pm, Pos::from(m)))
    });
    let planned = match (&s.canary, &s.linear) {
        (Some(_), Some(linear)) => {
            d.error(
                linear,
                "`canary` and `linear` are two ways to write the steps; keep one",
                "write either `canary: [5, 25, 50, 100]` with `bake:`, or `linear: { step: 10, every: 2m }`",
            );
            return None;
        }
        (None, None) => {
            d.error(
                doc,
                "`steps` needs `canary:` (a list of percents) or `linear:`",
                "write `canary: [5, 25, 50, 100]` and `bake: 2m`, or `linear: { step: 10, every: 2m }`",
            );
            return None;
        }
        (Some(list), None) => explicit(d, doc, list)?,
        (None, Some(linear)) => {
            if let Some(bake) = &s.bake {
                d.error(
                    bake,
                    "`bake` goes with `canary:`; with `linear:` each step bakes for `every`",
                    "remove `bake:` and set `every:` under `linear:`",
                );
            }
            let (list, step_at) = linear_steps(d, linear)?;
            if let Some((limit, _)) = max_step {
                let step = list.first().map_or(0, |p| p.permille);
                if step > limit {
                    d.error(
                        step_at,
                        format!(
                            "the jump from 0% to {}% is {} points, more than max_step {}",
                            points(step),
                            points(step),
                            points(limit)
                        ),
                        format!("write a smaller step, e.g. `step: {}`", points(limit)),
                    );
                }
            }
            list
        }
    };
    if let (Some((limit, _)), Some(_)) = (max_step, &s.canary) {
        check_jumps(d, &planned, limit);
    }
    if d.error_count() > errors_before {
        return None;
    }
    planned
        .iter()
        .map(|p| {
            Share::from_permille(p.permille).map(|share| Step {
                share,
                bake: p.bake,
                gate: p.gate,
            })
        })
        .collect()
}

/// `canary: [...]` with the default `bake`, plus a final 100 % step when it stops short.
fn explicit(
    d: &mut Diag,
    doc: &Sp<StepsDoc>,
    list: &Sp<Vec<Sp<StepItem>>>,
) -> Option<Vec<Planned>> {
    let default_bake = doc
        .value
        .bake
        .as_ref()
        .map(|b| d.check(b, whole_seconds("bake", &b.value)));
    if list.value.is_empty() {
        d.error(
            list,
            "`canary` lists no steps",
            "write the canary's percent of traffic per step, e.g. `canary: [5, 25, 50, 100]`",
        );
        return None;
    }
    let mut planned = Vec::new();
    let mut needs_default = false;
    let mut ok = true;
    for item in &list.value {
        if let StepItem::Detailed(StepDoc {
            gate: Some(gate),
            percent,
            bake,
        }) = &item.value
        {
            ok &= attach_gate(
                d,
                &mut planned,
                item,
                gate,
                percent.is_some() || bake.is_some(),
            );
            continue;
        }
        let (permille, bake) = match &item.value {
            StepItem::Percent(v) => (d.check(item, percent_permille(None, *v)), None),
            StepItem::Text(t) => {
                d.error(
                    item,
                    format!("step `{t}` is not a number"),
                    format!(
                        "write the percent as a plain number, e.g. `{}` (no `%`, no quotes)",
                        t.trim().trim_matches('"').trim_end_matches('%').trim()
                    ),
                );
                (None, None)
            }
            StepItem::Detailed(step) => {
                let permille = match &step.percent {
                    Some(p) => d.check(p, percent_permille(Some("percent"), p.value)),
                    None => {
                        d.error(
                            item,
                            "this step needs `percent:`",
                            "write e.g. `{percent: 10, bake: 5m}`",
                        );
                        None
                    }
                };
                let bake = step
                    .bake
                    .as_ref()
                    .map(|b| d.check(b, whole_seconds("bake", &b.value)));
                (permille, bake)
            }
        };
        let bake = match bake {
            Some(own) => own,
            None => {
                needs_default = true;
                default_bake.flatten()
            }
        };
        match (permille, bake) {
            (Some(permille), Some(bake)) => planned.push(Planned {
                permille,
                bake,
                gate: None,
                at: Pos::from(item),
                appended: false,
            }),
            (Some(permille), None) => planned.push(Planned {
                permille,
                bake: Duration::ZERO,
                gate: None,
                at: Pos::from(item),
                appended: false,
            }),
            _ => ok = false,
        }
    }
    if needs_default && default_bake.is_none() {
        d.error(
            doc,
            "`steps` needs `bake:`, the time each step waits with passing checks before the next",
            "add `bake: 2m` under `steps:` (or give every step its own bake: `{percent: 10, bake: 5m}`)",
        );
    }
    for pair in planned.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        if next.permille <= prev.permille {
            let what = if next.permille == prev.permille {
                "repeats"
            } else {
                "comes after"
            };
            d.error(
                next.at,
                format!("steps must increase: {}% {what} {}%", points(next.permille), points(prev.permille)),
                "list the percents from smallest to largest, each larger than the one before, e.g. `canary: [5, 25, 50, 100]`",
            );
        }
    }
    if let Some(last) = planned.last() {
        if last.permille < 1000 {
            let at = last.at;
            planned.push(Planned {
                permille: 1000,
                bake: Duration::ZERO,
                gate: None,
                at,
                appended: true,
            });
        }
    }
    ok.then_some(planned)
}

/// `- gate: approval` or `- gate: 10m` on the step before it; false when refused.
fn attach_gate(
    d: &mut Diag,
    planned: &mut [Planned],
    item: &Sp<StepItem>,
    gate: &Sp<String>,
    with_step: bool,
) -> bool {
    if with_step {
        d.error(
            item,
            "a gate is an entry of its own, not part of a step",
            "write the step, then the gate after it: `canary: [10, {gate: approval}, 50, 100]`",
        );
        return false;
    }
    let Some(previous) = planned.last_mut() else {
        d.error(
            gate,
            "a gate holds the step before it, and this one comes before every step",
            "put it after the step to hold: `canary: [10, {gate: approval}, 50, 100]`",
        );
        return false;
    };
    if previous.permille >= 1000 {
        d.error(
            gate,
            "a gate after the 100% step holds nothing: the canary already has all traffic",
            "put the gate before the last step, e.g. `canary: [10, 50, {gate: approval}, 100]`",
        );
        return false;
    }
    if previous.gate.is_some() {
        d.error(
            gate,
            "two gates in a row: a step has one gate",
            "keep one: `{gate: approval}`, or a wait such as `{gate: 10m}`",
        );
        return false;
    }
    let text = gate.value.trim();
    let parsed = match text {
        "approval" => Some(Gate::Approval),
        _ if !text.starts_with(|c: char| c.is_ascii_digit()) => {
            d.error(
                gate,
                format!("`gate: {text}` is neither `approval` nor a wait"),
                "write `gate: approval` (held until `canary-deploy resume`), or a wait such as \
                 `gate: 10m`",
            );
            None
        }
        _ => match d.check(gate, whole_seconds("gate", text)) {
            Some(Duration::ZERO) => {
                d.error(
                    gate,
                    "`gate: 0s` waits for nothing",
                    "write `gate: approval`, or a wait such as `gate: 10m`",
                );
                None
            }
            Some(wait) => Some(Gate::Wait(wait)),
            None => None,
        },
    };
    previous.gate = parsed;
    parsed.is_some()
}

/// `linear: {step, every}` → step, 2×step, ... 100, each baking `every`.
fn linear_steps(d: &mut Diag, linear: &Sp<LinearDoc>) -> Option<(Vec<Planned>, Pos)> {
    let l = &linear.value;
    let step = match &l.step {
        Some(s) => d
            .check(s, percent_permille(Some("step"), s.value))
            .map(|pm| (pm, Pos::from(s))),
        None => {
            d.error(
                linear,
                "`linear` needs `step:`, the percent added at each step",
                "write e.g. `linear: { step: 10, every: 2m }`",
            );
            None
        }
    };
    let every = match &l.every {
        Some(e) => match d.check(e, whole_seconds("every", &e.value)) {
            Some(Duration::ZERO) => {
                d.error(
                    e,
                    "`every` must be longer than zero",
                    "write how long each step bakes, e.g. `every: 2m`",
                );
                None
            }
            other => other,
        },
        None => {
            d.error(
                linear,
                "`linear` needs `every:`, how long each step bakes",
                "write e.g. `linear: { step: 10, every: 2m }`",
            );
            None
        }
    };
    let ((step, at), every) = (step?, every?);
    let mut list = Vec::new();
    let mut permille = step;
    while permille < 1000 {
        list.push(Planned {
            permille,
            bake: every,
            gate: None,
            at,
            appended: false,
        });
        permille = permille.saturating_add(step);
    }
    list.push(Planned {
        permille: 1000,
        bake: every,
        gate: None,
        at,
        appended: false,
    });
    Some((list, at))
}

/// Every jump, from 0 to the first step and into the final 100 %, at most `limit`.
fn check_jumps(d: &mut Diag, planned: &[Planned], limit: u16) {
    if limit == 0 {
        return; // rejected by `percent_permille`; guards the loop below
    }
    let mut prev = 0u16;
    let mut fixed = Vec::new();
    let mut violations = Vec::new();
    for p in planned {
        if p.permille <= prev {
            continue; // reported as not increasing
        }
        if p.permille - prev > limit {
            violations.push((prev, p));
            let mut between = prev.saturating_add(limit);
            while between < p.permille {
                fixed.push(between);
                between = between.saturating_add(limit);
            }
        }
        fixed.push(p.permille);
        prev = p.permille;
    }
    let suggestion: Vec<String> = fixed.iter().map(|pm| points(*pm)).collect();
    for (from, p) in violations {
        let final_note = if p.appended {
            " (the final step to 100% is added when the list stops short of it)"
        } else {
            ""
        };
        d.error(
            p.at,
            format!(
                "the jump from {}% to {}% is {} points, more than max_step {}{final_note}",
                points(from),
                points(p.permille),
                points(p.permille - from),
                points(limit)
            ),
            format!(
                "insert intermediate steps, e.g. `canary: [{}]`",
                suggestion.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::test_support::{section, with_hints};

    fn run(yaml: &str) -> Result<Vec<(u16, u64)>, Vec<String>> {
        section(yaml, steps)
            .map(|s| {
                s.iter()
                    .map(|s| (s.share.permille(), s.bake.as_secs()))
                    .collect()
            })
            .map_err(with_hints)
    }

    fn gates(yaml: &str) -> Result<Vec<Option<Gate>>, Vec<String>> {
        section(yaml, steps)
            .map(|s| s.iter().map(|s| s.gate).collect())
            .map_err(with_hints)
    }

    #[test]
    fn a_gate_holds_the_step_before_it() {
        assert_eq!(
            gates("canary: [10, {gate: approval}, 50, {gate: 10m}, 100]\nbake: 1m").unwrap(),
            vec![
                Some(Gate::Approval),
                Some(Gate::Wait(Duration::from_secs(600))),
                None
            ]
        );
        // A gate is no step: the steps are the same with or without it.
        assert_eq!(
            run("canary: [10, {gate: approval}, 50]\nbake: 1m").unwrap(),
            run("canary: [10, 50]\nbake: 1m").unwrap()
        );
    }

    #[test]
    fn misplaced_or_unknown_gates_are_refused_with_the_fix() {
        let cases = [
            (
                "canary: [{gate: approval}, 10, 100]",
                "comes before every step",
            ),
            (
                "canary: [10, 100, {gate: approval}]",
                "after the 100% step holds nothing",
            ),
            (
                "canary: [10, {gate: approval}, {gate: 5m}, 100]",
                "two gates in a row",
            ),
            (
                "canary: [10, {gate: aproval}, 100]",
                "neither `approval` nor a wait",
            ),
            ("canary: [10, {gate: 0s}, 100]", "waits for nothing"),
            (
                "canary: [10, {gate: 1.5s}, 100]",
                "not a whole number of seconds",
            ),
            (
                "canary: [10, {percent: 50, gate: approval}, 100]",
                "an entry of its own",
            ),
        ];
        for (steps, says) in cases {
            let errors = gates(&format!("{steps}\nbake: 1m")).unwrap_err();
            assert!(
                errors.iter().any(|e| e.contains(says)),
                "{steps}: {errors:?}"
            );
        }
    }

    #[test]
    fn explicit_steps_get_a_final_promotion_step() {
        assert_eq!(
            run("canary: [5, 10, 25, 50]\nbake: 2m").unwrap(),
            vec![(50, 120), (100, 120), (250, 120), (500, 120), (1000, 0)]
        );
        assert_eq!(
            run("canary: [50, 100]\nbake: 1m").unwrap(),
            vec![(500, 60), (1000, 60)]
        );
    }

    #[test]
    fn per_step_bake_overrides_the_default() {
        assert_eq!(
            run("canary: [0.5, {percent: 10, bake: 5m}, 100]\nbake: 30s").unwrap(),
            vec![(5, 30), (100, 300), (1000, 30)]
        );
        // No default needed when every step has its own.
        assert_eq!(
            run("canary: [{percent: 10, bake: 1m}]").unwrap(),
            vec![(100, 60), (1000, 0)]
        );
        let e = run("canary: [10, {percent: 20, bake: 1m}]").unwrap_err();
        assert!(e[0].contains("needs `bake:`"), "{e:?}");
    }

    #[test]
    fn linear_steps_each_bake_every() {
        assert_eq!(
            run("linear: {step: 25, every: 1m}").unwrap(),
            vec![(250, 60), (500, 60), (750, 60), (1000, 60)]
        );
        assert_eq!(
            run("linear: {step: 30, every: 10s}").unwrap(),
            vec![(300, 10), (600, 10), (900, 10), (1000, 10)]
        );
        assert_eq!(
            run("linear: {step: 100, every: 10s}").unwrap(),
            vec![(1000, 10)]
        );
        assert!(run("linear: {step: 10, every: 0s}").unwrap_err()[0].contains("longer than zero"));
        assert!(run("linear: {step: 0, every: 1m}").unwrap_err()[0].contains("outside 0.1–100"));
        assert!(
            run("linear: {step: 10, every: 1m}\nbake: 2m").unwrap_err()[0]
                .contains("`bake` goes with `canary:`")
        );
        assert_eq!(run("linear: {}").unwrap_err().len(), 2);
    }

    #[test]
    fn steps_must_increase_and_stay_in_range() {
        let e = run("canary: [10, 5, 5, 150]\nbake: 1m").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("1:14 steps must increase: 5% comes after 10%"),
            "{e:?}"
        );
        assert!(e[1].contains("5% repeats 5%"), "{e:?}");
        assert!(e[2].contains("step `150` is outside 0.1–100"), "{e:?}");
        assert!(run("canary: [12.34]\nbake: 1m").unwrap_err()[0].contains("multiple of 0.1"));
        assert!(run("canary: []\nbake: 1m").unwrap_err()[0].contains("lists no steps"));
        let e = run("canary: [\"10%\"]\nbake: 1m").unwrap_err();
        assert!(
            e[0].contains("step `10%` is not a number") && e[0].contains("e.g. `10`"),
            "{e:?}"
        );
        assert!(run("canary: [{bake: 1m}]\nbake: 1m").unwrap_err()[0].contains("needs `percent:`"));
    }

    #[test]
    fn max_step_covers_the_first_and_the_appended_jump() {
        let e = run("canary: [5, 10, 25, 50]\nbake: 1m\nmax_step: 25").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("the jump from 50% to 100% is 50 points, more than max_step 25"),
            "{e:?}"
        );
        assert!(e[0].contains("`canary: [5, 10, 25, 50, 75, 100]`"), "{e:?}");
        let e = run("canary: [30, 50, 100]\nbake: 1m\nmax_step: 20").unwrap_err();
        assert!(
            e[0].contains("the jump from 0% to 30% is 30 points"),
            "{e:?}"
        );
        assert!(
            e[1].contains("the jump from 50% to 100% is 50 points"),
            "{e:?}"
        );
        assert!(e[1].contains("[20, 30, 50, 70, 90, 100]"), "{e:?}");
        assert!(run("canary: [25, 50, 75, 100]\nbake: 1m\nmax_step: 25").is_ok());
        let e = run("linear: {step: 30, every: 1m}\nmax_step: 25").unwrap_err();
        assert!(
            e[0].contains("the jump from 0% to 30% is 30 points, more than max_step 25"),
            "{e:?}"
        );
        assert!(run("linear: {step: 30, every: 1m}\nmax_step: 30").is_ok());
        assert!(run("canary: [10]\nbake: 1m\nmax_step: 0").unwrap_err()[0].contains("max_step: 0"));
    }

    #[test]
    fn one_way_of_writing_steps() {
        assert!(
            run("canary: [10]\nlinear: {step: 10, every: 1m}\nbake: 1m").unwrap_err()[0]
                .contains("two ways")
        );
        assert!(run("bake: 1m").unwrap_err()[0].contains("needs `canary:`"));
        assert!(
            run("canary: [10]\nbake: 10").unwrap_err()[0].contains("`bake: 10` is not a duration")
        );
    }
}
