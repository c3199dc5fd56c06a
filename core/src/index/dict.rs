//! Dictionary pages: the terms, in sorted ranges, each with its document
//! frequency, its score scale and its postings (inline when small, else in
//! a chunk). The manifest lists each page's first term, so a query fetches
//! the pages of its terms, learns their frequencies, and fetches the large
//! postings lists it actually needs.
//!
//! Page file (`JXT2`, inside the envelope of [`super::bytes`] with the build):
//!
//! ```text
//! count      varint
//! count × entry:
//!   shared   varint   bytes shared with the previous term (front coding)
//!   suffix   bytes    varint length + UTF-8
//!   df       varint   documents containing the term
//!   scale    f32 bits varint   the term's largest score (impact 255)
//!   kind     u8       0: inline list (bytes follow), 1: in a chunk
//!   inline:  bytes    the postings list ([`super::postings`])
//!   chunk:   chunk varint, offset varint, length varint
//! ```

use std::collections::BTreeMap;

use super::bytes::{DecodeError, Reader, Writer};
use super::postings::encode_chunk;
use super::FileId;

pub const MAGIC: &[u8; 4] = b"JXT2";

#[derive(Clone, Debug, PartialEq)]
pub enum PostingsRef {
    Inline(Vec<u8>),
    Chunk { chunk: u32, offset: u32, len: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct DictEntry {
    pub df: u32,
    pub scale: f32,
    pub postings: PostingsRef,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DictPage {
    pub entries: BTreeMap<String, DictEntry>,
}

impl DictPage {
    pub fn decode(file: &[u8], build: &str) -> Result<DictPage, DecodeError> {
        let mut r = Reader::open_data(file, MAGIC, build)?;
        let count = r.count(file.len())?;
        let mut entries = BTreeMap::new();
        let mut previous = String::new();
        for _ in 0..count {
            let shared = r.count(previous.len())?;
            let suffix = r.bytes()?;
            let mut term = previous.as_bytes()[..shared].to_vec();
            term.extend_from_slice(suffix);
            let term = String::from_utf8(term).map_err(|_| DecodeError::Malformed("term"))?;
            if !entries.is_empty() && term <= previous {
                return Err(DecodeError::Malformed("term order"));
            }
            let df = u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("df"))?;
            let scale = f32::from_bits(u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("scale"))?);
            if !scale.is_finite() || scale < 0.0 {
                return Err(DecodeError::Malformed("scale"));
            }
            let postings = match r.u8()? {
                0 => PostingsRef::Inline(r.bytes()?.to_vec()),
                1 => PostingsRef::Chunk {
                    chunk: u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("chunk"))?,
                    offset: u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("offset"))?,
                    len: u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("length"))?,
                },
                _ => return Err(DecodeError::Malformed("postings kind")),
            };
            previous = term.clone();
            entries.insert(term, DictEntry { df, scale, postings });
        }
        if !r.at_end() {
            return Err(DecodeError::Malformed("page length"));
        }
        Ok(DictPage { entries })
    }
}

/// Writes dictionary pages and postings chunks as terms arrive in sorted
/// order, handing each finished file to `sink` (so a large index is never
/// held in memory). Returns the first term of every page.
pub struct DictWriter<'a> {
    build: String,
    page_bytes: usize,
    chunk_bytes: usize,
    inline_limit: usize,
    sink: Box<dyn FnMut(FileId, Vec<u8>) + 'a>,
    page: Option<(Writer, u64, String, String)>,
    pages: Vec<String>,
    chunk: Vec<u8>,
    chunks: u32,
}

impl<'a> DictWriter<'a> {
    /// Pages of about `page_bytes`; lists above `inline_limit` bytes go to
    /// chunks of about `chunk_bytes`.
    pub fn new(build: &str, page_bytes: usize, chunk_bytes: usize, inline_limit: usize, sink: impl FnMut(FileId, Vec<u8>) + 'a) -> Self {
        DictWriter {
            build: build.to_string(),
            page_bytes,
            chunk_bytes,
            inline_limit,
            sink: Box::new(sink),
            page: None,
            pages: Vec::new(),
            chunk: Vec::new(),
            chunks: 0,
        }
    }

