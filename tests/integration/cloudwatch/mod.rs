//! The CloudWatch metric source and the traffic simulator against the emulator, over real HTTP
//! with the real SDK clients.
//!
//! Data is published at explicit timestamps two hours back, aligned to the minute, under
//! dimension and metric names unique to each test, so tests never see each other's data.

mod alarms;
mod alb_metrics;
mod custom_metrics;
mod fixtures;
mod simulator;
