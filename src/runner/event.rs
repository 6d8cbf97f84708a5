//! The runner's event: what its schedule sends on every tick, as JSON.
//!
//! ```json
//! {"canary_deploy": 1, "playbook": "name: checkout\n…", "file": "checkout.yaml",
//!  "schedule": {"name": "canary-deploy-checkout.tick", "group": "default"}}
//! ```
//!
//! or, for a playbook kept in S3, `"playbook_uri": "s3://bucket/key"` with the `"sha256"` the
//! object must have (pinned by `canary-deploy schedule`, so an object edited since is refused
//! rather than deployed). Unknown fields are refused: an event of another version says so.

use serde::{Deserialize, Serialize};

/// The event format this release writes and reads.
pub const EVENT_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunnerEvent {
    /// The event format ([`EVENT_FORMAT`]).
    pub canary_deploy: u32,
    /// The playbook's YAML text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playbook: Option<String>,
    /// Or where it is kept: `s3://bucket/key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playbook_uri: Option<String>,
    /// The SHA-256 (hex) the playbook's bytes must have; required with `playbook_uri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The file name the playbook's errors and records name (default `playbook.yaml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The recurring schedule that sends this event: deleted when the deployment ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleRef>,
}

/// A schedule by name and group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRef {
    pub name: String,
    pub group: String,
}

/// Where the playbook comes from, once the event has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaybookSource {
    Inline(String),
    S3 {
        bucket: String,
        key: String,
        sha256: String,
    },
}

impl RunnerEvent {
    /// The event of a schedule that sends `playbook` inline.
    pub fn inline(playbook: String, file: String, schedule: ScheduleRef) -> RunnerEvent {
        RunnerEvent {
            canary_deploy: EVENT_FORMAT,
            playbook: Some(playbook),
            playbook_uri: None,
            sha256: None,
            file: Some(file),
            schedule: Some(schedule),
        }
    }

    /// The event read from JSON, or why it is not one.
    pub fn from_json(value: serde_json::Value) -> Result<RunnerEvent, String> {
        let event: RunnerEvent = serde_json::from_value(value).map_err(|e| {
            format!(
                "the runner's event is not one canary-deploy reads ({e}); it takes \
                 {{\"canary_deploy\": 1, \"playbook\": \"<yaml>\"}} or {{\"canary_deploy\": 1, \
                 \"playbook_uri\": \"s3://bucket/key\", \"sha256\": \"<hex>\"}}, as `canary-deploy \
                 schedule` writes it"
            )
        })?;
        if event.canary_deploy != EVENT_FORMAT {
            return Err(format!(
                "the runner's event has format {} but this release reads format {EVENT_FORMAT}: \
                 run `canary-deploy schedule` of this release again, or deploy the release that \
                 wrote it",
                event.canary_deploy
            ));
        }
        Ok(event)
    }

    /// Where the playbook is, or why the event does not say.
    pub fn source(&self) -> Result<PlaybookSource, String> {
        match (&self.playbook, &self.playbook_uri) {
            (Some(text), None) => Ok(PlaybookSource::Inline(text.clone())),
            (None, Some(uri)) => {
                let (bucket, key) = parse_s3_uri(uri)?;
                let sha256 = self
                    .sha256
                    .clone()
                    .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(|| {
                        format!(
                            "the runner's event names {uri} without the SHA-256 of its bytes \
                             (64 hex digits in `sha256`): the runner deploys only the playbook \
                             that was scheduled"
                        )
                    })?;
                Ok(PlaybookSource::S3 {
                    bucket,
                    key,
                    sha256: sha256.to_ascii_lowercase(),
                })
            }
            (Some(_), Some(_)) => Err(
                "the runner's event has both `playbook` and `playbook_uri`: give one".to_string(),
            ),
            (None, None) => Err(
                "the runner's event has no playbook: give `playbook` (the YAML) or \
                 `playbook_uri` (s3://bucket/key)"
                    .to_string(),
            ),
        }
    }

