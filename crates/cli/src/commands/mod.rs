//! One module per `ccm` subcommand: `Args` (clap) and `run(&Context, Args)`.

pub mod archive;
pub mod bench;
pub mod bench_archive;
pub mod blocks;
pub mod brand_set;
pub mod brands;
pub mod check;
pub mod diff;
pub mod export;
pub mod history;
pub mod id;
pub mod import;
pub mod init;
pub mod list;
pub mod new;
pub mod preview;
pub mod render;
pub mod review;
pub mod rules;
pub mod search;
pub mod show;
pub mod sms;
pub mod team;
pub mod watch;
