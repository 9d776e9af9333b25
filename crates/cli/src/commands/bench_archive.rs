//! `ccm bench archive`: the review and archive figures on a throw-away library — approving a
//! sample template (every persona × locale × channel rendered, hashed, signed, written),
//! `archive verify` over N approvals with all their renditions, `verify --rerender`
//! throughput, and list/search over a large archive.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use ccm_core::identity::{Identity, Role};
use ccm_core::store::{ArchiveFilter, Store};
use ccm_core::team::Roster;
use ccm_render::Engine;
use ccm_trust::archive::{append_many, NewEntry, Signer};
use ccm_trust::entry::Kind;
use ccm_trust::inputs::TemplateRef;
use ccm_trust::review::{self, Reviewer};
use serde::Serialize;

#[derive(clap::Args)]
pub struct ArchiveArgs {
    /// Approvals to make (cycling through the sample templates, each edited between rounds)
    #[arg(long, default_value_t = 100)]
    approvals: usize,
    /// Archive size for list/search timings (comment entries are added to reach it)
    #[arg(long, default_value_t = 100_000)]
    entries: usize,
    /// Searches to time
    #[arg(long, default_value_t = 500)]
    queries: usize,
}

#[derive(Serialize)]
struct Results {
    approvals: usize,
    approve_p50_ms: f64,
    approve_p95_ms: f64,
    renditions_per_approval: f64,
    verify_ms: f64,
    verified_renditions: u64,
    rerender_per_s: f64,
    entries: u64,
    search_p50_ms: f64,
    search_p95_ms: f64,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn run(args: ArchiveArgs, root: &Path) -> Result<serde_json::Value> {
    let designer = Identity::create(&root.join("designer"), "Bench Designer", Role::Designer)?;
    let officer = Identity::create(&root.join("officer"), "Bench Officer", Role::Compliance)?;
    let mut store = Store::open_or_create(&root.join("archive-bench.sqlite"))?;
    store.set_author_key(Some(designer.fingerprint.clone()));
    ccm_bundled::samples::import_into(&mut store, "bench")?;
    let roster = Roster::new([designer.member.clone(), officer.member.clone()])?;
    store.write(|w| w.save_team(&roster, "bench"))?;
    let rules = ccm_bundled::rules::bundled().map_err(|e| anyhow::anyhow!(e.message))?;
    let engine = Engine::new();
    let today = time::macros::date!(2026 - 12 - 03);
    let ids: Vec<String> = store
        .list(&Default::default())?
        .into_iter()
        .map(|t| t.id)
        .collect();

    eprintln!("approving {} times", args.approvals);
    let mut times = Vec::new();
    let mut renditions = 0usize;
    let mut skip: Vec<String> = Vec::new();
    let mut round = 0;
    while times.len() < args.approvals && skip.len() < ids.len() {
        for id in &ids {
            if times.len() >= args.approvals || skip.contains(id) {
                continue;
            }
            if round > 0 {
                let mut files = store.get(id, None)?.files;
                let key = files.0.keys().find(|k| k.starts_with("sms")).cloned();
                if let Some(k) = key {
                    files.0.get_mut(&k).expect("key from the map").push(' ');
                }
                store.save_template(files, "bench", &format!("round {round}"))?;
            }
            review::submit(&mut store, &rules, &designer, id, None)?;
            let reviewer = Reviewer {
                engine: &engine,
                rules: &rules,
            };
            let started = Instant::now();
            match review::approve(&mut store, &reviewer, &officer, id, None, &[], today) {
                Ok(a) => {
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                    let m = review::manifest_of(&store, &a.entry)?;
                    renditions += m.renditions.len();
                }
                Err(ccm_trust::TrustError::Refused(_)) => {
                    // Templates with error findings (the training sample) need waivers: left out.
                    review::withdraw(&mut store, &rules, &designer, id, None)?;
                    skip.push(id.clone());
                }
                Err(e) => return Err(e.into()),
            }
        }
        round += 1;
    }
    let approvals = times.len();
    times.sort_by(f64::total_cmp);

    eprintln!("verifying");
    let started = Instant::now();
    let report = ccm_trust::verify::verify(&store, &[])?;
    let verify_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        report.ok(),
        "the bench archive does not verify: {:?}",
        report.problem
    );

    eprintln!("re-rendering");
    let started = Instant::now();
    let rr = ccm_trust::rerender::rerender_all(&store, &engine, &rules, None)?;
    let rerender_per_s = rr.len() as f64 / started.elapsed().as_secs_f64();
    anyhow::ensure!(
        rr.iter().all(|r| r.differ.is_empty() && r.error.is_none()),
        "re-render differs"
    );

    let have = store.archive_len()? as usize;
    if args.entries > have {
        eprintln!("adding {} comment entries", args.entries - have);
        let signer = Signer {
            identity: &officer,
            role: "compliance".into(),
            team_version: None,
        };
        let mut left = args.entries - have;
        let mut i = 0;
        while left > 0 {
            let n = left.min(5_000);
            let news = (0..n)
                .map(|_| {
                    i += 1;
                    let id = &ids[i % ids.len()];
                    NewEntry {
                        kind: Kind::Comment,
                        template: TemplateRef {
                            id: id.clone(),
                            version: 1,
                            hash: "0".repeat(64),
                            brand: "bench".into(),
                        },
                        comment: Some(format!("bench comment {i}")),
                        approval: None,
                        anchor: None,
                        edits: None,
                    }
                })
                .collect();
            append_many(&mut store, &signer, news, &[])?;
            left -= n;
        }
    }
    let filters = [
        ArchiveFilter {
            template_id: Some(ids[0].clone()),
            ..Default::default()
        },
        ArchiveFilter {
            actor: Some("Officer".into()),
            kind: Some("approve".into()),
            ..Default::default()
        },
        ArchiveFilter {
            channel: Some("sms".into()),
            ..Default::default()
        },
        ArchiveFilter {
            from: Some("2000-01-01".into()),
            to: Some("2100-12-31".into()),
            ..Default::default()
        },
        ArchiveFilter {
            rule_pack: Some("jp-tokutei-email".into()),
            brand: Some("sakura-bank".into()),
            ..Default::default()
        },
        ArchiveFilter {
            kind: Some("withdraw".into()),
            template_id: Some(ids[1].clone()),
            ..Default::default()
        },
    ];
    let mut search = Vec::new();
    for q in 0..args.queries {
        let started = Instant::now();
        let _ = store.archive_search(&filters[q % filters.len()], 50)?;
        search.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    search.sort_by(f64::total_cmp);
    let results = Results {
        approvals,
        approve_p50_ms: pct(&times, 0.5),
        approve_p95_ms: pct(&times, 0.95),
        renditions_per_approval: renditions as f64 / approvals.max(1) as f64,
        verify_ms,
        verified_renditions: report.renditions,
        rerender_per_s,
        entries: store.archive_len()?,
        search_p50_ms: pct(&search, 0.5),
        search_p95_ms: pct(&search, 0.95),
    };
    Ok(serde_json::to_value(results)?)
}
