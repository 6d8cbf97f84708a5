//! A starting playbook, drafted from what a live route forwards to (`init --from <ARN>`): the
//! route, the two targets, steps, checks suited to the backend, and a bake long enough for every
//! step to see a +1 point error-rate regression on the route's recent traffic.
//!
//! Pure: the caller reads AWS and passes what it found; every draft is parsed before it is
//! returned, so a draft always validates. Every value that came from AWS is written as a quoted
//! scalar unless it is plainly safe, and comments are one line each, so an odd name can neither
//! break the YAML nor add a key.

use super::values::show_duration;
use crate::core::forecast::{forecast, Recent, ONE_POINT};
use crate::core::Timestamp;
use std::fmt::Write;
use std::time::Duration;

/// Where the weights are and what they shift between, as the playbook writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftRoute {
    /// `key` is `listener` or `rule`; the target groups by name or ARN.
    Alb {
        key: &'static str,
        arn: String,
        stable: String,
        canary: String,
    },
    Lattice {
        key: &'static str,
        arn: String,
        stable: String,
        canary: String,
    },
    LambdaAlias {
        function: String,
        alias: String,
        stable_version: String,
        canary_version: String,
    },
}

/// Everything a draft says.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub name: String,
    pub route: DraftRoute,
    pub bake: Duration,
    /// The header's lines (what was found), each made one line here.
    pub notes: Vec<String>,
    /// The canary's live percent, when it already has traffic (`start_from` is then the
    /// author's choice, shown commented out).
    pub canary_live_percent: Option<f64>,
}

/// The steps every draft starts with.
pub const STEPS: [u32; 4] = [10, 25, 50, 100];
/// The bakes tried, shortest first.
pub const BAKES: [Duration; 5] = [
    Duration::from_secs(300),
    Duration::from_secs(600),
    Duration::from_secs(900),
    Duration::from_secs(1800),
    Duration::from_secs(3600),
];

/// Where the schema of this release is published, for the draft's modeline.
fn schema_url() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let raw = repository.replacen(
        "https://github.com/",
        "https://raw.githubusercontent.com/",
        1,
    );
    format!(
        "{raw}/v{}/{}",
        env!("CARGO_PKG_VERSION"),
        super::schema::COMMITTED_PATH
    )
}

/// The playbook text of `draft`.
pub fn render(draft: &Draft) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={}", schema_url());
    for note in &draft.notes {
        let _ = writeln!(out, "# {}", crate::text::shown(note, 300));
    }
    let _ = writeln!(out, "# Review it, then: canary-deploy plan <this file>");
    let _ = writeln!(out, "version: 1\nname: {}\n\nroute:", scalar(&draft.name));
    match &draft.route {
        DraftRoute::Alb {
            key,
            arn,
            stable,
            canary,
        }
        | DraftRoute::Lattice {
            key,
            arn,
            stable,
            canary,
        } => {
            let backend = match draft.route {
                DraftRoute::Alb { .. } => "alb",
                _ => "lattice",
            };
            let _ = writeln!(
                out,
                "  {backend}:\n    {key}: {}\n    stable: {}\n    canary: {}",
                scalar(arn),
                scalar(stable),
                scalar(canary)
            );
        }
        DraftRoute::LambdaAlias {
            function,
            alias,
            stable_version,
            canary_version,
        } => {
            let _ = writeln!(
                out,
                "  lambda_alias:\n    function: {}\n    alias: {}\n    stable_version: \"{}\"\n    \
                 canary_version: \"{}\"",
                scalar(function),
                scalar(alias),
                digits(stable_version),
                digits(canary_version)
            );
        }
    }
    if let Some(percent) = draft.canary_live_percent {
        let _ = writeln!(
            out,
            "\n# The canary already has {percent} % of the traffic: `run` refuses until you choose.\n\
             # start_from: live          # continue from {percent} %\n\
             # start_from: first_step    # bring it down to the first step first"
        );
    }
    let steps: Vec<String> = STEPS.iter().map(u32::to_string).collect();
    let _ = writeln!(
        out,
        "\nsteps:\n  canary: [{}]\n  bake: {}\n\nanalysis:\n  interval: 30s\n  period: 60s\n\n\
         checks:",
        steps.join(", "),
        show_duration(draft.bake).replace(' ', "")
    );
    out.push_str(&checks(&draft.route));
    out
}

fn checks(route: &DraftRoute) -> String {
    const COMMON: &str = "  - name: errors-vs-stable
    error_rate_vs_stable: { max_delta_percent: 1 }
  - name: errors
    error_rate: { max_percent: 5 }
  - name: p99-vs-stable
    latency_vs_stable: { percentile: p99, max_ratio: 1.2 }
";
    const THROTTLES: &str = "  - name: throttles
    throttles: { max_percent: 1 }
";
    match route {
        DraftRoute::LambdaAlias { .. } => format!("{COMMON}{THROTTLES}"),
        _ => COMMON.to_string(),
    }
}

/// `value` as a YAML scalar: plain when it is only ARN and name characters, else a
/// double-quoted JSON string (valid YAML, escaping anything else).
fn scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '-' | '_' | '.'))
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A version number's digits (anything else dropped: the parse then refuses it).
fn digits(version: &str) -> String {
    version.chars().filter(char::is_ascii_digit).collect()
}

/// `--name` as the playbook's `name:` would be checked, before any AWS call.
pub fn check_name(name: &str) -> Result<(), String> {
    super::values::simple_name("name", name, "--name")
        .map(|_| ())
        .map_err(|bad| {
            format!(
                "{}: {}",
                bad.message,
                bad.hint.replace("`name: ", "`--name ")
            )
        })
}

/// A deployment name from `words` (names of the targets or the function): 1–64 of letters,
/// digits, `-` and `_`, anything else a `-`.
pub fn name_from(words: &[&str]) -> String {
    let joined = words.join("-");
    let mut name: String = joined
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').chars().take(64).collect();
    let name = name.trim_end_matches('-').to_string();
    if name.is_empty() {
        "canary".to_string()
    } else {
        name
    }
}

/// The shortest of [`BAKES`] at which every step detects +1 point within its bake on `recent`
/// traffic, and what to say of the choice; the longest, saying so, when none does.
pub fn choose_bake(draft: &Draft, recent: Recent, now: Timestamp) -> (Duration, String) {
    let mut last = None;
    for bake in BAKES {
        let candidate = Draft {
            bake,
            ..draft.clone()
        };
        let Ok(validated) = super::parse(&render(&candidate), "draft.yaml") else {
            continue;
        };
        let f = forecast(&validated.plan, 0, recent, now);
        let worst = f
            .steps
            .iter()
            .map(|s| s.detects_in_bake.unwrap_or(f64::INFINITY))
            .fold(0.0_f64, f64::max);
        if worst <= ONE_POINT {
            let why = format!(
                "bake {}: the shortest at which every step can detect a +1 pt error-rate \
                 regression on the last hour's traffic",
                show_duration(bake)
            );
            return (bake, why);
        }
        last = Some((bake, worst));
    }
    let (bake, worst) = last.unwrap_or((BAKES[BAKES.len() - 1], f64::INFINITY));
    let detects = if worst.is_finite() {
        format!("+{:.1} pt", worst * 100.0)
    } else {
        "nothing (too little traffic)".to_string()
    };
    let why = format!(
        "bake {}: even so, a step detects only {detects} on the last hour's traffic; raise \
         the first step or lower analysis.confidence (see `canary-deploy plan`)",
        show_duration(bake)
    );
    (bake, why)
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
