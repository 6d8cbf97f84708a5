//! The Lambda alias traffic router over real HTTP with the real SDK client, against the
//! emulator: resolution (and each way it refuses a route), reads, writes with their read-back,
//! promotion and rollback, a conflict caught by the alias's RevisionId, the exact AWS calls of
//! each, and the deployment record in the function's tags keyed by alias.

mod fixtures;
mod read_write;
mod resolve;
mod revision;
mod tag_store;
