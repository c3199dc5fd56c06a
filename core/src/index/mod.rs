//! The compact index the browser downloads, written by the indexer and read
//! by the query engine. The boundary between the two is these file formats.
//!
//! One build of the index is a set of files that all carry the build's id
//! (a content hash of the whole index) in their names and inside; the
//! manifest names the build and holds the small directories that say which
//! file a term, a document or an id is in. A query fetches only the files it
//! needs, which the engine names ([`FileId`]) when they are missing.
//!
//! - [`manifest`]: format version, build id, directories (`manifest.bin`);
//! - [`dict`]: dictionary pages, terms in ranges, with small postings inline;
//! - [`postings`]: the postings list encoding, and chunks of large lists;
//! - [`columns`]: per-document facet values, and amounts, in blocks of documents;
//! - [`ids`]: record id → document, in pages of sorted ids;
//! - [`overview`]: totals and counts over all records, precomputed;
//! - [`docs`]: result summaries; records; both in blocks ([`codec`]);
//! - [`reader`]: the files a reader has fetched, and the loop that fetches more.

pub mod bytes;
pub mod codec;
pub mod columns;
pub mod dict;
pub mod docs;
pub mod ids;
pub mod manifest;
pub mod overview;
pub mod places;
pub mod postings;
pub mod reader;

use crate::search::ranking::{B, FIELD_WEIGHTS, K1};
use crate::tokenize::tokenize;

/// What, besides the records and the indexer's layout parameters, decides
/// the bytes of the index files: the format, the ranking constants baked
/// into every posting's impact, the tokenizer (by what it makes of a probe
/// text, so any change to it or to the character folding shows), and the
/// summaries' lengths. The indexer hashes its [`fingerprint`](Self::fingerprint)
/// into the build id, so files whose bytes differ never share a name.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentParameters {
    pub format_version: u32,
    pub field_weights: [f32; 4],
    pub k1: f32,
    pub b: f32,
    pub tokenizer: u64,
    pub summary_body_chars: usize,
    pub summary_indicator_chars: usize,
    /// What is indexed of a record (`docs::search_fields` on a probe record
    /// of each kind): the same records make another index when it changes.
    pub search_texts: u64,
}

/// Text the tokenizer's fingerprint is taken from: Han runs (simplified,
/// traditional), words, full-width letters, numbers with separators.
const TOKENIZER_PROBE: &str = "醫療保障局 DIP支付 ＡＢＣ，28,000元；2024年度 13082224P00079910001M 一";

/// The texts indexed of a probe record of each kind, with every part a
/// record's search texts are made of.
fn search_text_probe() -> String {
    use crate::model::{Indicator, Kind, Record, Region, Section};
    [Kind::Project, Kind::Department, Kind::Evaluation]
        .into_iter()
        .map(|kind| {
            let record = Record {
                kind,
                name: "名称".into(),
                region: Region { province: Some("甲省".into()), city: Some("乙市".into()), county: Some("丙县".into()), code: Some("000000".into()) },
                department: Some("局".into()),
                department_raw: Some("主管部门".into()),
                implementing_unit: Some("实施单位".into()),
                project_code: Some("编码".into()),
                indicators: vec![Indicator { level2: Some("二级".into()), name: "指标".into(), value: Some("≥1".into()), annual_value: Some("2".into()), ..Default::default() }],
                sections: vec![Section { label: "项目概况".into(), text: "概况".into() }],
                ..Default::default()
            };
            docs::search_fields(&record).join("|")
        })
        .collect::<Vec<_>>()
        .join("#")
}

impl ContentParameters {
    pub fn current() -> ContentParameters {
        let mut tokens = String::new();
        for t in tokenize(TOKENIZER_PROBE) {
            tokens.push_str(&format!("{}@{}:{:?}|", t.text, t.position, t.kind));
        }
        ContentParameters {
            format_version: manifest::FORMAT_VERSION,
            field_weights: FIELD_WEIGHTS,
            k1: K1,
            b: B,
            tokenizer: bytes::fnv1a64(tokens.as_bytes()),
            summary_body_chars: docs::SUMMARY_BODY_CHARS,
            summary_indicator_chars: docs::SUMMARY_INDICATOR_CHARS,
            search_texts: bytes::fnv1a64(search_text_probe().as_bytes()),
        }
    }

    pub fn fingerprint(&self) -> String {
        format!("{self:?}")
    }
}

/// A file of one build of the index, as the engine asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileId {
    Dict(u32),
    Postings(u32),
    Columns(u32),
    Amounts(u32),
    Ids(u32),
    Docs(u32),
    Records(u32),
    Overview,
    /// The totals of one place (`place-<region code>`), for its page.
    Place(u32),
    /// A page of every place name of the country (`places-<n>`), see [`places`].
    Places(u32),
}

impl FileId {
    /// The file's name: `<kind>-<n>.<build>.bin`.
    pub fn name(self, build: &str) -> String {
        let (kind, n) = match self {
            FileId::Dict(n) => ("dict", n),
            FileId::Postings(n) => ("postings", n),
            FileId::Columns(n) => ("columns", n),
            FileId::Amounts(n) => ("amounts", n),
            FileId::Ids(n) => ("ids", n),
            FileId::Docs(n) => ("docs", n),
            FileId::Records(n) => ("records", n),
            FileId::Places(n) => ("places", n),
            FileId::Place(code) => return format!("place-{code:06}.{build}.bin"),
            FileId::Overview => return format!("overview.{build}.bin"),
        };
        format!("{kind}-{n}.{build}.bin")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_content_parameter_changes_the_fingerprint() {
        let current = ContentParameters::current();
        assert_eq!(current.fingerprint(), ContentParameters::current().fingerprint());
        let variants: [fn(&mut ContentParameters); 8] = [
            |p| p.search_texts ^= 1,
            |p| p.format_version += 1,
            |p| p.field_weights[2] += 0.5,
            |p| p.k1 += 0.1,
            |p| p.b -= 0.05,
            |p| p.tokenizer ^= 1,
            |p| p.summary_body_chars += 1,
            |p| p.summary_indicator_chars -= 1,
        ];
        for (i, change) in variants.iter().enumerate() {
            let mut p = current.clone();
            change(&mut p);
            assert_ne!(p.fingerprint(), current.fingerprint(), "variant {i}");
        }
    }

    #[test]
    fn the_search_texts_fingerprint_sees_every_part_indexed() {
        let probe = search_text_probe();
        for part in ["名称", "局 ", "主管部门", "实施单位", "甲省", "乙市", "丙县", "二级 指标 ≥1 2", "项目概况：概况", "项目编码：编码", "类型：部门整体", "类型：绩效自评"] {
            assert!(probe.contains(part), "{part} not in {probe}");
        }
    }

    #[test]
    fn the_tokenizer_fingerprint_sees_what_it_makes() {
        // The probe's tokens include folded traditional characters and words.
        let tokens: Vec<String> = tokenize(TOKENIZER_PROBE).into_iter().map(|t| t.text).collect();
        for t in ["医疗", "dip", "abc", "28000", "2024"] {
            assert!(tokens.iter().any(|x| x == t), "{t} in {tokens:?}");
        }
    }
}
