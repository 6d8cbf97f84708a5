//! Integration tests: the real AWS SDK clients over real HTTP against the local emulator in
//! `localstack/`. One test binary, so the SDK is linked once and the emulator started once.

// Test code: a failed expectation is the failure it reports, and test output is printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod advance;
mod alarm_fixture;
mod alb_actions;
mod alb_router;
mod backtest;
mod cli;
mod cli_hostile;
mod cli_invalid;
mod cloudwatch;
mod credentials;
mod emulator;
mod emulator_control;
mod emulator_extension;
mod existing_split;
mod gates;
mod header_lane;
mod history_fixture;
mod hooks;
mod http_fixture;
mod iam_policy;
mod init;
mod install;
mod judge_evidence;
mod kill_sweep;
mod lambda_failures;
mod lambda_router;
mod lane_fixture;
mod lattice_router;
mod lease;
mod legacy_record;
mod notify;
mod oncall;
mod preflight;
mod race;
mod restart;
mod resume;
mod retries;
mod rollout;
mod route_fixture;
mod router_contract;
mod runner;
mod runner_template;
mod scenario;
mod steady_state;
mod switch;
mod tag_store;
mod tampered;
mod terminal;
mod traffic_errors;
mod untrusted_text;
mod windows;
mod write_outcomes;
