//! A post (two bytes of print settings, then the file's bytes) through front matter,
//! parse, layout and print, plain and coloured: see `folio::fuzzing::render`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| folio::fuzzing::render(data));
