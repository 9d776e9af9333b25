//! `ccm team add|list`: the team roster — who may design, approve and ship, by public key.
//! It is versioned in the library and exported to `templates/_team/`, so a team sharing the
//! templates folder shares it.

use std::process::ExitCode;

use anyhow::Result;
use ccm_core::identity::{Member, Role};

use crate::context::Context;
use crate::table::Table;

/// List the team, or add a member by their public key
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<TeamCommand>,
}

#[derive(clap::Subcommand)]
enum TeamCommand {
    /// Add a member: their name, role and the public key line `ccm id show` printed for them
    Add {
        #[arg(long)]
        name: String,
        /// designer, compliance or brand
        #[arg(long)]
        role: Role,
        /// Public key line (RW…)
        #[arg(long)]
        key: String,
    },
    /// Every member with role and key fingerprint
    List,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    if let Some(TeamCommand::Add { name, role, key }) = args.command {
        let (mut roster, _) = store.team()?;
        let member = Member {
            name: name.trim().to_owned(),
            role,
            public_key: key.trim().to_owned(),
        };
        let fingerprint = member.fingerprint()?;
        roster.add(member)?;
        let outcome = store.write(|w| w.save_team(&roster, "cli"))?;
        if !ctx.json {
            println!(
                "added {} ({role}, key {fingerprint}); team version {}",
                name.trim(),
                outcome.version()
            );
        }
    }
    let (roster, version) = store.team()?;
    let listed = roster.list();
    if ctx.json {
        return ctx
            .print_json(&serde_json::json!({ "version": version, "members": listed }))
            .map(|_| ExitCode::SUCCESS);
    }
    if listed.is_empty() {
        println!("no team yet: add members with `ccm team add --name … --role … --key …`");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["NAME", "ROLE", "FINGERPRINT"]);
    for m in &listed {
        table.row(vec![
            m.name.clone(),
            m.role.to_string(),
            m.fingerprint.clone(),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}
