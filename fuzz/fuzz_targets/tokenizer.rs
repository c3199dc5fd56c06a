#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jixiao_core::fuzz_harness::tokenizer(data));
