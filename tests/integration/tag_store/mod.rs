//! The tag store over real HTTP with the real SDK clients, against the emulator: the deployment
//! record in the tags of an ALB listener or rule, a VPC Lattice listener or rule and a Lambda
//! alias's function, the user's
//! tags left alone, AWS's 50-tag limit, revision conflicts, and the exact calls of a load and a
//! save.

mod errors;
mod fixtures;
mod resources;
mod scenarios;
