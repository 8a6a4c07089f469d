//! Any bytes as a config file and as a theme file: see `folio::fuzzing::config_and_theme`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| folio::fuzzing::config_and_theme(data));
