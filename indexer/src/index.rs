//! Build-time search index: documents → a tantivy index (with the shared
//! tokenizer registered) → the compact browser index's dictionary pages
//! and postings chunks.
//!
//! Tantivy does the inverted-index work (tokenising through our tokenizer,
//! collecting postings, on disk for a large corpus); we stream its term
//! dictionaries back in term order (merging fields and segments), score
//! every posting with field-weighted BM25 and write the compact format of
//! `jixiao_core::index` as we go, so memory stays bounded by one term's
//! postings. The tantivy index also serves as an oracle in the tests.

use std::collections::BinaryHeap;
use std::path::Path;

use jixiao_core::index::dict::DictWriter;
use jixiao_core::index::docs::{FIELDS, FIELD_NAME};
use jixiao_core::index::postings::{encode_list, Posting, NAME_BIT};
use jixiao_core::index::FileId;
use jixiao_core::search::ranking::{B, FIELD_WEIGHTS, K1};
use jixiao_core::tokenize::tokenize;
use tantivy::directory::MmapDirectory;
use tantivy::merge_policy::NoMergePolicy;
use tantivy::postings::Postings;
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
            .map(|t| Token { offset_from: 0, offset_to: 0, position: t.position as usize, text: t.text, position_length: 1 })
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

/// The tantivy index of the documents, its fields, and each document's
/// field lengths in tokens.
pub struct TantivyIndex {
    pub index: Index,
    pub fields: Vec<Field>,
    pub lengths: Vec<[u32; 4]>,
}

/// Indexes the documents' field texts (see
/// `jixiao_core::index::docs::search_fields`); the tantivy document with
/// `ord` = i is the i-th. In `dir` on disk, or in memory without one.
pub fn tantivy_index(texts: impl IntoIterator<Item = Vec<String>>, dir: Option<&Path>) -> tantivy::Result<TantivyIndex> {
    let mut builder = Schema::builder();
    let indexing = |option| TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(option));
    // Positions only in names: phrases and the phrase bonus need them there,
    // and they would make other fields' lists several times larger.
    let fields: Vec<Field> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let option = if i == FIELD_NAME as usize { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
            builder.add_text_field(name, indexing(option))
        })
        .collect();
    let ord = builder.add_u64_field("ord", FAST);
    let schema = builder.build();
    let index = match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            Index::open_or_create(MmapDirectory::open(dir)?, schema)?
        }
        None => Index::create_in_ram(schema),
    };
    index.tokenizers().register(TOKENIZER, SharedTokenizer);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let mut writer: tantivy::IndexWriter<TantivyDocument> = index.writer_with_num_threads(threads, 100_000_000 * threads)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let mut count = 0;
    for (i, doc_texts) in texts.into_iter().enumerate() {
        let mut document = doc!(ord => i as u64);
        for (field, value) in fields.iter().zip(doc_texts) {
            document.add_text(*field, value);
        }
        writer.add_document(document)?;
        count += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    // Field lengths as tantivy keeps them (its field norms: exact for short
    // fields, in coarse steps for long ones), so BM25 matches tantivy's.
    let mut lengths = vec![[0u32; 4]; count];
    for segment in index.reader()?.searcher().segment_readers() {
        let ords = segment.fast_fields().u64("ord")?;
        let norms = fields.iter().map(|&f| segment.get_fieldnorms_reader(f)).collect::<tantivy::Result<Vec<_>>>()?;
        for doc in 0..segment.max_doc() {
            let ord = ords.first(doc).ok_or_else(|| tantivy::TantivyError::InternalError("document without ord".into()))? as usize;
            let slot = lengths.get_mut(ord).ok_or_else(|| tantivy::TantivyError::InternalError("ord out of range".into()))?;
            for (f, norm) in norms.iter().enumerate() {
                slot[f] = norm.fieldnorm(doc);
            }
        }
    }
    Ok(TantivyIndex { index, fields, lengths })
}

/// What compiling wrote.
pub struct Compiled {
    pub dictionary: Vec<String>,
    pub chunks: u32,
    pub terms: usize,
    pub average_lengths: [f32; 4],
}

/// One (segment, field) term stream in the merge.
struct Head {
    term: Vec<u8>,
    stream: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.term == other.term && self.stream == other.stream
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    // Reversed: BinaryHeap pops the greatest, we want the smallest term.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.term.cmp(&self.term).then(other.stream.cmp(&self.stream))
    }
}

