//! `ccm bench pack`: the pack figures on a throw-away library — N approved templates (copies
//! of a sample, each submitted and approved), exported as one signed pack, verified, and
//! imported into a second library.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use ccm_core::identity::{Identity, Role};
use ccm_core::store::Store;
use ccm_core::team::Roster;
use ccm_pack::{Exporter, Layout, Limits, Selection};
use ccm_render::Engine;
use ccm_trust::review::{self, Reviewer};
use serde::Serialize;

const BASE: &str = "jp-bank-payment-reminder";

#[derive(clap::Args)]
pub struct PackArgs {
    /// Approved templates in the pack
    #[arg(long, default_value_t = 100)]
    templates: usize,
    /// generic | channels
    #[arg(long, default_value = "generic")]
    layout: Layout,
}

#[derive(Serialize)]
struct Results {
    templates: usize,
    approve_s: f64,
    export_s: f64,
    export_per_template_ms: f64,
    pack_bytes: u64,
    pack_entries: usize,
    verify_s: f64,
    verify_mb_per_s: f64,
    /// CPU seconds the verify took (all threads), and MB per CPU second: the figure that does
    /// not depend on what else the machine is doing.
    verify_cpu_s: f64,
    verify_mb_per_cpu_s: f64,
    export_cpu_s: f64,
    /// CPU seconds of the whole-file signature check alone (one core; the unpacking and
    /// hashing after it run on every core).
    verify_signature_cpu_s: f64,
    import_s: f64,
}

pub fn run(args: PackArgs, root: &Path) -> Result<serde_json::Value> {
    let designer = Identity::create(&root.join("designer"), "Bench Designer", Role::Designer)?;
    let officer = Identity::create(&root.join("officer"), "Bench Officer", Role::Compliance)?;
    let brand = Identity::create(&root.join("brand"), "Bench Brand", Role::Brand)?;
    let mut store = Store::open_or_create(&root.join("pack-bench.sqlite"))?;
    store.set_author_key(Some(designer.fingerprint.clone()));
    ccm_bundled::samples::import_into(&mut store, "bench")?;
    let roster = Roster::new([
        designer.member.clone(),
        officer.member.clone(),
        brand.member.clone(),
    ])?;
    store.write(|w| w.save_team(&roster, "bench"))?;
    let rules = ccm_bundled::rules::bundled().map_err(|e| anyhow::anyhow!(e.message))?;
    let engine = Engine::new();
    let today = time::macros::date!(2026 - 12 - 03);

    eprintln!("approving {} templates", args.templates);
    let base = store.get(BASE, None)?.files;
    let started = Instant::now();
    let mut ids = Vec::new();
    for i in 0..args.templates {
        let id = format!("bench-pack-{i:04}");
        let mut files = base.clone();
        let manifest = files
            .0
            .get_mut(ccm_core::format::MANIFEST_FILE)
            .ok_or_else(|| anyhow::anyhow!("{BASE} has no template.toml"))?;
        *manifest = manifest.replacen(&format!("\"{BASE}\""), &format!("\"{id}\""), 1);
        store.create_template(files, "bench", "bench copy")?;
        review::submit(&mut store, &rules, &designer, &id, None)?;
        let reviewer = Reviewer {
            engine: &engine,
            rules: &rules,
        };
        review::approve(&mut store, &reviewer, &officer, &id, None, &[], today)?;
        ids.push(id);
    }
    let approve_s = started.elapsed().as_secs_f64();

    eprintln!("exporting");
    let out = root.join("bench.ccmpack");
    let exporter = Exporter {
        identity: &brand,
        rules: &rules,
        engine: &engine,
        layout: args.layout,
    };
    let started = Instant::now();
    let cpu = cpu_seconds();
    let x = ccm_pack::export(
        &store,
        &exporter,
        &Selection {
            ids,
            ..Selection::default()
        },
        &out,
        |_| {},
    )?;
    let export_s = started.elapsed().as_secs_f64();
    let export_cpu_s = cpu_seconds() - cpu;

    eprintln!("verifying");
    let keys = [brand.member.public_key.clone()];
    let started = Instant::now();
    let cpu = cpu_seconds();
    let verified = ccm_pack::verify_file(&out, &keys, &Limits::default(), |_| {})?;
    let verify_s = started.elapsed().as_secs_f64();
    let verify_cpu_s = cpu_seconds() - cpu;
    let bytes = std::fs::read(&out)?;
    let signature = std::fs::read_to_string(ccm_pack::layout::signature_path(&out))?;
    let cpu = cpu_seconds();
    ccm_core::identity::verify(&keys[0], &bytes, &signature)?;
    let verify_signature_cpu_s = cpu_seconds() - cpu;

    eprintln!("importing");
    let mut target = Store::open_or_create(&root.join("pack-bench-target.sqlite"))?;
    let started = Instant::now();
    ccm_pack::import(&mut target, &verified)?;
    let import_s = started.elapsed().as_secs_f64();

    let results = Results {
        templates: x.included.len(),
        approve_s,
        export_s,
        export_per_template_ms: export_s * 1000.0 / x.included.len().max(1) as f64,
        pack_bytes: x.size,
        pack_entries: x.entries,
        verify_s,
        verify_mb_per_s: x.size as f64 / 1e6 / verify_s,
        verify_cpu_s,
        verify_mb_per_cpu_s: x.size as f64 / 1e6 / verify_cpu_s.max(1e-9),
        export_cpu_s,
        verify_signature_cpu_s,
        import_s,
    };
    Ok(serde_json::to_value(results)?)
}

/// User + system CPU seconds of this process so far (Linux `/proc/self/stat`, 100 ticks per
/// second); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
