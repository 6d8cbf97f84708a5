//! The scenarios of `scenarios.rs` (the store contract) on each kind of routed resource.

use super::fixtures::{alb_listener, alb_rule, lambda_alias, lattice_listener, lattice_rule};
use super::scenarios::{conflict, crowded, full, lifecycle, other_playbook};

#[tokio::test]
async fn alb_listener_lifecycle() {
    lifecycle(&alb_listener("ts-alb-l").await, "checkout").await;
}

#[tokio::test]
async fn alb_rule_lifecycle() {
    lifecycle(&alb_rule("ts-alb-r").await, "checkout").await;
}

#[tokio::test]
async fn lattice_listener_lifecycle() {
    lifecycle(&lattice_listener("ts-lat-l").await, "checkout").await;
}

#[tokio::test]
async fn lattice_rule_lifecycle() {
    lifecycle(&lattice_rule("ts-lat-r").await, "checkout").await;
}

#[tokio::test]
async fn alb_rule_with_45_user_tags_trims_history() {
    crowded(&alb_rule("ts-alb-crowd").await, "checkout").await;
}

#[tokio::test]
async fn lattice_listener_with_45_user_tags_trims_history() {
    crowded(&lattice_listener("ts-lat-crowd").await, "checkout").await;
}

#[tokio::test]
async fn alb_listener_with_50_user_tags_is_a_clear_error() {
    full(&alb_listener("ts-alb-full").await, "checkout").await;
}

#[tokio::test]
async fn lattice_rule_with_50_user_tags_is_a_clear_error() {
    full(&lattice_rule("ts-lat-full").await, "checkout").await;
}

#[tokio::test]
async fn alb_listener_refuses_a_stale_revision() {
    conflict(&alb_listener("ts-alb-conf").await, "checkout").await;
}

#[tokio::test]
async fn lattice_rule_refuses_a_stale_revision() {
    conflict(&lattice_rule("ts-lat-conf").await, "checkout").await;
}

#[tokio::test]
async fn alb_rule_belongs_to_one_playbook_at_a_time() {
    other_playbook(&alb_rule("ts-alb-own").await).await;
}

#[tokio::test]
async fn lattice_listener_belongs_to_one_playbook_at_a_time() {
    other_playbook(&lattice_listener("ts-lat-own").await).await;
}

#[tokio::test]
async fn lambda_alias_lifecycle() {
    lifecycle(&lambda_alias("ts-lam-life").await, "checkout").await;
}

#[tokio::test]
async fn lambda_alias_with_45_user_tags_trims_history() {
    crowded(&lambda_alias("ts-lam-crowd").await, "checkout").await;
}

#[tokio::test]
async fn lambda_alias_with_50_user_tags_is_a_clear_error() {
    full(&lambda_alias("ts-lam-full").await, "checkout").await;
}

#[tokio::test]
async fn lambda_alias_refuses_a_stale_revision() {
    conflict(&lambda_alias("ts-lam-conf").await, "checkout").await;
}

#[tokio::test]
async fn lambda_alias_belongs_to_one_playbook_at_a_time() {
    other_playbook(&lambda_alias("ts-lam-own").await).await;
}
