//! Stopping on a signal. A CI runner cancels a job with SIGTERM, a person with Ctrl-C; both
//! are treated alike by `run` and by the traffic simulator.

/// Resolves on Ctrl-C or SIGTERM (what a CI runner sends when it cancels a job). A run stopped
/// this way is like one killed: the record is consistent and `run` continues where it stopped.
pub async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
