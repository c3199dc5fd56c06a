#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jixiao_indexer::fuzz_harness::table_parser(data));
