//! Bodies of the fuzz targets for the table parser, the value parsers and
//! the index files as stored (gzip), shared by `fuzz/` (cargo-fuzz,
//! nightly) and the corpus replay test `indexer/tests/fuzz_corpus.rs`
//! (stable), so the two cannot drift. Each takes arbitrary bytes and panics
//! only on a bug.

use jixiao_reader::extract::amount::{parse_amount, Amount};
use jixiao_reader::labels::Unit;
use jixiao_reader::extract::numerals::parse_financial_numerals;
use jixiao_reader::extract::values::parse_value;
use jixiao_reader::extract::{self, DocumentInput};
use crate::transport;
use jixiao_core::fuzz_harness::WRAP;
use jixiao_core::model::ParsedValue;

/// Table parser: a document's bytes → text (as `data/` files are read, a
/// `.docx` too) →
/// grid, tables, labels, reader, indicators, records → merged records.
pub fn table_parser(data: &[u8]) {
    let input = match jixiao_reader::decode::decode(data) {
        Ok(decoded) => DocumentInput::from_decoded("fuzz.txt".into(), decoded),
        Err(_) => DocumentInput::from_text("fuzz.txt", String::from_utf8_lossy(data).into_owned()),
    };
    let input = DocumentInput { declared_year: Some(2024), ..input };
    let (records, report) = extract::extract_document(&input);
    assert_eq!(report.project_tables + report.department_tables, records.len());
    let merged = extract::finish(records);
    for record in &merged {
        assert!(!record.id.is_empty(), "record without id");
    }
}

/// Value parsers: each line of the input is one cell, read as an indicator
/// target, a money amount in both units, and financial numerals.
pub fn value_parser(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for cell in text.split('\n') {
        match parse_value(cell) {
            ParsedValue::Quantity { number, .. } => assert!(number.is_finite(), "{cell:?} → {number}"),
            ParsedValue::Qualitative { text } => assert_eq!(text, cell),
        }
        let yuan = parse_amount(cell, Unit::Yuan);
        let wan = parse_amount(cell, Unit::WanYuan);
        if let (Ok(Amount::Blank), other) | (other, Ok(Amount::Blank)) = (&yuan, &wan) {
            assert!(matches!(other, Ok(Amount::Blank)), "{cell:?} blank in one unit only");
        }
        if let Some(n) = parse_financial_numerals(cell) {
            assert!(n >= 0, "{cell:?} → {n}");
        }
    }
}

/// Index files as stored: with the gzip bit (`0x80`) of the selector byte
/// set, the rest is a gzip file, inflated with the size limit before the
/// decoders see it (selector `& 0x7f` then chooses as in
/// [`jixiao_core::fuzz_harness::index_decoder`]); otherwise the input goes
/// to the decoders directly.
pub fn index_decoder(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    if selector & GZIP == 0 {
        return jixiao_core::fuzz_harness::index_decoder(data);
    }
    if let Ok(inflated) = transport::decompress(rest) {
        assert!(inflated.len() as u64 <= transport::MAX_INFLATED);
        let mut input = Vec::with_capacity(inflated.len() + 1);
        input.push(selector & !GZIP);
        input.extend_from_slice(&inflated);
        jixiao_core::fuzz_harness::index_decoder(&input);
    }
}

/// Selector bit: the input is gzip-compressed (as stored in `idx/`).
pub const GZIP: u8 = 0x80;
const _: () = assert!(GZIP & WRAP == 0);