/// Streams tantivy's terms in order into `dict`; returns the number of
/// terms and the fields' mean lengths.
fn stream_terms(t: &TantivyIndex, dict: &mut DictWriter) -> tantivy::Result<(usize, [f32; 4])> {
    let n = t.lengths.len() as f32;
    let mut average_lengths = [0f32; 4];
    for (f, avg) in average_lengths.iter_mut().enumerate() {
        *avg = t.lengths.iter().map(|l| l[f] as f32).sum::<f32>() / n.max(1.0);
    }
    let searcher = t.index.reader()?.searcher();
    // Every (segment, field) dictionary, with the segment's document → ord map.
    let mut sources = Vec::new();
    for segment in searcher.segment_readers() {
        let ords = segment.fast_fields().u64("ord")?;
        for (f, &field) in t.fields.iter().enumerate() {
            sources.push((segment.inverted_index(field)?, f, ords.clone()));
        }
    }
    let mut streams = Vec::with_capacity(sources.len());
    for (inverted, _, _) in &sources {
        streams.push(inverted.terms().stream()?);
    }
    let mut heap = BinaryHeap::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        if stream.advance() {
            heap.push(Head { term: stream.key().to_vec(), stream: i });
        }
    }
    let mut terms = 0;
    // (ord, field, tf, name positions) of the current term.
    let mut gathered: Vec<(u32, usize, u32, Vec<u32>)> = Vec::new();
    let mut positions = Vec::new();
    while let Some(head) = heap.pop() {
        gathered.clear();
        let term = head.term;
        let mut from = vec![head.stream];
        while heap.peek().is_some_and(|h| h.term == term) {
            from.push(heap.pop().expect("peeked").stream);
        }
        for &s in &from {
            let (inverted, field, ords) = &sources[s];
            let option = if *field == FIELD_NAME as usize { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
            let mut postings = inverted.read_postings_from_terminfo(streams[s].value(), option)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let ord = ords.first(doc).ok_or_else(|| tantivy::TantivyError::InternalError("document without ord".into()))? as u32;
                let name_positions = if *field == FIELD_NAME as usize {
                    positions.clear();
                    postings.positions(&mut positions);
                    positions.clone()
                } else {
                    Vec::new()
                };
                gathered.push((ord, *field, postings.term_freq(), name_positions));
                doc = postings.advance();
            }
            if streams[s].advance() {
                heap.push(Head { term: streams[s].key().to_vec(), stream: s });
            }
        }
        let term = String::from_utf8_lossy(&term).into_owned();
        let (df, scale, list) = score(&gathered, &t.lengths, &average_lengths, n);
        dict.add(&term, df, scale, encode_list(&list));
        terms += 1;
    }
    Ok((terms, average_lengths))
}

/// One term's postings: field-weighted BM25 per document, quantized
/// against the term's largest score.
fn score(gathered: &[(u32, usize, u32, Vec<u32>)], lengths: &[[u32; 4]], average: &[f32; 4], n: f32) -> (u32, f32, Vec<Posting>) {
    let mut field_df = [0f32; 4];
    for g in gathered {
        field_df[g.1] += 1.0;
    }
    let idf = field_df.map(|df| if df > 0.0 { (1.0 + (n - df + 0.5) / (df + 0.5)).ln() } else { 0.0 });
    let mut by_doc: Vec<&(u32, usize, u32, Vec<u32>)> = gathered.iter().collect();
    by_doc.sort_by_key(|g| (g.0, g.1));
    let mut scored: Vec<(u32, f32, u8, Vec<u32>)> = Vec::new();
    for g in by_doc {
        let (ord, field, tf, positions) = (g.0, g.1, g.2 as f32, &g.3);
        let len = lengths[ord as usize][field] as f32;
        let norm = K1 * (1.0 - B + B * len / average[field].max(1.0));
        let s = FIELD_WEIGHTS[field] * idf[field] * tf * (K1 + 1.0) / (tf + norm);
        match scored.last_mut().filter(|last| last.0 == ord) {
            Some(last) => {
                last.1 += s;
                last.2 |= 1 << field;
                if field == FIELD_NAME as usize {
                    last.3 = positions.clone();
                }
            }
            None => scored.push((ord, s, 1 << field, if field == FIELD_NAME as usize { positions.clone() } else { Vec::new() })),
        }
    }
    let scale = scored.iter().map(|s| s.1).fold(0.0f32, f32::max).max(f32::MIN_POSITIVE);
    let list = scored
        .into_iter()
        .map(|(doc, s, fields, name_positions)| Posting {
            doc,
            impact: ((s / scale * 255.0).round() as u32).clamp(1, 255) as u8,
            fields,
            name_positions: if fields & NAME_BIT != 0 { name_positions } else { Vec::new() },
        })
        .collect::<Vec<_>>();
    (list.len() as u32, scale, list)
}

/// Compiles the tantivy index into dictionary pages and postings chunks,
/// handed to `sink` as they are finished; returns the directory.
pub fn compile(
    t: &TantivyIndex,
    build: &str,
    page_bytes: usize,
    chunk_bytes: usize,
    inline_limit: usize,
    sink: impl FnMut(FileId, Vec<u8>),
) -> tantivy::Result<Compiled> {
    let mut dict = DictWriter::new(build, page_bytes, chunk_bytes, inline_limit, sink);
    let (terms, average_lengths) = stream_terms(t, &mut dict)?;
    let (dictionary, chunks) = dict.finish();
    Ok(Compiled { dictionary, chunks, terms, average_lengths })
}
