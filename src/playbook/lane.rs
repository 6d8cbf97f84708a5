//! `steps.header_lane` → [`HeaderLane`]: a rule of the tool's own that sends the requests
//! carrying one header (and only those) to the canary before the weighted steps, judged for its
//! own `bake`. Only an ALB or VPC Lattice route has request headers to match; a Lambda alias
//! does not. The header and value are held to what both load balancers accept and match alike:
//! an HTTP token name of at most 40 characters (ALB's `HttpHeaderName` limit), a value of
//! 1–128 printable ASCII characters without ALB's wildcards `*` and `?` (Lattice would match
//! them literally, ALB as patterns).

use super::error::{Bad, Diag, Pos};
use super::model::Sp;
use super::values::whole_seconds;
use crate::core::plan::{HeaderLane, Route, Step};
use crate::core::types::Share;
use std::time::Duration;

/// `header_lane: { header: x-canary, value: "1", bake: 10m }`, as written.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderLaneDoc {
    /// The request header the lane matches (case-insensitive), e.g. `x-canary`.
    #[schemars(required, regex(pattern = r"^\s*[A-Za-z0-9!#$%&'+.^_`|~-]{1,40}\s*$"))]
    pub header: Option<Sp<String>>,
    /// The value it must carry, matched exactly (quote numbers: `"1"`).
    #[schemars(required, length(min = 1, max = 128))]
    pub value: Option<Sp<String>>,
    /// How long the lane's traffic is judged before the first weighted step (default: the
    /// steps' `bake`).
    #[serde(default)]
    #[schemars(schema_with = "super::schema::nonzero_duration")]
    pub bake: Option<Sp<String>>,
}

const HEADER_HINT: &str = "write a header name such as `header: x-canary` (letters, digits and \
                           `-`, at most 40 characters)";

/// The lane of `doc` and its step (0 %, the lane's bake; `default_bake` is the first weighted
/// step's) for `route`; `None` after an error.
pub(crate) fn header_lane(
    d: &mut Diag,
    doc: &Sp<HeaderLaneDoc>,
    route: Option<&Route>,
    default_bake: Option<Duration>,
) -> Option<(HeaderLane, Step)> {
    let errors_before = d.error_count();
    if let Some(Route::LambdaAlias(_)) = route {
        d.error(
            doc,
            "`header_lane` needs an ALB or VPC Lattice route: a Lambda alias routes invocations, \
             which carry no request headers to match",
            "remove `header_lane:` (test the canary version by invoking it directly, e.g. \
             `aws lambda invoke --qualifier <version>`)",
        );
    }
    let lane = &doc.value;
    let header = match &lane.header {
        Some(h) => d.check(h, header_name(h.value.trim())),
        None => missing(d, doc, "header", HEADER_HINT),
    };
    let value = match &lane.value {
        Some(v) => d.check(v, header_value(&v.value)),
        None => missing(
            d,
            doc,
            "value",
            "write the value testers send, e.g. `value: \"1\"`",
        ),
    };
    let bake = match (&lane.bake, default_bake) {
        (Some(b), _) => d.check(b, whole_seconds("bake", &b.value)),
        (None, bake) => bake,
    };
    if let Some(b) = lane.bake.as_ref().filter(|_| bake == Some(Duration::ZERO)) {
        d.error(
            b,
            "the header lane's `bake` is zero: its traffic would never be judged",
            "write how long to judge it, e.g. `bake: 10m`",
        );
    }
    if d.error_count() > errors_before {
        return None;
    }
    let lane = HeaderLane {
        header: header?,
        value: value?,
    };
    let step = Step {
        share: Share::STABLE_ONLY,
        bake: bake?,
        gate: None,
    };
    Some((lane, step))
}

fn missing<T>(d: &mut Diag, doc: &Sp<HeaderLaneDoc>, field: &str, hint: &str) -> Option<T> {
    d.error(
        Pos::from(doc),
        format!("`header_lane` needs `{field}:`"),
        hint,
    );
    None
}

