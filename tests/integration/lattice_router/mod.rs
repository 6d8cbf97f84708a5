//! The VPC Lattice traffic router over real HTTP with the real SDK client, against the emulator:
//! resolution by ARN, id and name (and each way it refuses a route), reads, writes that keep
//! everything but the two weights, conflicts, and the exact AWS calls of each.

mod fixtures;
mod read_write;
mod resolve;
mod resolve_errors;
mod rule_write;
