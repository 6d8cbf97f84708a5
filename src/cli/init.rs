//! `init --from <ARN>`: a starting playbook from the live route. It reads what the rule,
//! listener or alias forwards to today ([`crate::traffic::discover`]), picks the stable and the
//! canary, drafts the playbook ([`crate::playbook::draft`]), resolves the draft as `plan` would
//! (so it names things that exist and belong together), reads the route's last hour to choose a
//! bake every step can judge on, and writes the file only after the final text validates. It
//! never writes to AWS, and refuses to overwrite a file.

use super::{print, Exit, Global, Output};
use crate::core::forecast::Recent;
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::orchestrator::recent::{recent_traffic, recent_window};
use crate::orchestrator::{Clock, SystemClock};
use crate::playbook::draft::{self, Draft, DraftRoute};
use crate::store::tags::RecordTags;
use crate::traffic::discover::{self, LiveForward, Picked, Routed, Side};
use crate::traffic::Router;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the command line gave.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The ARN of the ALB or VPC Lattice listener or rule, or of the Lambda alias, whose weights
    /// the deployment will shift.
    #[arg(long, value_name = "ARN")]
    pub from: String,
    /// Where to write the playbook (refused if it exists); without it, the playbook is printed.
    pub playbook: Option<PathBuf>,
    /// The deployment's name (default: from the canary's or the function's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The stable target group (name or ARN) or version, when the forward does not make it
    /// plain.
    #[arg(long)]
    pub stable: Option<String>,
    /// The canary target group (name or ARN) or version, when the forward does not make it
    /// plain (e.g. a rule that forwards to one target group only).
    #[arg(long)]
    pub canary: Option<String>,
}

pub async fn execute(args: &InitArgs, global: &Global) -> anyhow::Result<Exit> {
    // Everything that can be refused on its text is, before any AWS call.
    let at = RecordTags::of_arn_given("--from", args.from.trim()).map_err(anyhow::Error::msg)?;
    if let Some(path) = &args.playbook {
        refuse_existing(path)?;
    }
    if let Some(name) = &args.name {
        crate::playbook::draft::check_name(name).map_err(anyhow::Error::msg)?;
    }
    let session = global.session().await?;
    let live = discover::live_forward(session.clients(), &at).await?;
    let picked = live
        .pick(args.stable.as_deref(), args.canary.as_deref())
        .map_err(anyhow::Error::msg)?;
    let mut draft = draft_of(&live, &picked, args.name.as_deref());
    // Resolve the draft as `plan` does: what it names exists and belongs together.
    let plan = parse(&draft)?.plan;
    let router = session.resolve(&plan).await?;
    router.read().await?;
    let now = SystemClock.now();
    let metrics = CloudWatchSource::new(
        session.clients().cloudwatch.clone(),
        router.route().dimensions(),
        plan.analysis.period,
    );
    let recent = match recent_window(&plan, now) {
        Some(window) => recent_traffic(&metrics, window).await.ok(),
        None => None,
    };
    match recent {
        Some(recent) if recent.requests_per_second > 0.0 => {
            draft.notes.push(traffic_note(recent));
            let (bake, why) = draft::choose_bake(&draft, recent, now);
            draft.bake = bake;
            draft.notes.push(why);
        }
        _ => draft.notes.push(
            "the route had no traffic in the last hour: the bake is a default; run \
             `canary-deploy plan` once it serves traffic"
                .into(),
        ),
    }
    let text = draft::render(&draft);
    parse(&draft)?;
    write(args.playbook.as_deref(), &text)?;
    report(args, &draft, &text, global.output);
    Ok(Exit::Done)
}

fn refuse_existing(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        anyhow::bail!(
            "{} exists: init never overwrites a playbook; give a new path, or leave it out to \
             print the draft",
            path.display()
        );
    }
    Ok(())
}

fn parse(draft: &Draft) -> anyhow::Result<crate::playbook::Validated> {
    crate::playbook::parse(&draft::render(draft), "the drafted playbook").map_err(|e| {
        anyhow::anyhow!(
            "the live route does not make a valid playbook:\n{e}\n(the names came from AWS; \
             give --stable/--canary to choose others)"
        )
    })
}

/// The draft of what was found, with the header's notes.
fn draft_of(live: &LiveForward, picked: &Picked, name: Option<&str>) -> Draft {
    let (stable, canary) = (&picked.stable.written, &picked.canary.written);
    let route = match &live.routed {
        Routed::AlbListener { arn } | Routed::AlbRule { arn } => DraftRoute::Alb {
            key: key_of(&live.routed),
            arn: arn.clone(),
            stable: stable.clone(),
            canary: canary.clone(),
        },
        Routed::LatticeListener { arn } | Routed::LatticeRule { arn } => DraftRoute::Lattice {
            key: key_of(&live.routed),
            arn: arn.clone(),
            stable: stable.clone(),
            canary: canary.clone(),
        },
        Routed::LambdaAlias { function, alias } => DraftRoute::LambdaAlias {
            function: function.clone(),
            alias: alias.clone(),
            stable_version: stable.clone(),
            canary_version: canary.clone(),
        },
    };
    let default_name = match &live.routed {
        Routed::LambdaAlias { function, alias } => draft::name_from(&[function, alias]),
        _ => draft::name_from(&[canary]),
    };
    let mut notes = vec![
        format!(
            "Drafted by `canary-deploy init` from {} as it was live on {}.",
            live.routed.shown(),
            SystemClock.now().rfc3339()
        ),
        format!(
            "stable: {}; canary: {}",
            side_note(&live.routed, &picked.stable),
            side_note(&live.routed, &picked.canary)
        ),
    ];
    notes.extend(live.note.clone());
    Draft {
        name: name.map_or(default_name, str::to_string),
        route,
        bake: draft::BAKES[0],
        notes,
        canary_live_percent: picked.canary_percent,
    }
}

fn key_of(routed: &Routed) -> &'static str {
    match routed {
        Routed::AlbRule { .. } | Routed::LatticeRule { .. } => "rule",
        _ => "listener",
    }
}

fn side_note(routed: &Routed, side: &Side) -> String {
    let what = match routed {
        Routed::LambdaAlias { .. } => format!("version {}", side.written),
        _ => side.written.clone(),
    };
    match (&side.live, side.percent) {
        (Some(t), Some(percent)) => {
            let kind = t
                .kind
                .as_deref()
                .map_or(String::new(), |k| format!(" ({k})"));
            format!("{what}{kind} at {percent} % (weight {})", t.weight)
        }
        _ => format!("{what} (no traffic yet)"),
    }
}

fn traffic_note(recent: Recent) -> String {
    let errors = recent
        .error_rate
        .map_or(String::from("no errors reported"), |r| {
            format!("the stable's error rate {:.2} %", r * 100.0)
        });
    format!(
        "last hour: {:.1} requests per second, {errors}",
        recent.requests_per_second
    )
}

fn write(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    let Some(path) = path else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

fn report(args: &InitArgs, draft: &Draft, text: &str, output: Output) {
    match output {
        Output::Json => {
            let doc = crate::report::schema::versioned(json!({
                "type": "init",
                "name": draft.name,
                "file": args.playbook.as_ref().map(|p| p.display().to_string()),
                "playbook": text,
            }));
            print::out(&format!("{}\n", crate::text::json(&doc.to_string())));
        }
        Output::Human => match &args.playbook {
            Some(path) => print::out_lines(&[format!(
                "wrote {} (`{}`); review it, then `canary-deploy plan {}`",
                path.display(),
                draft.name,
                path.display()
            )]),
            None => print::out(text),
        },
    }
}
