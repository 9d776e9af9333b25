//! ccm-batch — batch composition: one template version rendered for every record of a data
//! file (`ccm batch`).
//!
//! - [`records`]: the data file as a stream of records (JSON Lines, or CSV with dotted headers).
//! - [`layout`]: where the files go, and `--shard K/N` (which records a shard renders).
//! - [`run`]: bounded chunks on every core, results folded in record order.
//! - [`print_file`]: letters copied into one print file per run or per N letters.
//! - [`summary`]: the counts of a run; shard summaries add up.
//!
//! Deterministic: the same data, template version and date give the same bytes, whatever the
//! number of threads or shards.

pub mod layout;
pub mod print_file;
pub mod records;
pub mod run;
pub mod summary;

pub use layout::{Layout, Output, Shard};
pub use records::{Format, Records};
pub use run::{run, Job, PrintMode};
pub use summary::Summary;