    /// The name the playbook's messages give its file.
    pub fn file(&self) -> String {
        match (&self.file, &self.playbook_uri) {
            (Some(file), _) => file.clone(),
            (None, Some(uri)) => uri.clone(),
            (None, None) => "playbook.yaml".to_string(),
        }
    }
}

/// `s3://bucket/key` as its bucket and key.
pub fn parse_s3_uri(uri: &str) -> Result<(String, String), String> {
    let shown = crate::text::line(uri);
    let rest = uri.strip_prefix("s3://").ok_or_else(|| {
        format!("`{shown}` is not an S3 URI: write s3://bucket/path/to/playbook.yaml")
    })?;
    match rest.split_once('/') {
        Some((bucket, key)) if valid_bucket(bucket) && !key.is_empty() => {
            Ok((bucket.to_string(), key.to_string()))
        }
        Some((bucket, _)) if !valid_bucket(bucket) => Err(format!(
            "`{shown}`: `{}` is not an S3 bucket name (3–63 of lowercase letters, digits, `.` \
             and `-`)",
            crate::text::line(bucket)
        )),
        _ => Err(format!(
            "`{shown}` names no object: write s3://bucket/path/to/playbook.yaml"
        )),
    }
}

fn valid_bucket(bucket: &str) -> bool {
    (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_inline_event_round_trips() {
        let schedule = ScheduleRef {
            name: "canary-deploy-checkout.tick".into(),
            group: "default".into(),
        };
        let event = RunnerEvent::inline("name: x\n".into(), "x.yaml".into(), schedule);
        let back = RunnerEvent::from_json(serde_json::to_value(&event).unwrap()).unwrap();
        assert_eq!(back, event);
        assert_eq!(
            back.source().unwrap(),
            PlaybookSource::Inline("name: x\n".into())
        );
        assert_eq!(back.file(), "x.yaml");
    }

    #[test]
    fn an_s3_event_needs_the_pinned_hash() {
        let hash = "ab".repeat(32);
        let event = RunnerEvent::from_json(
            json!({"canary_deploy": 1, "playbook_uri": "s3://my-bucket/p/checkout.yaml", "sha256": hash}),
        )
        .unwrap();
        assert_eq!(
            event.source().unwrap(),
            PlaybookSource::S3 {
                bucket: "my-bucket".into(),
                key: "p/checkout.yaml".into(),
                sha256: hash
            }
        );
        let unpinned =
            RunnerEvent::from_json(json!({"canary_deploy": 1, "playbook_uri": "s3://b-1/k"}))
                .unwrap();
        let why = unpinned.source().unwrap_err();
        assert!(why.contains("without the SHA-256"), "{why}");
    }

    #[test]
    fn events_that_are_not_ours_are_refused_with_the_shape_to_send() {
        let unknown = RunnerEvent::from_json(json!({"canary_deploy": 1, "playbok": "x"}));
        assert!(unknown
            .unwrap_err()
            .contains("as `canary-deploy schedule` writes it"));
        let newer = RunnerEvent::from_json(json!({"canary_deploy": 2, "playbook": "x"}));
        assert!(newer.unwrap_err().contains("format 2"));
        let neither = RunnerEvent::from_json(json!({"canary_deploy": 1})).unwrap();
        assert!(neither.source().unwrap_err().contains("has no playbook"));
        let both = RunnerEvent::from_json(
            json!({"canary_deploy": 1, "playbook": "x", "playbook_uri": "s3://bbb/k"}),
        )
        .unwrap();
        assert!(both.source().unwrap_err().contains("give one"));
    }

    #[test]
    fn s3_uris_name_a_bucket_and_an_object() {
        assert_eq!(
            parse_s3_uri("s3://bucket.one/a/b.yaml").unwrap(),
            ("bucket.one".into(), "a/b.yaml".into())
        );
        for bad in [
            "https://x/y",
            "s3://Bucket/k",
            "s3://ab/k",
            "s3://bucket",
            "s3://bucket/",
            "s3://-bucket/k",
        ] {
            assert!(parse_s3_uri(bad).is_err(), "{bad}");
        }
        let hostile = parse_s3_uri("s3://b\n::error::x/k").unwrap_err();
        assert!(!hostile.contains('\n'), "{hostile}");
    }
}
