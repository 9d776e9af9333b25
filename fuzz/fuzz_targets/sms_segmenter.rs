//! The SMS segmenter: GSM 03.38 / UCS-2 detection and segment counting on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for locale in ["ja", "en"] {
        let a = ccm_render::sms::analyze(text, locale);
        let again = ccm_render::sms::analyze(text, locale);
        assert_eq!(format!("{a:?}"), format!("{again:?}"), "deterministic");
    }
});
