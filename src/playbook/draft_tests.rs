use super::*;
use crate::core::plan::Route;

const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";

fn alb(stable: &str, canary: &str) -> Draft {
    Draft {
        name: "checkout".into(),
        route: DraftRoute::Alb {
            key: "listener",
            arn: LISTENER.into(),
            stable: stable.into(),
            canary: canary.into(),
        },
        bake: Duration::from_secs(600),
        notes: vec!["found: stable a, canary b".into()],
        canary_live_percent: None,
    }
}

fn parsed(draft: &Draft) -> crate::core::Plan {
    let text = render(draft);
    match crate::playbook::parse(&text, "draft.yaml") {
        Ok(v) => v.plan,
        Err(e) => panic!("the draft does not validate:\n{e}\n{text}"),
    }
}

#[test]
fn every_backend_drafts_a_playbook_that_validates() {
    let plan = parsed(&alb("checkout-ec2", "checkout-lambda"));
    assert!(matches!(plan.route, Route::Alb(_)));
    assert_eq!(plan.checks.len(), 3);
    assert_eq!(plan.steps.len(), STEPS.len());
    let lattice = Draft {
        route: DraftRoute::Lattice {
            key: "rule",
            arn: "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef1/rule/rule-0123456789abcdef2".into(),
            stable: "checkout-v1".into(),
            canary: "checkout-v2".into(),
        },
        ..alb("a", "b")
    };
    assert!(matches!(parsed(&lattice).route, Route::Lattice(_)));
    let lambda = Draft {
        route: DraftRoute::LambdaAlias {
            function: "checkout".into(),
            alias: "live".into(),
            stable_version: "7".into(),
            canary_version: "8".into(),
        },
        canary_live_percent: Some(10.0),
        ..alb("a", "b")
    };
    let plan = parsed(&lambda);
    assert!(matches!(plan.route, Route::LambdaAlias(_)));
    assert_eq!(plan.checks.len(), 4, "Lambda adds the throttles check");
    let text = render(&lambda);
    assert!(text.contains("# start_from: live"), "{text}");
    assert!(
        text.starts_with("# yaml-language-server: $schema=https://"),
        "{text}"
    );
}

#[test]
fn odd_text_from_aws_cannot_add_a_key_or_a_line() {
    let mut draft = alb("checkout-ec2", "x\ncanary: evil");
    draft.notes = vec!["line one\nname: injected".into()];
    let text = render(&draft);
    assert!(!text.contains("\ncanary: evil"), "{text}");
    assert!(!text.contains("\nname: injected"), "{text}");
    // The quoted name is read back as the one odd value, which validation then refuses.
    let err = crate::playbook::parse(&text, "draft.yaml").unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(
        err.problems[0].message.contains("target group name"),
        "{err}"
    );
}

#[test]
fn names_are_made_valid() {
    assert_eq!(name_from(&["checkout", "live"]), "checkout-live");
    assert_eq!(name_from(&["a b/c", ""]), "a-b-c");
    assert_eq!(name_from(&["", ""]), "canary");
    assert_eq!(name_from(&[&"x".repeat(100)]).len(), 64);
}

#[test]
fn the_bake_is_the_shortest_that_sees_one_point() {
    let now = Timestamp::from_secs(1_800_000_000);
    let busy = Recent {
        requests_per_second: 200.0,
        error_rate: Some(0.01),
    };
    let quiet = Recent {
        requests_per_second: 0.5,
        error_rate: Some(0.01),
    };
    let draft = alb("a", "b");
    let (busy_bake, why) = choose_bake(&draft, busy, now);
    assert_eq!(busy_bake, BAKES[0], "{why}");
    let (quiet_bake, why) = choose_bake(&draft, quiet, now);
    assert_eq!(quiet_bake, BAKES[BAKES.len() - 1], "{why}");
    assert!(why.contains("detects only"), "{why}");
    let middling = Recent {
        requests_per_second: 20.0,
        error_rate: Some(0.01),
    };
    let (bake, why) = choose_bake(&draft, middling, now);
    assert!(bake > BAKES[0] && bake <= BAKES[BAKES.len() - 1], "{why}");
}
