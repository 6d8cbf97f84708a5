use super::*;
use crate::preflight::Outcome;

const F: &str = "arn:aws:lambda:us-east-1:1:function:checkout";
const ROLE: &str = "arn:aws:iam::1:role/checkout";
const OTHER: &str = "arn:aws:iam::1:role/other";
const DLQ: &str = "arn:aws:sqs:us-east-1:1:checkout-dlq";

fn active(role: &str) -> VersionConfig {
    VersionConfig {
        role: Some(role.into()),
        state: Some("Active".into()),
        last_update_status: Some("Successful".into()),
        ..VersionConfig::default()
    }
}

fn read(word: &'static str, version: &str, config: VersionConfig) -> VersionRead {
    VersionRead {
        word,
        version: version.into(),
        config: Ok(config),
    }
}

fn judged(stable: VersionConfig, canary: VersionConfig) -> PreflightCheck {
    judge(
        F,
        &read("stable", "7", stable),
        &read("canary", "8", canary),
    )
}

#[test]
fn matching_active_versions_pass_naming_the_shared_role() {
    let check = judged(active(ROLE), active(ROLE));
    assert_eq!(
        check,
        PreflightCheck::pass(
            LAMBDA_ALIAS_VERSIONS,
            format!(
                "stable version 7 and canary version 8 are Active, with the same execution \
                 role {ROLE} and dead-letter queue none"
            )
        )
    );
    let with_dlq = VersionConfig {
        dlq: Some(DLQ.into()),
        ..active(ROLE)
    };
    let check = judged(with_dlq.clone(), with_dlq);
    assert_eq!(check.outcome, Outcome::Pass);
    assert!(
        check.message.ends_with(&format!("dead-letter queue {DLQ}")),
        "{}",
        check.message
    );
}

#[test]
fn different_roles_fail_naming_both_and_how_to_publish() {
    let check = judged(active(ROLE), active(OTHER));
    assert_eq!(check.outcome, Outcome::Fail);
    assert_eq!(
        check.message,
        format!(
            "stable version 7 runs with execution role {ROLE}, canary version 8 with {OTHER}: \
             an alias routes only between versions with the same execution role; publish the \
             canary from code with the stable version's role, or update the role (`aws lambda \
             update-function-configuration --function-name {F} --role {ROLE}`) and publish \
             again (`aws lambda publish-version --function-name {F}`), and name that version \
             as `canary_version`"
        )
    );
}

#[test]
fn different_dead_letter_queues_fail() {
    let check = judged(
        active(ROLE),
        VersionConfig {
            dlq: Some(DLQ.into()),
            ..active(ROLE)
        },
    );
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(
        check.message.starts_with(&format!(
            "stable version 7 has dead-letter queue none, canary version 8 has {DLQ}: an alias \
             routes only between versions with the same dead-letter queue configuration (or \
             none on both)"
        )),
        "{}",
        check.message
    );
}

#[test]
fn an_inactive_version_fails_with_what_aws_shows_and_how_to_reactivate() {
    let inactive = VersionConfig {
        state: Some("Inactive".into()),
        state_reason_code: Some("Idle".into()),
        state_reason: Some("The function is idle".into()),
        ..active(ROLE)
    };
    let check = judged(active(ROLE), inactive);
    assert_eq!(check.outcome, Outcome::Fail);
    assert_eq!(
        check.message,
        format!(
            "canary version 8 is Inactive, not Active (`aws lambda get-function-configuration \
             --function-name {F} --qualifier 8` shows \"State\": \"Inactive\", StateReasonCode: \
             Idle, StateReason: The function is idle): Lambda reclaimed its resources after it \
             sat idle; invoking it re-activates it (that invocation fails while the version is \
             Pending), so invoke it once and wait until its State is Active"
        )
    );
}

#[test]
fn pending_failed_and_unreported_states_fail() {
    for (state, says) in [
        (Some("Pending"), "is Pending, not Active"),
        (Some("Failed"), "is Failed, not Active"),
        (None, "is unknown, not Active"),
    ] {
        let config = VersionConfig {
            state: state.map(str::to_string),
            ..active(ROLE)
        };
        let check = judged(config, active(ROLE));
        assert_eq!(check.outcome, Outcome::Fail, "{state:?}");
        assert!(
            check
                .message
                .starts_with(&format!("stable version 7 {says}")),
            "{}",
            check.message
        );
    }
}

#[test]
fn a_failed_last_update_fails_with_its_reason() {
    let failed = VersionConfig {
        last_update_status: Some("Failed".into()),
        last_update_reason_code: Some("InvalidSubnet".into()),
        last_update_reason: Some("subnet-1 does not exist".into()),
        ..active(ROLE)
    };
    let check = judged(active(ROLE), failed);
    assert_eq!(
        check,
        PreflightCheck::fail(
            LAMBDA_ALIAS_VERSIONS,
            format!(
                "canary version 8's last update failed (`aws lambda \
                 get-function-configuration --function-name {F} --qualifier 8` shows \
                 \"LastUpdateStatus\": \"Failed\", LastUpdateStatusReasonCode: InvalidSubnet, \
                 LastUpdateStatusReason: subnet-1 does not exist): fix the cause and publish a \
                 new version"
            )
        )
    );
    let in_progress = VersionConfig {
        last_update_status: Some("InProgress".into()),
        ..active(ROLE)
    };
    assert_eq!(judged(active(ROLE), in_progress).outcome, Outcome::Pass);
}

#[test]
fn an_unreadable_version_fails_and_is_not_compared() {
    let unreadable = VersionRead {
        word: "canary",
        version: "8".into(),
        config: Err("GetFunctionConfiguration failed: throttled".into()),
    };
    let check = judge(F, &read("stable", "7", active(ROLE)), &unreadable);
    assert_eq!(
        check,
        PreflightCheck::fail(
            LAMBDA_ALIAS_VERSIONS,
            "canary version 8: GetFunctionConfiguration failed: throttled"
        )
    );
}

#[test]
fn every_problem_is_listed() {
    let check = judged(
        VersionConfig {
            state: Some("Pending".into()),
            ..active(ROLE)
        },
        active(OTHER),
    );
    assert_eq!(check.outcome, Outcome::Fail);
    let parts: Vec<&str> = check.message.split("; ").collect();
    assert!(
        parts[0].starts_with("stable version 7 is Pending"),
        "{}",
        check.message
    );
    assert!(
        check.message.contains(&format!(
            "stable version 7 runs with execution role {ROLE}, canary version 8 with {OTHER}"
        )),
        "{}",
        check.message
    );
}
