//! Arbitrary deployment records for the store's property tests: every phase, every kind of
//! history event, every backend's route, leases and verdicts, with any text (hostile text
//! included, see [`crate::text::test_support::hostile`]) and any number where one is kept.

use crate::core::plan::StartFrom;
use crate::core::record::{Lease, PlaybookId, VerdictSummary, RECORD_VERSION};
use crate::core::step::OperatorAction;
use crate::core::{Event, EventKind, Phase, Record, Share, Split, Timestamp};
use crate::text::test_support::hostile;
use crate::traffic::lambda_alias::ResolvedAlias;
use crate::traffic::{LatticeResource, ResolvedAlb, ResolvedLattice, ResolvedRoute};
use proptest::prelude::*;

/// Any text: empty, hostile, or any string at all.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![Just(String::new()), hostile(), any::<String>()].boxed()
}

fn at() -> impl Strategy<Value = Timestamp> {
    any::<i64>().prop_map(Timestamp)
}

fn split() -> impl Strategy<Value = Split> {
    (
        any::<u32>(),
        any::<u32>(),
        prop_oneof![Just(0u32), any::<u32>()],
    )
        .prop_map(|(stable, canary, others)| Split::new(stable, canary).with_others(others))
}

fn share() -> impl Strategy<Value = Share> {
    (0..=1000u16).prop_map(|p| Share::from_permille(p).unwrap())
}

fn phase() -> BoxedStrategy<Phase> {
    prop_oneof![
        Just(Phase::Pending),
        (any::<usize>(), at()).prop_map(|(index, since)| Phase::Stepping { index, since }),
        (text(), prop::option::of(any::<usize>()))
            .prop_map(|(why, index)| Phase::Paused { why, index }),
        at().prop_map(|at| Phase::Promoted { at }),
        (text(), at()).prop_map(|(why, at)| Phase::RolledBack { why, at }),
        text().prop_map(|why| Phase::Failed { why }),
    ]
    .boxed()
}

fn event_kind() -> BoxedStrategy<EventKind> {
    let operator = prop::sample::select(vec![
        OperatorAction::Rollback,
        OperatorAction::Promote,
        OperatorAction::Pause,
        OperatorAction::Resume,
    ]);
    let start_from = prop::sample::select(vec![StartFrom::Live, StartFrom::FirstStep]);
    prop_oneof![
        any::<usize>().prop_map(|steps| EventKind::Started { steps }),
        (split(), start_from)
            .prop_map(|(live, start_from)| EventKind::ExistingSplit { live, start_from }),
        (any::<usize>(), share())
            .prop_map(|(index, share)| EventKind::StepStarted { index, share }),
        split().prop_map(|split| EventKind::WeightsVerified { split }),
        (text(), prop::collection::vec(text(), 0..3)).prop_map(|(verdict, details)| {
            EventKind::Analysed {
                verdict,
                details,
                evidence: vec![],
            }
        }),
        text().prop_map(|why| EventKind::Holding { why }),
        (any::<usize>(), text(), prop::option::of(at()), text()).prop_map(
            |(index, gate, until, how)| EventKind::GateHeld {
                index,
                gate,
                until,
                how
            }
        ),
        any::<usize>().prop_map(|index| EventKind::GateReleased { index }),
        (text(), text()).prop_map(|(channel, why)| EventKind::NotifyFailed { channel, why }),
        (text(), text(), any::<usize>()).prop_map(|(point, hook, index)| EventKind::HookPassed {
            point,
            hook,
            index
        }),
        (text(), text(), any::<usize>(), text()).prop_map(|(point, hook, index, why)| {
            EventKind::HookFailed {
                point,
                hook,
                index,
                why,
            }
        }),
        (split(), split()).prop_map(|(expected, live)| EventKind::DriftDetected { expected, live }),
        text().prop_map(|why| EventKind::Paused { why }),
        Just(EventKind::Promoted),
        text().prop_map(|why| EventKind::RolledBack { why }),
        text().prop_map(|reason| EventKind::OperatorRollback { reason }),
        (operator, text(), prop::option::of(text()))
            .prop_map(|(action, reason, by)| EventKind::Operator { action, reason, by }),
        text().prop_map(|why| EventKind::Failed { why }),
        text().prop_map(|why| EventKind::MetricsUnavailable { why }),
        (text(), 0i64..4_102_444_800_000).prop_map(|(schedule, at)| EventKind::SwitchArmed {
            schedule,
            fires_at: Timestamp(at),
        }),
        text().prop_map(|schedule| EventKind::SwitchDisarmed { schedule }),
        text().prop_map(|why| EventKind::SwitchUnavailable { why }),
        (text(), text(), proptest::option::of(text())).prop_map(|(previous, reason, by)| {
            EventKind::Restarted {
                previous,
                reason,
                by,
            }
        }),
    ]
    .boxed()
}

