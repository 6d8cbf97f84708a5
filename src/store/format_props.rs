//! Property tests of [`read_record`], the one way a stored record is read: any record this
//! binary writes reads back as it was; any bytes at all, a record of any newer version, and a
//! format 1 record with any text for its route's ARNs are answered without a panic (a newer one
//! as `TooNew`).

use super::*;
use crate::store::test_support::{record, text};
use proptest::prelude::*;
use serde_json::json;

proptest! {
    #[test]
    fn any_record_reads_back_as_written(record in record()) {
        let json = serde_json::to_vec(&record).unwrap();
        prop_assert_eq!(read_record(&json).unwrap(), record);
    }

    #[test]
    fn any_bytes_are_a_record_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read_record(&bytes);
    }

    #[test]
    fn a_newer_record_is_too_new(record in record(), version in 3..=u64::MAX) {
        let mut value = serde_json::to_value(&record).unwrap();
        value["version"] = json!(version);
        let found = u32::try_from(version).unwrap_or(u32::MAX);
        prop_assert_eq!(
            read_record(&serde_json::to_vec(&value).unwrap()),
            Err(ReadError::TooNew(found))
        );
    }

    #[test]
    fn a_format_1_route_of_any_text_is_upgraded_or_refused(
        record in record(),
        backend in prop::sample::select(vec!["alb", "lattice", "lambda_alias", "other"]),
        arns in prop::collection::vec(text(), 4),
        has_rule in any::<bool>(),
    ) {
        let mut value = serde_json::to_value(&record).unwrap();
        value["version"] = json!(1);
        value["route"] = json!({
            "backend": backend,
            "listener_arn": arns[0],
            "rule_arn": has_rule.then(|| arns[1].clone()),
            "stable_arn": arns[2],
            "canary_arn": arns[3],
        });
        let _ = read_record(&serde_json::to_vec(&value).unwrap());
    }
}
