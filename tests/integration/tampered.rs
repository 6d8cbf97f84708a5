//! The record never decides where traffic goes. Anyone who may edit a resource's tags can write
//! a valid record (its checksum is a plain hash), so each test here edits the record of a
//! deployment at 10 % as such an editor would, then presses the buttons as the real binary: every
//! edit is refused naming what disagrees, and the live weights stay exactly as they were.

use crate::emulator::{canary_deploy_in, sdk_config};
use crate::oncall::STEPS;
use crate::route_fixture::{for_backends, Backend, RouteFixture};
use canary_deploy::aws::Clients;
use canary_deploy::core::{Phase, Record, Split, Timestamp};
use canary_deploy::store::tags::{RecordTags, TagStore};
use canary_deploy::store::Store;
use canary_deploy::traffic::{RouteRouter, Router};
use serde_json::Value;
use std::process::Output;

fn text(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A deployment at its first step (10 %), its record in the resource's tags, and its playbook.
struct Started {
    route: Box<dyn RouteFixture>,
    dir: tempfile::TempDir,
    playbook: String,
    store: TagStore,
    /// The router of the route as resolved before any edit: the live weights, read honestly.
    router: RouteRouter,
}

async fn started(backend: Backend, name: &str) -> Started {
    let route = backend.fixture(name).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, route.playbook(name, STEPS)).expect("write playbook");
    let playbook = path.to_string_lossy().to_string();
    let advanced = canary_deploy_in(dir.path(), &["advance", &playbook]);
    assert_eq!(advanced.status.code(), Some(0), "{}", text(&advanced));
    let clients = Clients::new(&sdk_config().await);
    let store = RecordTags::of_arn(&route.resource_arn())
        .expect("a routable ARN")
        .store(&clients);
    let record = store.load_any().await.expect("tags").expect("a record");
    let router = record.route.expect("a route").router(&clients);
    Started {
        route,
        dir,
        playbook,
        store,
        router,
    }
}

impl Started {
    async fn record(&self) -> Record {
        self.store
            .load_any()
            .await
            .expect("read the tags")
            .expect("a record in the tags")
    }

    /// Saves the record as `edit` leaves it, as someone with tag rights can.
    async fn tamper(&self, edit: impl FnOnce(&mut Record)) {
        let mut record = self.record().await;
        edit(&mut record);
        self.store.save(&mut record).await.expect("save the edit");
    }

    async fn live(&self) -> Split {
        self.router.read().await.expect("read the live weights")
    }

