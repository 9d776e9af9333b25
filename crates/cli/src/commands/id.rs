//! `ccm id init|show`: this machine's identity — a name, a role and a minisign key pair whose
//! secret half stays in the config folder (`CCM_IDENTITY_DIR`), never in the library.

use std::process::ExitCode;

use anyhow::Result;
use ccm_core::identity::{default_dir, Identity, Role};
use serde::Serialize;

use crate::context::Context;

/// Create or show who you are: name, role and signing key
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: IdCommand,
}

#[derive(clap::Subcommand)]
enum IdCommand {
    /// Create your identity: a key pair (minisign, Ed25519) with your name and role
    Init {
        /// Your name as colleagues know it
        #[arg(long)]
        name: String,
        /// designer, compliance or brand
        #[arg(long)]
        role: Role,
    },
    /// Your name, role, key fingerprint and the public key line others add to the team
    Show {
        /// Print only the public key line (for `ccm team add --key "$(ccm id show --key)"`)
        #[arg(long)]
        key: bool,
    },
}

#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    role: Role,
    fingerprint: &'a str,
    public_key: &'a str,
    dir: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let dir = default_dir()?;
    let identity = match args.command {
        IdCommand::Init { name, role } => {
            let id = Identity::create(&dir, &name, role)?;
            if !ctx.json {
                println!("created the identity of {} ({role})", id.member.name);
            }
            found_team(ctx, &id)?;
            id
        }
        IdCommand::Show { key: true } => {
            println!("{}", Identity::require(&dir)?.member.public_key);
            return Ok(ExitCode::SUCCESS);
        }
        IdCommand::Show { key: false } => Identity::require(&dir)?,
    };
    let shown = Shown {
        name: &identity.member.name,
        role: identity.member.role,
        fingerprint: &identity.fingerprint,
        public_key: &identity.member.public_key,
        dir: dir.display().to_string(),
    };
    if ctx.json {
        ctx.print_json(&shown)?;
    } else {
        println!("name:        {}", shown.name);
        println!("role:        {}", shown.role);
        println!("fingerprint: {}", shown.fingerprint);
        println!("public key:  {}", shown.public_key);
        println!("kept in:     {}", shown.dir);
        println!(
            "add to a team: ccm team add --name \"{}\" --role {} --key {}",
            shown.name, shown.role, shown.public_key
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The first identity made for a library with no team yet founds its roster; everyone after
/// is added by a member (`ccm team add`), so nobody enrols themselves into an existing team.
fn found_team(ctx: &Context, id: &Identity) -> Result<()> {
    let Ok(path) = ctx.library_path() else {
        return Ok(());
    };
    if !path.exists() {
        return Ok(());
    }
    let mut store = ctx.open()?;
    let (mut roster, _) = store.team()?;
    if !roster.is_empty() {
        if !ctx.json && roster.member(&id.fingerprint).is_none() {
            println!(
                "to join this library's team, ask a member to run the `ccm team add` line below"
            );
        }
        return Ok(());
    }
    roster.add(id.member.clone())?;
    store.write(|w| w.save_team(&roster, "cli"))?;
    if !ctx.json {
        println!(
            "the library had no team: {} founds its roster",
            id.member.name
        );
    }
    Ok(())
}
