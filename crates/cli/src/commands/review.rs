//! `ccm review`: submit, approve, request changes, withdraw, comment, status and queue.
//! Every rule (four-eyes, roles, waivers, superseded requests) is enforced by `ccm-trust`;
//! this file parses arguments and prints.
//!
//! Exit status: 0 done, 1 refused by the review rules (the message says which and what to do),
//! 2 usage or library errors.

use std::process::ExitCode;

use anyhow::Result;
use ccm_core::identity::{default_dir, Identity};
use ccm_render::Engine;
use ccm_trust::entry::Anchor;
use ccm_trust::review::{self, Reviewer, State, Status, WaiverRequest};

use super::check::lang;
use super::render::options;
use super::rules::{pack_error, RulesDir};
use crate::context::Context;
use crate::table::Table;

/// Review templates: submit for approval, approve (four-eyes), request changes, comment
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ReviewCommand,
    #[command(flatten)]
    rules: RulesDir,
    /// Language of messages: ja | en [default: from LANG, else en]
    #[arg(long, global = true, value_parser = ["ja", "en"])]
    lang: Option<String>,
}

#[derive(clap::Subcommand)]
enum ReviewCommand {
    /// Submit the latest version for approval (freezes that version)
    Submit {
        id: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Approve the version in review (compliance role; not your own work)
    Approve {
        id: String,
        #[arg(long)]
        comment: Option<String>,
        /// Waive the error findings of RULE (repeat; each needs a --reason, in the same order)
        #[arg(long = "waive", value_name = "RULE")]
        waive: Vec<String>,
        #[arg(long = "reason", value_name = "TEXT")]
        reason: Vec<String>,
        /// The date messages are rendered for, YYYY-MM-DD (default: today, UTC)
        #[arg(long, env = "CCM_TODAY")]
        today: Option<String>,
    },
    /// Send the version in review back with what to change (compliance role)
    RequestChanges {
        id: String,
        #[arg(long)]
        comment: String,
    },
    /// Withdraw your own open request
    Withdraw {
        id: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Comment on the latest version, anchored to a channel and a place in it
    Comment {
        id: String,
        /// The comment text
        text: String,
        /// email | sms | push | print
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        persona: Option<String>,
        #[arg(long)]
        locale: Option<String>,
        /// The text the comment is about, as the customer sees it
        #[arg(long)]
        quote: Option<String>,
        /// An element instead (subject, button, page 2, …)
        #[arg(long)]
        element: Option<String>,
    },
    /// Edit your comment (archive entry number); the earlier text is kept
    EditComment { seq: u64, text: String },
    /// Where a template stands: state, open request, approval, stale reasons, comments
    Status { id: String },
    /// Which approved templates a new set of rule packs would make stale (before installing it)
    Impact {
        /// The rule packs folder you are about to use (CCM_RULES / --rules)
        #[arg(long, value_name = "DIR")]
        packs: std::path::PathBuf,
    },
    /// What waits for you: in review (compliance), changes requested and stale (designers)
    Queue {
        /// Whose queue: designer | compliance | brand [default: your role]
        #[arg(long)]
        role: Option<ccm_core::identity::Role>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(e) => return Ok(pack_error(ctx, &e)),
    };
    let ja = lang(args.lang.as_deref()) == "ja";
    let mut store = ctx.open()?;
    let me = || -> Result<Identity> { Ok(Identity::require(&default_dir()?)?) };
    let appended = match args.command {
        ReviewCommand::Status { id } => {
            let st = review::status(&store, &rules, &id)?;
            return print_status(ctx, &st, ja);
        }
        ReviewCommand::Queue { role } => {
            let id = Identity::load(&default_dir()?).ok().flatten();
            let role = role.or_else(|| id.as_ref().map(|i| i.member.role));
            let items = review::queue(&store, &rules, id.as_ref(), role)?;
            if ctx.json {
                ctx.print_json(&items)?;
                return Ok(ExitCode::SUCCESS);
            }
            if items.is_empty() {
                println!(
                    "{}",
                    if ja {
                        "対応待ちはありません"
                    } else {
                        "nothing waiting"
                    }
                );
                return Ok(ExitCode::SUCCESS);
            }
            let mut t = Table::new(&["TEMPLATE", "VERSION", "STATE", "SINCE", "BY", "NOTE"]);
            for i in &items {
                let note = if i.mine {
                    if ja {
                        "自分の作業（承認不可）"
                    } else {
                        "your own work: you cannot approve it"
                    }
                    .to_owned()
                } else {
                    i.stale_reasons
                        .first()
                        .map(|r| if ja { r.ja.clone() } else { r.en.clone() })
                        .unwrap_or_default()
                };
                t.row(vec![
                    i.template_id.clone(),
                    format!("v{}", i.version),
                    label(i.state, ja).to_owned(),
                    i.since.clone(),
                    i.by.clone(),
                    note,
                ]);
            }
            print!("{}", t.render());
            return Ok(ExitCode::SUCCESS);
        }
        ReviewCommand::Impact { packs } => {
            let candidate = match ccm_bundled::rules::load(Some(&packs)) {
                Ok(r) => r,
                Err(e) => return Ok(pack_error(ctx, &e)),
            };
            let affected = ccm_trust::impact::would_make_stale(
                &store,
                &rules,
                &ccm_trust::impact::Change::Rules(&candidate),
            )?;
            if ctx.json {
                ctx.print_json(&affected)?;
            } else if affected.is_empty() {
                println!(
                    "{}",
                    if ja {
                        "失効する承認はありません"
                    } else {
                        "no approval would become stale"
                    }
                );
            } else {
                for a in &affected {
                    let why: Vec<&str> = a
                        .reasons
                        .iter()
                        .map(|r| if ja { r.ja.as_str() } else { r.en.as_str() })
                        .collect();
                    println!(
                        "{} v{} (approved by {}): {}",
                        a.template_id,
                        a.version,
                        a.approved_by,
                        why.join("; ")
                    );
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        ReviewCommand::Submit { id, comment } => {
            review::submit(&mut store, &rules, &me()?, &id, comment)
        }
        ReviewCommand::Withdraw { id, comment } => {
            review::withdraw(&mut store, &rules, &me()?, &id, comment)
        }
        ReviewCommand::RequestChanges { id, comment } => {
            review::request_changes(&mut store, &rules, &me()?, &id, comment)
        }
        ReviewCommand::Comment {
            id,
            text,
            channel,
            persona,
            locale,
            quote,
            element,
        } => {
            let anchor = channel.map(|channel| Anchor {
                channel,
                persona,
                locale,
                quote,
                element,
            });
            review::comment(&mut store, &me()?, &id, text, anchor)
        }
        ReviewCommand::EditComment { seq, text } => {
            review::edit_comment(&mut store, &me()?, seq, text)
        }
        ReviewCommand::Approve {
            id,
            comment,
            waive,
            reason,
            today,
        } => {
            if waive.len() != reason.len() {
                anyhow::bail!(
                    "give one --reason for each --waive ({} waivers, {} reasons)",
                    waive.len(),
                    reason.len()
                );
            }
            let waivers: Vec<WaiverRequest> = waive
                .into_iter()
                .zip(reason)
                .map(|(rule, reason)| WaiverRequest { rule, reason })
                .collect();
            let today = options(today.as_deref(), false, 0.0)?.today;
            let engine = Engine::new();
            let reviewer = Reviewer {
                engine: &engine,
                rules: &rules,
            };
            review::approve(&mut store, &reviewer, &me()?, &id, comment, &waivers, today)
        }
    };
    match appended {
        Ok(a) => {
            if ctx.json {
                ctx.print_json(&serde_json::json!({
                    "seq": a.entry.seq,
                    "hash": a.hash,
                    "kind": a.entry.kind,
                    "template": a.entry.template,
                    "approval": a.entry.approval,
                    "checkpoint": a.checkpoint,
                }))?;
            } else {
                println!(
                    "{} {}@v{} — archive entry #{} {}",
                    a.entry.kind.as_str(),
                    a.entry.template.id,
                    a.entry.template.version,
                    a.entry.seq,
                    &a.hash[..16]
                );
                if let Some(ap) = &a.entry.approval {
                    println!(
                        "  {} renditions bound (manifest sha256 {}), {} errors / {} warnings, {} waivers",
                        ap.channels.join("+"),
                        &ap.manifest_sha256[..16],
                        ap.findings.errors,
                        ap.findings.warnings,
                        ap.waivers.len()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ccm_trust::TrustError::Refused(r)) => {
            let (m, h) = if ja {
                (&r.message.ja, &r.hint.ja)
            } else {
                (&r.message.en, &r.hint.en)
            };
            eprintln!("error: {m}\n  hint: {h}");
            if ctx.json {
                ctx.print_json(&serde_json::json!({
                    "error": { "code": r.code, "message": r.message, "hint": r.hint }
                }))?;
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

fn label(s: State, ja: bool) -> &'static str {
    let (en, j) = s.label();
    if ja {
        j
    } else {
        en
    }
}

fn print_status(ctx: &Context, st: &Status, ja: bool) -> Result<ExitCode> {
    if ctx.json {
        ctx.print_json(st)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} v{}: {}",
        st.template_id,
        st.latest_version,
        label(st.state, ja)
    );
    if let Some(p) = &st.pending {
        println!(
            "  in review: v{} submitted by {} at {}",
            p.version, p.by, p.at
        );
    }
    if let Some(s) = &st.superseded {
        println!(
            "  superseded: the request for v{} ({} at {}) was overtaken by an edit",
            s.version, s.by, s.at
        );
    }
    if let Some(a) = &st.last_approval {
        println!(
            "  approved: v{} by {} at {} (entry #{})",
            a.version, a.by, a.at, a.seq
        );
    }
    if let Some(i) = &st.imported_from {
        println!(
            "  imported from pack {} ({} #{}, signed by {}) on {}",
            i.pack_id, i.brand, i.sequence, i.signed_by, i.imported_at
        );
    }
    if let Some(c) = &st.changes_requested {
        println!(
            "  changes requested on v{} by {}: {}",
            c.version,
            c.by,
            c.comment.as_deref().unwrap_or("")
        );
    }
    for r in &st.stale_reasons {
        println!("  stale: {}", if ja { &r.ja } else { &r.en });
    }
    for c in &st.comments {
        let place = c
            .anchor
            .as_ref()
            .map(|a| {
                let mut p = a.channel.clone();
                if let Some(q) = a.quote.as_ref().or(a.element.as_ref()) {
                    p.push_str(&format!(" “{q}”"));
                }
                p
            })
            .unwrap_or_else(|| "template".to_owned());
        println!(
            "  comment #{} on v{} [{}] by {} ({}): {}{}",
            c.seq,
            c.version,
            place,
            c.by,
            c.standing,
            c.text,
            if c.history.is_empty() {
                String::new()
            } else {
                format!(" (edited {}×)", c.history.len())
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