    /// `args` is refused (exit 1) saying `says`, and the live weights are what they were.
    async fn refused(&self, args: &[&str], says: &str) {
        let before = self.live().await;
        let out = canary_deploy_in(self.dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(
            text(&out).contains(says),
            "`{says}` missing in:\n{}",
            text(&out)
        );
        assert_eq!(self.live().await, before, "nothing written");
    }

    async fn rollback_by_arn(&self, says: &str) {
        let arn = self.route.resource_arn();
        self.refused(&["rollback", "--target", &arn, "--reason", "pager"], says)
            .await;
    }
}

/// The record's route as JSON, edited by `edit`, back in the record.
fn edit_route(record: &mut Record, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) {
    let mut route = serde_json::to_value(record.route.as_ref().expect("a route")).expect("json");
    edit(route.as_object_mut().expect("an object"));
    record.route = Some(serde_json::from_value(route).expect("still a route"));
}

/// The names of the stable and canary fields of a route of this kind.
fn identity_fields(route: &serde_json::Map<String, Value>) -> (&'static str, &'static str) {
    if route.contains_key("stable_arn") {
        ("stable_arn", "canary_arn")
    } else if route.contains_key("stable_version") {
        ("stable_version", "canary_version")
    } else {
        ("stable", "canary")
    }
}

/// Another target (group or version) than any of the route's, in the field's own shape.
fn theirs(value: &Value) -> Value {
    match value {
        Value::String(text) if text.starts_with("arn:") => Value::String(
            text.replace("-stable", "-theirs")
                .replace("-canary", "-theirs"),
        ),
        Value::String(_) => Value::String("9".into()),
        Value::Object(group) => {
            let mut group = group.clone();
            group.insert("id".into(), "tg-0123456789theirs".into());
            group.insert(
                "arn".into(),
                "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789theirs".into(),
            );
            Value::Object(group)
        }
        other => other.clone(),
    }
}

async fn stable_and_canary_swapped_is_refused(backend: Backend) {
    let s = started(backend, "tamper-swap").await;
    s.tamper(|record| {
        edit_route(record, |route| {
            let (stable, canary) = identity_fields(route);
            let (a, b) = (route[stable].clone(), route[canary].clone());
            route.insert(stable.into(), b);
            route.insert(canary.into(), a);
        })
    })
    .await;
    s.rollback_by_arn("nothing was written").await;
    let arn = s.route.resource_arn();
    s.refused(
        &["promote", "--target", &arn, "--reason", "x"],
        "nothing was written",
    )
    .await;
}

async fn a_stable_of_their_own_is_refused(backend: Backend) {
    let s = started(backend, "tamper-stable").await;
    s.tamper(|record| {
        edit_route(record, |route| {
            let (stable, _) = identity_fields(route);
            let forged = theirs(&route[stable]);
            route.insert(stable.into(), forged);
        })
    })
    .await;
    s.rollback_by_arn("stable").await;
}

async fn a_canary_of_their_own_is_refused(backend: Backend) {
    let s = started(backend, "tamper-canary").await;
    s.tamper(|record| {
        edit_route(record, |route| {
            let (_, canary) = identity_fields(route);
            let forged = theirs(&route[canary]);
            route.insert(canary.into(), forged);
        })
    })
    .await;
    s.rollback_by_arn("canary").await;
    let arn = s.route.resource_arn();
    s.refused(&["promote", "--target", &arn, "--reason", "x"], "canary")
        .await;
}

async fn a_record_of_another_resource_is_refused(backend: Backend) {
    let s = started(backend, "tamper-other").await;
    let elsewhere = format!("{}-elsewhere", s.route.resource_arn());
    s.tamper(|record| {
        edit_route(record, |route| {
            for field in ["rule_arn", "alias_arn"] {
                if route.get(field).is_some_and(Value::is_string) {
                    route.insert(field.into(), elsewhere.clone().into());
                    return;
                }
            }
            if let Some(Value::Object(rule)) = route.get_mut("rule") {
                rule.insert("arn".into(), elsewhere.clone().into());
            } else if route.contains_key("load_balancer_arn") {
                route.insert("listener_arn".into(), elsewhere.clone().into());
            } else if let Some(Value::Object(listener)) = route.get_mut("listener") {
                listener.insert("arn".into(), elsewhere.clone().into());
            }
        })
    })
    .await;
    s.rollback_by_arn("is for another resource").await;
}

async fn a_forged_phase_is_a_contradiction_not_a_result(backend: Backend) {
    let s = started(backend, "tamper-phase").await;
    // Promoted, though the record's own write gave the canary 10 %.
    s.tamper(|record| {
        record.phase = Phase::Promoted {
            at: Timestamp::from_secs(0),
        }
    })
    .await;
    s.refused(&["advance", &s.playbook], "says promoted").await;
    s.refused(&["run", &s.playbook], "says promoted").await;
    let status = canary_deploy_in(
        s.dir.path(),
        &["status", "--target", &s.route.resource_arn()],
    );
    assert!(text(&status).contains("CONTRADICTION"), "{}", text(&status));

    // Step 2 (50 %) as if baked, though 10 % was written: a run would skip the 50 % step.
    s.tamper(|record| {
        record.phase = Phase::Stepping {
            index: 1,
            since: Timestamp::from_secs(0),
        }
    })
    .await;
    s.refused(&["advance", &s.playbook], "says step 2 (50%) is live")
        .await;
}

for_backends!(alb => Alb, lattice => Lattice, lattice_rule => LatticeRule, lambda_alias => LambdaAlias; [
    stable_and_canary_swapped_is_refused,
    a_stable_of_their_own_is_refused,
    a_canary_of_their_own_is_refused,
    a_record_of_another_resource_is_refused,
    a_forged_phase_is_a_contradiction_not_a_result,
]);
