//! Damaged index files: every kind of file of a real build, with bytes
//! flipped and cut, both as the decoders see them (inflated) and as they
//! are stored (gzip). Decoding must fail with an error — never panic, and
//! never succeed with an answer other than the undamaged file's.

mod built_index;
mod common;

use built_index::{built, IndexFile};
use jixiao_core::index::bytes::DecodeError;
use jixiao_core::index::codec;
use jixiao_core::index::columns::{AmountBlock, ColumnBlock};
use jixiao_core::index::dict::DictPage;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::index::ids::IdsPage;
use jixiao_core::index::manifest::Manifest;
use jixiao_core::index::overview::{Overview, YearTotals};
use jixiao_core::index::postings::chunk_blob;
use jixiao_core::index::FileId;
use jixiao_core::model::Record;
use jixiao_core::search::Searcher;
use jixiao_indexer::transport::decompress;

/// What a file decodes to, by kind.
#[derive(Debug, PartialEq)]
enum Decoded {
    Manifest(Manifest),
    Dict(DictPage),
    Chunk(Vec<u8>),
    Columns(ColumnBlock),
    Amounts(AmountBlock),
    Ids(IdsPage),
    Overview(Overview),
    Docs(Vec<DocSummary>),
    Records(Vec<Record>),
    Place(Vec<YearTotals>),
    Places(jixiao_core::index::places::PlaceNames),
}

/// Decodes as the app does: the manifest and the summary and record blocks
/// with their decoders, every other file through the engine
/// ([`Searcher::add_file`]), whose decoded value is then read back with the
/// same decoder.
fn decode(file: &IndexFile, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let manifest = &built().manifest;
    let build = manifest.build.as_str();
    let Some(id) = file.id else {
        return codec::decode(codec::MANIFEST_MAGIC, bytes).map(Decoded::Manifest);
    };
    let through_engine = Searcher::new(manifest.clone()).add_file(id, bytes);
    let decoded = match id {
        FileId::Dict(_) => DictPage::decode(bytes, build).map(Decoded::Dict),
        FileId::Postings(_) => chunk_blob(bytes, build).map(Decoded::Chunk),
        FileId::Columns(_) => ColumnBlock::decode(bytes, build).map(Decoded::Columns),
        FileId::Amounts(_) => AmountBlock::decode(bytes, build).map(Decoded::Amounts),
        FileId::Ids(_) => IdsPage::decode(bytes, build, manifest.doc_count).map(Decoded::Ids),
        FileId::Overview => codec::decode_data(codec::OVERVIEW_MAGIC, build, bytes).map(Decoded::Overview),
        FileId::Docs(_) => codec::decode_data(codec::DOCS_MAGIC, build, bytes).map(Decoded::Docs),
        FileId::Records(_) => codec::decode_data(codec::RECORDS_MAGIC, build, bytes).map(Decoded::Records),
        FileId::Place(_) => codec::decode_data(codec::PLACE_MAGIC, build, bytes).map(Decoded::Place),
        FileId::Places(_) => codec::decode_data(codec::PLACES_MAGIC, build, bytes).map(Decoded::Places),
    };
    if !matches!(id, FileId::Docs(_) | FileId::Records(_) | FileId::Place(_)) {
        assert_eq!(through_engine.is_ok(), decoded.is_ok(), "{}: engine and decoder disagree", file.name);
    }
    decoded
}

/// Positions to damage: every byte of a small file, else an even spread
/// plus both ends.
fn positions(len: usize, every_below: usize, spread: usize) -> Vec<usize> {
    if len <= every_below {
        return (0..len).collect();
    }
    let mut out: Vec<usize> = (0..spread).map(|k| k * len / spread).collect();
    out.extend(0..32);
    out.extend(len - 32..len);
    out.sort_unstable();
    out.dedup();
    out
}

/// One of several bit patterns per position.
fn flip(bytes: &mut [u8], at: usize) {
    bytes[at] ^= [0x01, 0x80, 0xff, 0x10, 0x5a][at % 5];
}

fn originals() -> Vec<(&'static IndexFile, Decoded)> {
    let files = &built().files;
    for kind in ["manifest", "dict-", "postings-", "columns-", "amounts-", "ids-", "overview.", "docs-", "records-", "place-", "places-"] {
        assert!(files.iter().any(|f| f.name.starts_with(kind)), "the built index has no {kind} file");
    }
    files.iter().map(|f| (f, decode(f, &f.inflated).unwrap_or_else(|e| panic!("{}: {e}", f.name)))).collect()
}

#[test]
fn flipped_bytes_are_rejected() {
    for (file, original) in originals() {
        for at in positions(file.inflated.len(), 4096, 384) {
            let mut bad = file.inflated.clone();
            flip(&mut bad, at);
            if let Ok(decoded) = decode(file, &bad) {
                assert_eq!(decoded, original, "{}: byte {at} flipped decodes to another answer", file.name);
                panic!("{}: byte {at} flipped decodes without an error", file.name);
            }
        }
    }
}

#[test]
fn truncated_files_are_rejected() {
    for (file, _) in originals() {
        let len = file.inflated.len();
        for cut in positions(len, 4096, 384) {
            assert!(decode(file, &file.inflated[..cut]).is_err(), "{}: cut to {cut} of {len} bytes decodes", file.name);
        }
        // Bytes appended after the checksum.
        let mut longer = file.inflated.clone();
        longer.push(0);
        assert!(decode(file, &longer).is_err(), "{}: a byte appended decodes", file.name);
    }
}

/// As stored: inflating catches most damage (gzip's CRC-32 and length);
/// what it lets through (header fields such as the time stamp) must leave
/// the content as it was.
#[test]
fn damaged_gzip_files_are_rejected_or_unchanged() {
    for (file, original) in originals() {
        let len = file.stored.len();
        for at in positions(len, 2048, 256) {
            let mut bad = file.stored.clone();
            flip(&mut bad, at);
            if let Ok(inflated) = decompress(&bad) {
                if let Ok(decoded) = decode(file, &inflated) {
                    assert_eq!(decoded, original, "{}: gzip byte {at} flipped decodes to another answer", file.name);
                }
            }
        }
        for cut in positions(len, 2048, 256) {
            if let Ok(inflated) = decompress(&file.stored[..cut]) {
                assert!(decode(file, &inflated).is_err(), "{}: gzip cut to {cut} of {len} bytes decodes", file.name);
            }
        }
    }
}
