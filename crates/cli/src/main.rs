//! `ccm` — CCM Studio on the command line. Every capability of the app, headless; `--json` on
//! every command for scripts. This file only dispatches: each command lives in `commands/`.

mod commands;
mod context;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use context::Context;

#[derive(Parser)]
#[command(
    name = "ccm",
    // `ccm 0.1.0 (build 1a2b3c4d5e6f)`: the commit the binary was built from (ccm-bundled).
    version = ccm_bundled::build::VERSION_LINE,
    about = "CCM Studio: design, check and ship customer communications"
)]
struct Cli {
    /// Library file [default: library.sqlite in the platform data folder]
    #[arg(long, global = true, env = "CCM_LIBRARY", value_name = "PATH")]
    library: Option<PathBuf>,

    /// Print machine-readable JSON instead of tables
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Init(commands::init::Args),
    Import(commands::import::Args),
    List(commands::list::Args),
    New(commands::new::Args),
    Show(commands::show::Args),
    History(commands::history::Args),
    Diff(commands::diff::Args),
    Search(commands::search::Args),
    Export(commands::export::Args),
    Brands(commands::brands::Args),
    Blocks(commands::blocks::Args),
    Watch(commands::watch::Args),
    Bench(commands::bench::Args),
    Render(commands::render::Args),
    Batch(commands::batch::Args),
    Preview(commands::preview::Args),
    Check(commands::check::Args),
    Rules(commands::rules::Args),
    Sms(commands::sms::Args),
    Id(commands::id::Args),
    Team(commands::team::Args),
    Review(commands::review::Args),
    Archive(commands::archive::Args),
    Pack(commands::pack::Args),
}

fn main() -> ExitCode {
    stop_quietly_on_closed_pipe();
    let cli = Cli::parse();
    let ctx = Context::new(cli.library, cli.json);
    let result = match cli.command {
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Import(args) => commands::import::run(&ctx, args),
        Command::List(args) => commands::list::run(&ctx, args),
        Command::New(args) => commands::new::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::History(args) => commands::history::run(&ctx, args),
        Command::Diff(args) => commands::diff::run(&ctx, args),
        Command::Search(args) => commands::search::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Brands(args) => commands::brands::run(&ctx, args),
        Command::Blocks(args) => commands::blocks::run(&ctx, args),
        Command::Watch(args) => commands::watch::run(&ctx, args),
        Command::Bench(args) => commands::bench::run(&ctx, args),
        Command::Render(args) => commands::render::run(&ctx, args),
        Command::Batch(args) => commands::batch::run(&ctx, args),
        Command::Preview(args) => commands::preview::run(&ctx, args),
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::Rules(args) => commands::rules::run(&ctx, args),
        Command::Sms(args) => commands::sms::run(&ctx, args),
        Command::Id(args) => commands::id::run(&ctx, args),
        Command::Team(args) => commands::team::run(&ctx, args),
        Command::Review(args) => commands::review::run(&ctx, args),
        Command::Archive(args) => commands::archive::run(&ctx, args),
        Command::Pack(args) => commands::pack::run(&ctx, args),
    };
    match result {
        Ok(code) => code,
        Err(error) => ctx.report_error(&error),
    }
}

/// `ccm check --all | head` closes the pipe early, and Rust's `println!` then panics with
/// "Broken pipe". A command-line tool should stop the way other Unix tools do: silently, with
/// the status a shell reports for SIGPIPE (128 + 13).
fn stop_quietly_on_closed_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
}
