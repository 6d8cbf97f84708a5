//! Replaying the judge over a sequence of CloudWatch periods on a simulated clock, with no AWS
//! call: what the judgement benchmark drives with seeded traffic ([`model`]).

pub mod model;
