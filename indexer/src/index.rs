//! Build time search index: records → a tantivy index (with the shared
//! tokenizer registered) → the postings the compact browser index is
//! compiled from.
//!
//! Tantivy does the inverted-index work (tokenising through our tokenizer,
//! collecting postings with positions); we read its term dictionaries and
//! postings back and re-encode them in the compact format of
//! `jixiao_core::index`. The tantivy index is also kept as an oracle: tests
//! run the same queries on both and compare the top results.

use std::collections::BTreeMap;

use jixiao_core::index::docs::FIELDS;
use jixiao_core::index::terms::{FieldPostings, TermPostings};
use jixiao_core::tokenize::tokenize;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, DocSet, Index, TantivyDocument, TERMINATED};

pub const TOKENIZER: &str = "jixiao";

/// The shared tokenizer, as tantivy sees it.
#[derive(Clone, Default)]
pub struct SharedTokenizer;

pub struct SharedTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for SharedTokenizer {
    type TokenStream<'a> = SharedTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SharedTokenStream {
        let tokens = tokenize(text)
            .into_iter()
            .map(|t| Token {
                offset_from: 0,
                offset_to: 0,
                position: t.position as usize,
                text: t.text,
                position_length: 1,
            })
            .collect();
        SharedTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for SharedTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The tantivy index of the records, and its fields.
pub struct TantivyIndex {
    pub index: Index,
    pub fields: Vec<Field>,
}

/// Indexes the documents' field texts (see `jixiao_core::index::docs::search_fields`) in tantivy;
/// tantivy document with `ord` = i is `texts[i]`.
pub fn tantivy_index(texts: &[Vec<String>]) -> tantivy::Result<TantivyIndex> {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields: Vec<Field> = FIELDS.iter().map(|name| builder.add_text_field(name, text.clone())).collect();
    let ord = builder.add_u64_field("ord", FAST);
    let index = Index::create_in_ram(builder.build());
    index.tokenizers().register(TOKENIZER, SharedTokenizer);
    let mut writer: tantivy::IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 50_000_000)?;
    for (i, doc_texts) in texts.iter().enumerate() {
        let mut document = doc!(ord => i as u64);
        for (field, value) in fields.iter().zip(doc_texts) {
            document.add_text(*field, value);
        }
        writer.add_document(document)?;
    }
    writer.commit()?;
    Ok(TantivyIndex { index, fields })
}

/// Postings of every term, merged across fields, in term order; and the
/// length of each field of each document in tokens.
pub struct CompiledPostings {
    pub terms: BTreeMap<String, TermPostings>,
    pub lengths: Vec<Vec<u32>>,
}

/// Reads tantivy's term dictionaries and postings back.
pub fn compile(t: &TantivyIndex, texts: &[Vec<String>]) -> tantivy::Result<CompiledPostings> {
    let searcher = t.index.reader()?.searcher();
    let mut terms: BTreeMap<String, TermPostings> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let ords = segment.fast_fields().u64("ord")?;
        for (field_no, &field) in t.fields.iter().enumerate() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                let mut postings = inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqsAndPositions)?;
                let entry = terms.entry(term).or_default();
                let slot = match entry.iter().position(|fp| fp.field == field_no as u8) {
                    Some(i) => i,
                    None => {
                        entry.push(FieldPostings { field: field_no as u8, ..Default::default() });
                        entry.len() - 1
                    }
                };
                let mut positions = Vec::new();
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let ord = ords.first(doc).ok_or_else(|| tantivy::TantivyError::InternalError("document without ord".into()))?;
                    positions.clear();
                    tantivy::postings::Postings::positions(&mut postings, &mut positions);
                    entry[slot].docs.push(ord as u32);
                    entry[slot].positions.push(positions.clone());
                    doc = postings.advance();
                }
            }
        }
    }
    // Segments are not in record order: sort each list by document.
    for postings in terms.values_mut() {
        postings.sort_by_key(|fp| fp.field);
        for fp in postings.iter_mut() {
            let mut pairs: Vec<(u32, Vec<u32>)> = fp.docs.drain(..).zip(fp.positions.drain(..)).collect();
            pairs.sort_by_key(|p| p.0);
            for (d, p) in pairs {
                fp.docs.push(d);
                fp.positions.push(p);
            }
        }
    }
    let lengths = (0..FIELDS.len())
        .map(|field| texts.iter().map(|doc_texts| tokenize(&doc_texts[field]).len() as u32).collect())
        .collect();
    Ok(CompiledPostings { terms, lengths })
}
