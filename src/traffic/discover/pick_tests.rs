use super::*;

fn target(name: &str, weight: u32) -> LiveTarget {
    LiveTarget {
        id: format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/73e2d6bc24d8a067"),
        name: Some(name.into()),
        kind: Some("instance".into()),
        weight,
    }
}

fn rule(targets: Vec<LiveTarget>) -> LiveForward {
    LiveForward {
        routed: Routed::AlbRule {
            arn: "arn:rule".into(),
        },
        targets,
        newer_version: None,
        note: None,
    }
}

fn alias(targets: &[(&str, u32)], newer: Option<&str>) -> LiveForward {
    LiveForward {
        routed: Routed::LambdaAlias {
            function: "checkout".into(),
            alias: "live".into(),
        },
        targets: targets
            .iter()
            .map(|(v, w)| LiveTarget {
                id: v.to_string(),
                name: None,
                kind: None,
                weight: *w,
            })
            .collect(),
        newer_version: newer.map(str::to_string),
        note: None,
    }
}

#[test]
fn the_heaviest_is_stable_and_the_other_the_canary() {
    let p = rule(vec![target("ec2", 90), target("lambda", 10)])
        .pick(None, None)
        .unwrap();
    assert_eq!(
        (p.stable.written.as_str(), p.canary.written.as_str()),
        ("ec2", "lambda")
    );
    assert_eq!(p.canary_percent, Some(10.0));
    let p = rule(vec![target("lambda", 0), target("ec2", 1)])
        .pick(None, None)
        .unwrap();
    assert_eq!(p.stable.written, "ec2");
    assert_eq!(
        p.canary_percent, None,
        "a canary at weight 0 has no traffic"
    );
}

#[test]
fn one_target_needs_the_canary_named_and_three_need_both() {
    let one = rule(vec![target("ec2", 1)]);
    let err = one.pick(None, None).unwrap_err();
    assert!(
        err.contains("forwards only to ec2") && err.contains("--canary"),
        "{err}"
    );
    let p = one.pick(None, Some("checkout-lambda")).unwrap();
    assert_eq!(p.canary.written, "checkout-lambda");
    assert!(p.canary.live.is_none());
    let by_arn = one
        .pick(None, Some(&target("checkout-lambda", 0).id))
        .unwrap();
    assert_eq!(by_arn.canary.written, "checkout-lambda");
    let three = rule(vec![target("a", 50), target("b", 25), target("c", 25)]);
    let err = three.pick(None, None).unwrap_err();
    assert!(err.contains("b, c besides a"), "{err}");
    let p = three.pick(Some("b"), Some("c")).unwrap();
    assert_eq!(
        (p.stable.written.as_str(), p.canary.written.as_str()),
        ("b", "c")
    );
    let by_arn = three.pick(None, Some(&target("c", 0).id)).unwrap();
    assert_eq!(
        by_arn.canary.written, "c",
        "an ARN is written as the group's name"
    );
    assert!(three
        .pick(Some("a"), Some("a"))
        .unwrap_err()
        .contains("both a"));
}

#[test]
fn a_lambda_alias_takes_its_routed_or_newer_version() {
    let routed = alias(&[("7", 900), ("8", 100)], None)
        .pick(None, None)
        .unwrap();
    assert_eq!(
        (
            routed.stable.written.as_str(),
            routed.canary.written.as_str()
        ),
        ("7", "8")
    );
    assert_eq!(routed.canary_percent, Some(10.0));
    let newer = alias(&[("7", 1000)], Some("9")).pick(None, None).unwrap();
    assert_eq!(newer.canary.written, "9");
    let err = alias(&[("7", 1000)], None).pick(None, None).unwrap_err();
    assert!(err.contains("no newer version is published"), "{err}");
    let err = alias(&[("$LATEST", 1000)], None)
        .pick(None, None)
        .unwrap_err();
    assert!(err.contains("not a published version"), "{err}");
}
