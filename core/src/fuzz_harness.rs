//! Bodies of the fuzz targets for the tokenizer, the query parser and the
//! index decoders, shared by `fuzz/` (cargo-fuzz, nightly) and the corpus
//! replay test `indexer/tests/fuzz_corpus.rs` (stable), so the two cannot
//! drift. Each takes arbitrary bytes and panics only on a bug.
//!
//! The decoder harness reads its input as one selector byte, then:
//!
//! - selector `& 0x40` clear: a whole file as fetched, tried with every
//!   decoder (each checks its own magic, the checksum and the build id, here
//!   the one the file names);
//! - selector `& 0x40` set: `doc_count` (4 bytes LE) and the body of a file
//!   of a kind in [`KINDS`], which the harness wraps in a valid envelope
//!   (magic, build id, checksum), so mutations reach the body decoders
//!   behind the checksum; `selector & 0x3f` (mod the number of kinds) is the kind.

use crate::index::bytes::{fnv1a32, Reader, Writer};
use crate::index::columns::{self, AmountBlock, ColumnBlock};
use crate::index::dict::{self, DictPage, PostingsRef};
use crate::index::docs::DocSummary;
use crate::index::ids::{self, IdsPage};
use crate::index::manifest::Manifest;
use crate::index::overview::{Overview, YearTotals};
use crate::index::places::PlaceNames;
use crate::index::postings::{self, chunk_blob, decode_list};
use crate::index::{codec, FileId};
use crate::model::Record;
use crate::search::{parse, snippet, Filters, Searcher, Sort};
use crate::tokenize::{query_tokens, tokenize, TokenKind, MAX_WORD_CHARS};

/// Build id the wrapped files carry.
pub const FUZZ_BUILD: &str = "0123456789abcdef";

/// Selector bit: the input is a body to wrap in a valid envelope.
pub const WRAP: u8 = 0x40;

/// The decoders the app runs on fetched files, by selector.
pub const KINDS: [(&str, &[u8; 4]); 12] = [
    ("manifest", codec::MANIFEST_MAGIC),
    ("dict", dict::MAGIC),
    ("postings chunk", postings::CHUNK_MAGIC),
    // A bare postings list, as inlined in a dictionary page or cut from a chunk.
    ("postings list", b"LIST"),
    ("columns", columns::MAGIC),
    ("amounts", columns::AMOUNTS_MAGIC),
    ("ids", ids::MAGIC),
    ("overview", codec::OVERVIEW_MAGIC),
    ("docs", codec::DOCS_MAGIC),
    ("records", codec::RECORDS_MAGIC),
    ("place", codec::PLACE_MAGIC),
    ("places", codec::PLACES_MAGIC),
];

/// Tokenizer: index-time and query-time tokens of any text.
pub fn tokenizer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let tokens = tokenize(&text);
    let mut last = 0;
    for t in &tokens {
        assert!(!t.text.is_empty(), "empty token from {text:?}");
        assert!(t.position >= last, "positions go back in {text:?}");
        last = t.position;
        match t.kind {
            TokenKind::Unigram => assert_eq!(t.text.chars().count(), 1),
            TokenKind::Bigram => assert_eq!(t.text.chars().count(), 2),
            TokenKind::Word => assert!(t.text.chars().count() <= MAX_WORD_CHARS),
        }
    }
    assert!(tokens.len() <= 2 * text.chars().count());
    for t in query_tokens(&text) {
        // Every query token is an index token of the same text.
        assert!(tokens.iter().any(|i| i.text == t.text), "query token {:?} not indexed in {text:?}", t.text);
    }
}

/// Query parser: the first line is the query, each further line a synonym
/// group (members separated by `|`); the query is also highlighted in the
/// whole input, as the result cards do.
pub fn query_parser(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let typed = lines.next().unwrap_or("");
    let groups: Vec<Vec<String>> = lines.map(|l| l.split('|').map(str::to_string).collect()).collect();
    for synonyms in [&groups[..], &[]] {
        let query = parse(typed, synonyms);
        assert!(query.clauses.len() <= crate::search::query::MAX_CLAUSES);
        for clause in &query.clauses {
            assert!(!clause.alternatives.is_empty());
            assert!(clause.alternatives.iter().all(|a| !a.is_empty()));
        }
        let _ = query.terms();
        let _ = query.is_empty();
        let _ = snippet::highlight(&text, &query);
        let _ = snippet::snippet(&[typed, &text], &query);
    }
}

/// Index decoders: see the module comment for the input layout.
pub fn index_decoder(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    if selector & WRAP == 0 {
        let build = named_build(rest).unwrap_or_default();
        for kind in 0..KINDS.len() {
            decode_kind(kind, rest, &build, 1 << 16);
        }
    } else if rest.len() >= 4 {
        let doc_count = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let kind = (selector & 0x3f) as usize % KINDS.len();
        decode_kind(kind, &wrap(kind, &rest[4..]), FUZZ_BUILD, doc_count);
    }
}