    pub fn add(&mut self, term: &str, df: u32, scale: f32, list: Vec<u8>) {
        let postings = if list.len() <= self.inline_limit {
            PostingsRef::Inline(list)
        } else {
            if !self.chunk.is_empty() && self.chunk.len() + list.len() > self.chunk_bytes {
                self.flush_chunk();
            }
            let r = PostingsRef::Chunk { chunk: self.chunks, offset: self.chunk.len() as u32, len: list.len() as u32 };
            self.chunk.extend_from_slice(&list);
            r
        };
        let (w, count, _first, previous) =
            self.page.get_or_insert_with(|| (Writer::default(), 0, term.to_string(), String::new()));
        let shared = common_prefix(previous, term);
        w.varint(shared as u64);
        w.bytes(&term.as_bytes()[shared..]);
        w.varint(df as u64);
        w.varint(scale.to_bits() as u64);
        match postings {
            PostingsRef::Inline(bytes) => {
                w.u8(0);
                w.bytes(&bytes);
            }
            PostingsRef::Chunk { chunk, offset, len } => {
                w.u8(1);
                w.varint(chunk as u64);
                w.varint(offset as u64);
                w.varint(len as u64);
            }
        }
        *count += 1;
        *previous = term.to_string();
        if w.len() >= self.page_bytes {
            self.flush_page();
        }
    }

    fn flush_page(&mut self) {
        if let Some((body, count, first, _)) = self.page.take() {
            let mut w = Writer::data(MAGIC, &self.build);
            w.varint(count);
            w.raw(&body.into_inner());
            (self.sink)(FileId::Dict(self.pages.len() as u32), w.finish());
            self.pages.push(first);
        }
    }

    fn flush_chunk(&mut self) {
        if !self.chunk.is_empty() {
            let file = encode_chunk(&self.build, &self.chunk);
            (self.sink)(FileId::Postings(self.chunks), file);
            self.chunks += 1;
            self.chunk.clear();
        }
    }

    /// Flushes the last page and chunk; returns the pages' first terms and
    /// the number of chunks.
    pub fn finish(mut self) -> (Vec<String>, u32) {
        self.flush_page();
        self.flush_chunk();
        (std::mem::take(&mut self.pages), self.chunks)
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    // Byte-wise, but never splitting a UTF-8 character.
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// The page whose range holds `term`, given the pages' first terms.
pub fn page_for(firsts: &[String], term: &str) -> Option<usize> {
    match firsts.binary_search_by(|f| f.as_str().cmp(term)) {
        Ok(i) => Some(i),
        Err(0) => None,
        Err(i) => Some(i - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::super::postings::{chunk_blob, decode_list, encode_list, Posting};
    use super::*;

    #[test]
    fn pages_and_chunks_round_trip() {
        let mut files: Vec<(FileId, Vec<u8>)> = Vec::new();
        let lists: Vec<(String, Vec<Posting>)> = (0..50)
            .map(|i| {
                let term = format!("t{i:03}");
                let n = if i % 10 == 0 { 40 } else { 2 };
                let postings = (0..n).map(|d| Posting { doc: d * 2 + 1, impact: 9, fields: 8, name_positions: vec![] }).collect();
                (term, postings)
            })
            .collect();
        let (firsts, chunks) = {
            let mut writer = DictWriter::new("b", 64, 100, 20, |id, bytes| files.push((id, bytes)));
            for (term, postings) in &lists {
                writer.add(term, postings.len() as u32, 1.5, encode_list(postings));
            }
            writer.finish()
        };
        assert!(firsts.len() > 1 && chunks > 1);
        for (term, postings) in &lists {
            let page = page_for(&firsts, term).unwrap();
            let file = &files.iter().find(|(id, _)| *id == FileId::Dict(page as u32)).unwrap().1;
            let entry = DictPage::decode(file, "b").unwrap().entries[term].clone();
            let bytes = match entry.postings {
                PostingsRef::Inline(b) => b,
                PostingsRef::Chunk { chunk, offset, len } => {
                    let file = &files.iter().find(|(id, _)| *id == FileId::Postings(chunk)).unwrap().1;
                    chunk_blob(file, "b").unwrap()[offset as usize..(offset + len) as usize].to_vec()
                }
            };
            assert_eq!(&decode_list(&bytes, 100).unwrap(), postings);
            assert_eq!(entry.df as usize, postings.len());
        }
        assert_eq!(page_for(&firsts, "a"), None);
    }
}
