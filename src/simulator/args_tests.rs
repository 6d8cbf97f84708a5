//! The `traffic-sim` command line: each backend's route flag parses into its session, and
//! every refusal names the flags to fix.

use super::args::SimArgs;
use super::{LatticeRouteRef, RouteRef, SimBackend, SimRoute};
use clap::{CommandFactory, Parser};
use std::time::Duration;

const ALB_RULE: &str = "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3";
const ALB_TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/1=0,1,2";
const LATTICE: &str = "arn:aws:vpc-lattice:us-east-1:1:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef1";
const LATTICE_TG: &str = "tg-0123456789abcdef0=0,1,2";
const ALIAS: &str = "arn:aws:lambda:us-east-1:1:function:checkout:live";

fn parse(args: &[&str]) -> Result<SimArgs, clap::Error> {
    SimArgs::try_parse_from(std::iter::once("traffic-sim").chain(args.iter().copied()))
}

#[test]
fn one_route_flag_of_either_backend() {
    SimArgs::command().debug_assert();
    let alb = parse(&[
        "--rule-arn",
        ALB_RULE,
        "--target",
        ALB_TG,
        "--duration",
        "2m",
    ]);
    let alb = alb.expect("parses").session().expect("an ALB route");
    assert_eq!((alb.duration, alb.rps), (Duration::from_secs(120), 50));
    assert_eq!(alb.route, SimRoute::Alb(RouteRef::Rule(ALB_RULE.into())));
    assert_eq!(alb.backend.namespace(), "AWS/ApplicationELB");
    let lattice = parse(&["--lattice-listener-arn", LATTICE, "--target", LATTICE_TG]);
    let lattice = lattice.expect("parses").session().expect("Lattice");
    let listener = LatticeRouteRef::Listener(LATTICE.into());
    assert_eq!(
        (lattice.route, lattice.backend),
        (SimRoute::Lattice(listener), SimBackend::Lattice)
    );
    let lambda = parse(&["--lambda-alias-arn", ALIAS, "--target", "2=0.05,130,320"]);
    let lambda = lambda.expect("parses").session().expect("Lambda");
    assert_eq!(lambda.route.arn(), ALIAS);
    let expected = SimBackend::Lambda {
        function_name: "checkout".into(),
        alias: "live".into(),
    };
    assert_eq!(lambda.backend, expected);
}

#[test]
fn refusals_name_the_flags() {
    let nlb = "arn:aws:elasticloadbalancing:us-east-1:1:listener/net/x/1/2";
    let (lb, t) = ("--load-balancer-dimension", "--target");
    let cases: [(&[&str], &[&str]); 12] = [
        (&[t, ALB_TG], &["--rule-arn", "--lattice-rule-arn"]),
        (&["--rule-arn", ALB_RULE], &[t]),
        (
            &["--rule-arn", ALB_RULE, "--lattice-listener-arn", LATTICE],
            &["--rule-arn"],
        ),
        (
            &["--lattice-rule-arn", LATTICE, t, LATTICE_TG],
            &["--lattice-rule-arn <ARN>"],
        ),
        (
            &[
                "--lattice-listener-arn",
                LATTICE,
                lb,
                "app/w/1",
                t,
                LATTICE_TG,
            ],
            &[lb],
        ),
        (
            &["--lattice-listener-arn", LATTICE, t, ALB_TG],
            &["--target arn:aws:elastic"],
        ),
        (
            &["--rule-arn", ALB_RULE, t, ALB_TG, t, LATTICE_TG],
            &["--target tg-0", "--rule-arn"],
        ),
        (&["--listener-arn", nlb, t, ALB_TG], &[lb]),
        (
            &["--lambda-alias-arn", ALIAS, t, LATTICE_TG],
            &["--target tg-0", "the alias's version numbers"],
        ),
        (
            &["--lambda-alias-arn", ALIAS, lb, "app/w/1", t, "2=0,1,2"],
            &[lb],
        ),
        (
            &[
                "--lambda-alias-arn",
                "arn:aws:lambda:us-east-1:1:function:checkout:7",
            ],
            &["a Lambda alias ARN"],
        ),
        (
            &["--duration", "25h", "--rule-arn", ALB_RULE, t, ALB_TG],
            &["longer than 24h"],
        ),
    ];
    for (args, needles) in cases {
        let err = match parse(args) {
            Ok(args) => args.session().expect_err("refused").to_string(),
            Err(e) => e.to_string(),
        };
        for needle in needles.iter().chain(&[args[0]]) {
            assert!(err.contains(needle), "{args:?}: {err}");
        }
    }
}