/// An HTTP token (RFC 9110) of 1–40 characters, kept as written (both load balancers match
/// names case-insensitively).
fn header_name(raw: &str) -> Result<String, Bad> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+.^_`|~-".contains(c);
    if raw.is_empty() || raw.len() > 40 || !raw.chars().all(token) || raw.contains('*') {
        return Err(Bad::new(
            format!("`header: {raw}` is not a header name"),
            HEADER_HINT,
        ));
    }
    if raw.eq_ignore_ascii_case("host") {
        return Err(Bad::new(
            "`header: host` is the host name, which the route's own conditions match",
            HEADER_HINT,
        ));
    }
    Ok(raw.to_string())
}

/// 1–128 printable ASCII characters, no `*` or `?`, no surrounding spaces.
fn header_value(raw: &str) -> Result<String, Bad> {
    let hint =
        "write a plain value such as `value: \"1\"` or `value: canary` (printable ASCII, at \
                most 128 characters, no `*` or `?`)";
    let printable = raw.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if raw.is_empty() || raw.len() > 128 || !printable || raw.trim() != raw {
        return Err(Bad::new(
            format!("`value: {raw}` is not a header value the lane can match"),
            hint,
        ));
    }
    if raw.contains(['*', '?']) {
        return Err(Bad::new(
            format!(
                "`value: {raw}` has a wildcard: an ALB would match it as a pattern and VPC \
                 Lattice as text"
            ),
            hint,
        ));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use crate::playbook::parse;

    fn alb_playbook(steps: &str) -> String {
        format!(
            "name: web\nroute:\n  alb:\n    load_balancer: my-alb\n    port: 443\n    stable: blue\n    canary: green\n{steps}"
        )
    }

    /// The lane (header, value) and the steps (permille, bake seconds) of a playbook.
    type Parsed = (Option<(String, String)>, Vec<(u16, u64)>);

    fn lane_of(steps: &str) -> Result<Parsed, String> {
        let yaml = alb_playbook(steps);
        match parse(&yaml, "p.yaml") {
            Ok(v) => Ok((
                v.plan.lane.map(|l| (l.header, l.value)),
                v.plan
                    .steps
                    .iter()
                    .map(|s| (s.share.permille(), s.bake.as_secs()))
                    .collect(),
            )),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn a_lane_is_a_zero_percent_step_before_the_weighted_ones() {
        let (lane, steps) = lane_of(
            "steps:\n  header_lane: { header: x-canary, value: \"1\", bake: 5m }\n  canary: [10, 100]\n  bake: 2m\n",
        )
        .expect("valid");
        assert_eq!(lane, Some(("x-canary".into(), "1".into())));
        assert_eq!(steps, vec![(0, 300), (100, 120), (1000, 120)]);
        let (_, steps) =
            lane_of("steps:\n  header_lane: { header: X-Test, value: yes }\n  linear: { step: 50, every: 3m }\n")
                .expect("valid");
        assert_eq!(steps[0], (0, 180), "the lane bakes as the steps by default");
    }

    #[test]
    fn an_unquoted_number_is_a_value() {
        let (lane, _) = lane_of(
            "steps:\n  header_lane: { header: x-canary, value: 1 }\n  canary: [10, 100]\n  bake: 2m\n",
        )
        .expect("valid");
        assert_eq!(lane.map(|l| l.1), Some("1".to_string()));
    }

    #[test]
    fn bad_lanes_are_refused_with_the_fix() {
        for (lane, expect) in [
            ("{ value: \"1\" }", "needs `header:`"),
            ("{ header: x-canary }", "needs `value:`"),
            (
                "{ header: \"x canary\", value: \"1\" }",
                "not a header name",
            ),
            ("{ header: host, value: a.example.com }", "host name"),
            ("{ header: x-canary, value: \"on*\" }", "wildcard"),
            ("{ header: x-canary, value: \" 1\" }", "not a header value"),
            ("{ header: x-canary, value: \"1\", bake: 0s }", "zero"),
            ("{ header: x-canary, value: \"1\", weight: 5 }", "weight"),
        ] {
            let yaml = format!("steps:\n  header_lane: {lane}\n  canary: [10, 100]\n  bake: 2m\n");
            let err = lane_of(&yaml).expect_err(lane);
            assert!(err.contains(expect), "{lane}: {err}");
        }
    }
}
