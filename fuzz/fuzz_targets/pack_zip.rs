//! The pack reader: a ZIP from another region read as hostile input under the pack limits,
//! then the full verification (listing, hashes, signatures) against a key that signed nothing.
#![no_main]

use ccm_pack::{verify_bytes, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_pack_bytes: 8 << 20,
        max_total_bytes: 32 << 20,
        max_entry_bytes: 16 << 20,
        ..Limits::default()
    };
    let _ = ccm_pack::unzip::read_entries(data, &limits, |_| {});
    let _ = verify_bytes(data, "untrusted comment: x\nRWQ=\n", &[], &limits, |_| {});
});
