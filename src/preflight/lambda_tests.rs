use super::*;

const ELB: &str = "elasticloadbalancing.amazonaws.com";
const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/demo-canary/ab";

fn policy(principal: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Id":"default","Statement":[{{"Sid":"elb","Effect":"Allow",
        "Principal":{{"Service":"{principal}"}},"Action":"lambda:InvokeFunction",
        "Resource":"arn:aws:lambda:us-east-1:1:function:f:live"{condition}}}]}}"#
    )
}

#[test]
fn a_scoped_invoke_permission_passes() {
    let scoped = policy(
        ELB,
        &format!(r#","Condition":{{"ArnLike":{{"AWS:SourceArn":"{TG}"}}}}"#),
    );
    assert_eq!(judge_policy(&scoped, ELB, TG), Ok(()));
    let wildcard = policy(
        ELB,
        r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/demo-*"}}"#,
    );
    assert_eq!(judge_policy(&wildcard, ELB, TG), Ok(()));
}

#[test]
fn an_unscoped_or_foreign_permission_fails() {
    let unscoped = judge_policy(&policy(ELB, ""), ELB, TG).unwrap_err();
    assert!(
        unscoped.contains("without an `AWS:SourceArn` condition"),
        "{unscoped}"
    );
    let other = policy(
        ELB,
        r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:other"}}"#,
    );
    assert!(judge_policy(&other, ELB, TG)
        .unwrap_err()
        .contains("without an `AWS:SourceArn`"));
    let lattice = judge_policy(&policy("vpc-lattice.amazonaws.com", ""), ELB, TG).unwrap_err();
    assert_eq!(
        lattice,
        format!("its resource policy does not let {ELB} invoke it")
    );
    assert_eq!(
        judge_policy("", ELB, TG).unwrap_err(),
        "the function has no resource policy"
    );
}
