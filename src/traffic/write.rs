//! The read and the guarded, verified write that every backend with a readable forward action
//! makes (ALB and VPC Lattice): check the weights, read (the conflict check), edit only the two
//! weights, update, read back.
//!
//! The protocol is the product's safety promise (see [`crate::traffic`]), so it is written once,
//! over a small trait a backend implements with its own Get, Update and pure edit, and is
//! unit-tested here without AWS. The calls it costs: a read one Get; a write one Get, then —
//! unless the target already is live — one Update and one Get.

use crate::core::types::Split;
use crate::traffic::split::WeightLimits;
use crate::traffic::TrafficError;
use std::future::Future;

/// One backend's forward action as the guarded write sees it.
pub(crate) trait ForwardStore: Sync {
    /// What one Get returns and one Update sends back (a Lattice rule action, an ALB action list).
    type Action: Send + Sync;

    /// The backend's limits, checked before any call.
    fn limits(&self) -> WeightLimits;

    /// The routed resource, for messages.
    fn resource(&self) -> String;

    /// Reads the live action: exactly one AWS call.
    fn fetch(&self) -> impl Future<Output = Result<Self::Action, TrafficError>> + Send;

    /// The live split of the stable and canary target groups in `action`.
    fn split_of(&self, action: &Self::Action) -> Result<Split, TrafficError>;

    /// `action` with the two weights set to `target` and everything else kept (pure).
    fn edit(&self, action: &Self::Action, target: Split) -> Result<Self::Action, TrafficError>;

    /// Writes the edited action: exactly one AWS call.
    fn store(&self, action: Self::Action) -> impl Future<Output = Result<(), TrafficError>> + Send;
}

/// The live split (see [`crate::traffic::Router::read`]): exactly one Get.
pub(crate) async fn read<S: ForwardStore>(store: &S) -> Result<Split, TrafficError> {
    store.split_of(&store.fetch().await?)
}

/// Writes `target` (see [`crate::traffic::Router::write`]): refuses with Conflict when
/// `expected` is Some and not live, sends nothing when `target` already is live, and returns
/// the read-back split or VerifyFailed.
pub(crate) async fn guarded_write<S: ForwardStore>(
    store: &S,
    expected: Option<Split>,
    target: Split,
) -> Result<Split, TrafficError> {
    store.limits().check_weights(target, &store.resource())?;
    let action = store.fetch().await?;
    let live = store.split_of(&action)?;
    // Weight on other target groups is someone else's: it is kept, and must read back as kept.
    let target = Split {
        others: live.others,
        ..target
    };
    // Already live (a retried write that landed, or a no-op): nothing to send.
    if live == target {
        return Ok(live);
    }
    if let Some(expected) = expected {
        if live != expected {
            return Err(TrafficError::Conflict { expected, live });
        }
    }
    let edited = store.edit(&action, target)?;
    let unconfirmed = |cause: TrafficError| TrafficError::Unconfirmed {
        wanted: target,
        cause: Box::new(cause),
    };
    match store.store(edited).await {
        Ok(()) => {}
        Err(error) if error.may_have_landed() => return Err(unconfirmed(error)),
        Err(error) => return Err(error),
    }
    let got = read(store).await.map_err(unconfirmed)?;
    if got != target {
        return Err(TrafficError::VerifyFailed {
            wanted: target,
            got,
        });
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::split::LATTICE_WEIGHTS;
    use std::sync::Mutex;

    /// A forward held in memory; `sabotage` replaces what an update stores (another writer).
    struct Memory {
        live: Mutex<Split>,
        calls: Mutex<Vec<&'static str>>,
        sabotage: Option<Split>,
    }

    impl Memory {
        fn new(live: Split) -> Memory {
            Memory {
                live: Mutex::new(live),
                calls: Mutex::new(Vec::new()),
                sabotage: None,
            }
        }
        fn calls(&self) -> Vec<&'static str> {
            self.calls.lock().unwrap().clone()
        }
    }

    impl ForwardStore for Memory {
        type Action = Split;
        fn limits(&self) -> WeightLimits {
            LATTICE_WEIGHTS
        }
        fn resource(&self) -> String {
            "rule r".into()
        }
        async fn fetch(&self) -> Result<Split, TrafficError> {
            self.calls.lock().unwrap().push("get");
            Ok(*self.live.lock().unwrap())
        }
        fn split_of(&self, action: &Split) -> Result<Split, TrafficError> {
            Ok(*action)
        }
        fn edit(&self, _action: &Split, target: Split) -> Result<Split, TrafficError> {
            Ok(target)
        }
        async fn store(&self, action: Split) -> Result<(), TrafficError> {
            self.calls.lock().unwrap().push("update");
            *self.live.lock().unwrap() = self.sabotage.unwrap_or(action);
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_write_is_get_update_get_and_returns_the_read_back() {
        let store = Memory::new(Split::new(999, 0));
        let got = guarded_write(&store, Some(Split::new(999, 0)), Split::new(950, 50))
            .await
            .unwrap();
        assert_eq!(got, Split::new(950, 50));
        assert_eq!(store.calls(), ["get", "update", "get"]);
    }

    #[tokio::test]
    async fn a_read_is_one_get() {
        let store = Memory::new(Split::new(950, 50));
        assert_eq!(read(&store).await.unwrap(), Split::new(950, 50));
        assert_eq!(store.calls(), ["get"]);
    }

    #[tokio::test]
    async fn a_write_of_the_live_split_sends_no_update() {
        let store = Memory::new(Split::new(500, 500));
        let got = guarded_write(&store, None, Split::new(500, 500))
            .await
            .unwrap();
        assert_eq!(got, Split::new(500, 500));
        assert_eq!(store.calls(), ["get"]);
    }

    #[tokio::test]
    async fn a_changed_live_split_is_a_conflict_and_nothing_is_written() {
        let store = Memory::new(Split::new(500, 500));
        let err = guarded_write(&store, Some(Split::new(950, 50)), Split::new(900, 100))
            .await
            .unwrap_err();
        assert!(
            matches!(err, TrafficError::Conflict { expected, live }
                if expected == Split::new(950, 50) && live == Split::new(500, 500)),
            "{err:?}"
        );
        assert_eq!(store.calls(), ["get"]);
        // Without `expected` (the operator's rollback) the same write goes through.
        assert_eq!(
            guarded_write(&store, None, Split::new(900, 100))
                .await
                .unwrap(),
            Split::new(900, 100)
        );
    }

    #[tokio::test]
    async fn a_read_back_that_differs_is_verify_failed() {
        let mut store = Memory::new(Split::new(999, 0));
        store.sabotage = Some(Split::new(1, 1));
        let err = guarded_write(&store, None, Split::new(950, 50))
            .await
            .unwrap_err();
        assert!(
            matches!(err, TrafficError::VerifyFailed { wanted, got }
                if wanted == Split::new(950, 50) && got == Split::new(1, 1)),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn weights_out_of_range_are_refused_before_any_call() {
        let store = Memory::new(Split::new(999, 0));
        let err = guarded_write(&store, None, Split::new(0, 1000))
            .await
            .unwrap_err();
        assert!(
            matches!(err, TrafficError::InvalidWeights { .. }),
            "{err:?}"
        );
        assert!(store.calls().is_empty());
    }
}
