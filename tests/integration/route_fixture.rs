//! One trait over the emulator fixtures of every backend, so a behaviour that must hold for
//! every route (starting from an existing split, a rollout, a rollback) is written once and run
//! on each.

use crate::emulator::{DemoAlb, DemoLattice};

/// A route in the emulator that a playbook can name.
pub trait RouteFixture {
    /// A playbook named `name` on this route, followed by `rest` (steps, analysis, checks).
    fn playbook(&self, name: &str, rest: &str) -> String;
}

impl RouteFixture for DemoAlb {
    fn playbook(&self, name: &str, rest: &str) -> String {
        DemoAlb::playbook(self, name, rest)
    }
}

impl RouteFixture for DemoLattice {
    fn playbook(&self, name: &str, rest: &str) -> String {
        DemoLattice::playbook(self, name, rest)
    }
}

/// The Lattice fixture's rule rather than its listener's default action.
pub struct OnRule(pub DemoLattice);

impl RouteFixture for OnRule {
    fn playbook(&self, name: &str, rest: &str) -> String {
        self.0.playbook_on_rule(name, rest)
    }
}