fn lattice_resource() -> impl Strategy<Value = LatticeResource> {
    (text(), text(), prop::option::of(text())).prop_map(|(id, arn, name)| LatticeResource {
        id,
        arn,
        name,
    })
}

fn route() -> BoxedStrategy<ResolvedRoute> {
    let alb = (
        (text(), text(), prop::option::of(text())),
        (text(), text(), any::<bool>(), any::<bool>()),
    )
        .prop_map(|((lb, listener, rule), (stable, canary, s, c))| {
            ResolvedRoute::Alb(ResolvedAlb {
                load_balancer_arn: lb,
                listener_arn: listener,
                rule_arn: rule,
                stable_arn: stable,
                canary_arn: canary,
                stable_is_lambda: s,
                canary_is_lambda: c,
            })
        });
    let lattice = (
        lattice_resource(),
        lattice_resource(),
        prop::option::of(lattice_resource()),
        lattice_resource(),
        lattice_resource(),
    )
        .prop_map(|(service, listener, rule, stable, canary)| {
            ResolvedRoute::Lattice(Box::new(ResolvedLattice {
                service,
                listener,
                rule,
                stable,
                canary,
            }))
        });
    let alias = prop::collection::vec(text(), 6).prop_map(|t| {
        ResolvedRoute::LambdaAlias(ResolvedAlias {
            function_arn: t[0].clone(),
            function_name: t[1].clone(),
            alias: t[2].clone(),
            alias_arn: t[3].clone(),
            stable_version: t[4].clone(),
            canary_version: t[5].clone(),
        })
    });
    prop_oneof![alb, lattice, alias].boxed()
}

/// Any record this binary can write (its own format version).
pub fn record() -> BoxedStrategy<Record> {
    let id = (text(), text()).prop_map(|(name, content_hash)| PlaybookId { name, content_hash });
    let verdict =
        (at(), text(), prop::collection::vec(text(), 0..3)).prop_map(|(at, verdict, details)| {
            VerdictSummary {
                at,
                verdict,
                details,
            }
        });
    let lease = (text(), text(), at()).prop_map(|(owner, token, until)| Lease {
        owner,
        token,
        until,
    });
    let history = prop::collection::vec(
        (at(), event_kind()).prop_map(|(at, kind)| Event { at, kind }),
        0..6,
    );
    (
        (
            id,
            phase(),
            prop::option::of(split()),
            prop::option::of(split()),
        ),
        (
            any::<bool>(),
            any::<u32>(),
            prop::option::of(verdict),
            history,
        ),
        (at(), at(), any::<u64>(), prop::option::of(at())),
        (
            prop::option::of(route()),
            prop::option::of(lease),
            prop::option::of(text()),
        ),
        (
            prop::option::of(any::<usize>()),
            prop::collection::vec(any::<usize>(), 0..3),
            prop::option::of(lane()),
        ),
    )
        .prop_map(
            |(
                (playbook, phase, written, in_flight),
                (judging_live, consecutive_failures, last_verdict, history),
                (started_at, updated_at, revision, judged_through),
                (route, lease, switch_group),
                (gate_held, released_gates, lane),
            )| Record {
                version: RECORD_VERSION,
                playbook,
                phase,
                written,
                in_flight,
                judging_live,
                judged_through,
                evidence: Default::default(),
                consecutive_failures,
                last_verdict,
                history: history.into(),
                started_at,
                updated_at,
                revision,
                route,
                switch_group,
                lease,
                gate_held,
                released_gates,
                lane,
            },
        )
        .boxed()
}

/// Any header lane state, as a record may carry it.
fn lane() -> impl Strategy<Value = crate::core::lane::Lane> {
    use crate::core::lane::{Lane, LaneState};
    let state = prop_oneof![
        any::<u32>().prop_map(|priority| LaneState::Opening { priority }),
        (text(), any::<u32>()).prop_map(|(rule, priority)| LaneState::Open { rule, priority }),
        (prop::option::of(text()), prop::option::of(text()))
            .prop_map(|(rule, left)| LaneState::Closed { rule, left }),
    ];
    (text(), text(), text(), state).prop_map(|(header, value, token, state)| Lane {
        lane: crate::core::plan::HeaderLane { header, value },
        token,
        state,
    })
}
