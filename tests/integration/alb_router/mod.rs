//! The ALB traffic router over real HTTP with the real SDK client, against the emulator:
//! resolution, reads, writes that keep everything but the two weights, conflicts, and the number
//! of AWS calls per read and write.

mod busy_rule;
mod fixtures;
mod read_write;
mod resolve;
mod rule_write;
