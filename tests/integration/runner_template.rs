//! deploy/runner.yaml held to the code: the function runs this binary as `provided.al2023`'s
//! bootstrap on arm64 or x86_64; its own role grants only its logs, its failed ticks' queue and
//! (optionally) reading playbooks, and takes each deployment's `iam-policy --runner` as a
//! managed policy; the scheduler's role may only invoke the function and send to the
//! dead-letter queue; its outputs are the three ARNs `schedule` asks for. (cfn-lint checks the
//! template against CloudFormation's schemas in CI.)

use crate::emulator::repo_root;
use serde_json::Value;

fn template() -> Value {
    let text = std::fs::read_to_string(repo_root().join("deploy/runner.yaml")).expect("read");
    serde_saphyr::from_str(&text).expect("plain YAML (CloudFormation's long form)")
}

/// The Sids and actions of a role's inline policy statements (a conditional statement's
/// `Fn::If` counts as its true branch).
fn statements(role: &Value) -> Vec<(String, Value)> {
    role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s.get("Fn::If").map_or(s, |branches| &branches[1]))
        .map(|s| {
            (
                s["Sid"].as_str().unwrap_or("").to_string(),
                s["Action"].clone(),
            )
        })
        .collect()
}

#[test]
fn the_template_installs_the_runner_the_code_expects() {
    let t = template();
    let resources = &t["Resources"];
    let function = &resources["Function"]["Properties"];
    assert_eq!(function["Runtime"], "provided.al2023");
    assert_eq!(function["Handler"], "bootstrap");
    let architectures = &t["Parameters"]["Architecture"]["AllowedValues"];
    assert_eq!(architectures, &serde_json::json!(["arm64", "x86_64"]));

    let runner = statements(&resources["RunnerRole"]);
    assert_eq!(
        runner,
        vec![
            (
                "WriteLogs".into(),
                serde_json::json!(["logs:CreateLogStream", "logs:PutLogEvents"])
            ),
            ("FailedTicks".into(), serde_json::json!("sqs:SendMessage")),
            ("ReadPlaybooks".into(), serde_json::json!("s3:GetObject")),
        ],
        "the function's own grants; a deployment's are `iam-policy --runner`'s"
    );
    let managed = &resources["RunnerRole"]["Properties"]["ManagedPolicyArns"]["Fn::If"][1];
    assert_eq!(managed["Ref"], "DeploymentPolicyArns");
    let trust = &resources["RunnerRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "lambda.amazonaws.com");

    let scheduler = statements(&resources["SchedulerRole"]);
    assert_eq!(
        scheduler,
        vec![
            (
                "InvokeRunner".into(),
                serde_json::json!("lambda:InvokeFunction")
            ),
            ("DeadLetter".into(), serde_json::json!("sqs:SendMessage")),
        ]
    );
    let trust =
        &resources["SchedulerRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "scheduler.amazonaws.com");
    assert!(
        trust["Condition"]["StringEquals"]["aws:SourceAccount"].is_object(),
        "only this account's schedules may assume it"
    );

    // The outputs `schedule --function/--role/--dead-letter` name.
    let help = crate::emulator::binary()
        .args(["schedule", "--help"])
        .output()
        .expect("schedule --help");
    let help = String::from_utf8_lossy(&help.stdout);
    for output in [
        "RunnerFunctionArn",
        "SchedulerRoleArn",
        "DeadLetterQueueArn",
    ] {
        assert!(t["Outputs"][output]["Value"].is_object(), "output {output}");
        assert!(
            help.contains(output),
            "schedule --help names {output}: {help}"
        );
    }
    // The failed-ticks queue the role may send to is the queue the template creates.
    let queue = &resources["DeadLetterQueue"]["Properties"]["QueueName"]["Fn::Sub"];
    assert_eq!(queue, "${FunctionName}-dead-letter");
    let sendable = &resources["RunnerRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"][1]["Resource"]["Fn::Sub"];
    assert!(sendable
        .as_str()
        .is_some_and(|r| r.ends_with(":${FunctionName}-dead-letter")));
}
