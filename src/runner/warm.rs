//! What a warm execution environment keeps between the ticks it serves, so that a tick of a
//! deployment already under way makes only the calls it must: the route resolved once per
//! playbook revision (as `run` resolves it once at its start), and whether the deployment has
//! started (the preflight gate, which reads the record once more, is only for its first step).
//! Every tick still reads the live weights and the record, and refuses what disagrees with
//! them, so a route changed meanwhile is found as `run` finds it.
//!
//! Bounded: past [`LIMIT`] playbook revisions the environment forgets them all and resolves
//! again.

use crate::traffic::RouteRouter;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// The most playbook revisions one environment remembers.
pub const LIMIT: usize = 64;

#[derive(Debug, Default)]
pub struct Warm {
    routes: Mutex<HashMap<String, RouteRouter>>,
    started: Mutex<HashSet<String>>,
}

impl Warm {
    /// The route resolved for playbook revision `hash` by an earlier tick here.
    pub fn route(&self, hash: &str) -> Option<RouteRouter> {
        self.routes.lock().ok()?.get(hash).cloned()
    }

    pub fn keep_route(&self, hash: &str, router: &RouteRouter) {
        if let Ok(mut routes) = self.routes.lock() {
            if routes.len() >= LIMIT && !routes.contains_key(hash) {
                routes.clear();
            }
            routes.insert(hash.to_string(), router.clone());
        }
    }

    /// Whether a tick here saw the deployment of revision `hash` past its first step's gate.
    pub fn started(&self, hash: &str) -> bool {
        self.started.lock().is_ok_and(|s| s.contains(hash))
    }

    pub fn mark_started(&self, hash: &str) {
        if let Ok(mut started) = self.started.lock() {
            if started.len() >= LIMIT {
                started.clear();
            }
            started.insert(hash.to_string());
        }
    }
}
