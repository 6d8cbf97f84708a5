//! canary-deploy: progressive traffic shifting on AWS's own load-balancing layer.
//!
//! Data flows one way: a YAML playbook is validated into a [`core::Plan`]; the orchestrator runs
//! ticks that load the deployment record, read the live weights and CloudWatch, ask the pure
//! [`core::step()`] what to do, and perform it. See ARCHITECTURE.md for the map.

pub mod arn;
pub mod aws;
pub mod cli;
pub mod core;
pub mod hook;
pub mod iam;
pub mod metrics;
pub mod notify;
pub mod orchestrator;
pub mod playbook;
pub mod preflight;
pub mod replay;
pub mod report;
pub mod runner;
pub mod session;
pub mod simulator;
pub mod store;
pub mod text;
pub mod traffic;
pub mod webhook;
