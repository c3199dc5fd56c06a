#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jixiao_indexer::fuzz_harness::value_parser(data));