/// A body of the given kind in a valid envelope (the inverse of
/// [`unwrap_body`]).
pub fn wrap(kind: usize, body: &[u8]) -> Vec<u8> {
    let (name, magic) = KINDS[kind];
    if name == "postings list" {
        return body.to_vec();
    }
    let mut w = if name == "manifest" { Writer::new(magic) } else { Writer::data(magic, FUZZ_BUILD) };
    w.raw(body);
    w.finish()
}

/// The body of a real file of the given kind (for seeding the corpus).
pub fn unwrap_body(kind: usize, file: &[u8]) -> Option<Vec<u8>> {
    let (name, magic) = KINDS[kind];
    if name == "postings list" {
        return Some(file.to_vec());
    }
    let mut r = Reader::open(file, magic).ok()?;
    if name != "manifest" {
        r.str().ok()?;
    }
    let start = r.position();
    Some(file[start..file.len() - 4].to_vec())
}

/// The build id a data file names after its magic.
fn named_build(file: &[u8]) -> Option<String> {
    let mut r = Reader::over(file.get(4..)?);
    r.str().ok().map(str::to_string)
}

/// Decodes `file` as the kind's decoder does in the app, then uses what it
/// decoded the way the engine does.
fn decode_kind(kind: usize, file: &[u8], build: &str, doc_count: u32) {
    match KINDS[kind].0 {
        "manifest" => {
            if let Ok(manifest) = codec::decode::<Manifest>(codec::MANIFEST_MAGIC, file) {
                assert_checksummed(file);
                use_manifest(manifest);
            }
        }
        "dict" => {
            if let Ok(page) = DictPage::decode(file, build) {
                let mut previous: Option<&String> = None;
                for (term, entry) in &page.entries {
                    assert!(previous.is_none_or(|p| p < term));
                    previous = Some(term);
                    if let PostingsRef::Inline(list) = &entry.postings {
                        let _ = decode_list(list, doc_count);
                    }
                }
            }
        }
        "postings chunk" => {
            if let Ok(blob) = chunk_blob(file, build) {
                let _ = decode_list(&blob, doc_count);
            }
        }
        "postings list" => {
            if let Ok(list) = decode_list(file, doc_count) {
                assert!(list.windows(2).all(|w| w[0].doc < w[1].doc), "postings out of order");
                assert!(list.iter().all(|p| p.doc < doc_count));
            }
        }
        "columns" => {
            if let Ok(block) = ColumnBlock::decode(file, build) {
                assert!(block.rows.len() < file.len());
                for doc in block.first_doc..block.first_doc + block.rows.len() as u32 {
                    assert!(block.row(doc).is_some());
                    let _ = (block.region(doc), block.department(doc), block.unit(doc));
                }
            }
        }
        "amounts" => {
            if let Ok(block) = AmountBlock::decode(file, build) {
                for doc in block.first_doc.saturating_sub(1)..=block.first_doc.saturating_add(block.amounts.len() as u32) {
                    let _ = block.amount(doc);
                }
            }
        }
        "ids" => {
            if let Ok(page) = IdsPage::decode(file, build, doc_count) {
                for (id, doc) in &page.entries {
                    assert_eq!(page.doc_of(id), Some(*doc));
                }
            }
        }
        "overview" => {
            let _ = codec::decode_data::<Overview>(codec::OVERVIEW_MAGIC, build, file);
        }
        "docs" => {
            let _ = codec::decode_data::<Vec<DocSummary>>(codec::DOCS_MAGIC, build, file);
        }
        "records" => {
            let _ = codec::decode_data::<Vec<Record>>(codec::RECORDS_MAGIC, build, file);
        }
        "place" => {
            let _ = codec::decode_data::<Vec<YearTotals>>(codec::PLACE_MAGIC, build, file);
        }
        "places" => {
            if let Ok(places) = codec::decode_data::<PlaceNames>(codec::PLACES_MAGIC, build, file) {
                for place in &places.0 {
                    assert_eq!(places.named(&place.name).map(|p| &p.name), Some(&place.name));
                }
            }
        }
        _ => unreachable!(),
    }
}

/// A file that decoded carries a checksum that matches.
fn assert_checksummed(file: &[u8]) {
    let (content, sum) = file.split_at(file.len() - 4);
    assert_eq!(fnv1a32(content).to_le_bytes(), sum);
}

/// What the app does with a manifest before fetching anything else.
fn use_manifest(manifest: Manifest) {
    for term in manifest.dictionary.iter().take(4) {
        let _ = manifest.dict_page(term);
    }
    let _ = manifest.ids_page("x");
    for doc in [0, manifest.doc_count / 2, manifest.doc_count.saturating_sub(1), manifest.doc_count] {
        let _ = (manifest.columns_block(doc), manifest.doc_block(doc), manifest.record_block(doc));
    }
    let query = parse("医疗 \"救助\" -培训", &manifest.synonyms);
    let mut searcher = Searcher::new(manifest);
    // With no other file loaded the engine names the files it needs.
    let _ = searcher.search(&query, &Filters::default(), Sort::default());
    let _ = searcher.doc_of("x");
    let _ = searcher.overview();
    for file in [FileId::Dict(0), FileId::Columns(0), FileId::Overview] {
        let _ = file.name(&searcher.manifest.build);
    }
}
