//! Postings lists and the chunks that hold the large ones.
//!
//! A posting says that a term occurs in a document, how much it weighs
//! there and where in the name it stands:
//!
//! ```text
//! list:     count varint, then count × posting
//! posting:  doc_delta  varint   (document number minus the previous one)
//!           impact     u8       1–255: the term's field-weighted BM25 score in
//!                               the document, as a fraction of the term's
//!                               largest (the dictionary keeps that scale)
//!           fields     u8       bit f set: the term occurs in field f
//!           if the name bit is set: positions varint count + position deltas
//! ```
//!
//! Scores are computed at build time (BM25 needs the document's field
//! lengths, which the browser then never downloads); only the name field
//! keeps positions (for phrases in names and the phrase bonus), which keeps
//! lists of common terms small.
//!
//! Chunk file (`JXP2`): build id, then a blob of lists; the dictionary points
//! into the blob by offset and length.

use super::bytes::{DecodeError, Reader, Writer};
use crate::index::docs::FIELD_NAME;

pub const CHUNK_MAGIC: &[u8; 4] = b"JXP2";

pub const NAME_BIT: u8 = 1 << FIELD_NAME;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub fields: u8,
    /// Positions of the term in the name field (empty unless `fields` has the name bit).
    pub name_positions: Vec<u32>,
}

pub fn encode_list(postings: &[Posting]) -> Vec<u8> {
    let mut w = Writer::default();
    w.varint(postings.len() as u64);
    let mut last = 0u32;
    for (i, p) in postings.iter().enumerate() {
        debug_assert!(i == 0 || p.doc > last, "postings sorted by document");
        w.varint((p.doc - if i == 0 { 0 } else { last }) as u64);
        last = p.doc;
        w.u8(p.impact);
        w.u8(p.fields);
        if p.fields & NAME_BIT != 0 {
            w.varint(p.name_positions.len() as u64);
            let mut previous = 0;
            for &pos in &p.name_positions {
                w.varint((pos - previous) as u64);
                previous = pos;
            }
        }
    }
    w.into_inner()
}

pub fn decode_list(bytes: &[u8], doc_count: u32) -> Result<Vec<Posting>, DecodeError> {
    let mut r = Reader::over(bytes);
    let count = r.count(doc_count as usize)?;
    let mut out = Vec::with_capacity(count);
    let mut doc = 0u64;
    for i in 0..count {
        let delta = r.varint()?;
        if i > 0 && delta == 0 {
            return Err(DecodeError::Malformed("postings order"));
        }
        doc += delta;
        if doc >= doc_count as u64 {
            return Err(DecodeError::Malformed("document number"));
        }
        let impact = r.u8()?;
        let fields = r.u8()?;
        if impact == 0 || fields == 0 {
            return Err(DecodeError::Malformed("posting"));
        }
        let mut name_positions = Vec::new();
        if fields & NAME_BIT != 0 {
            let n = r.count(bytes.len())?;
            let mut pos = 0u64;
            for _ in 0..n {
                pos += r.varint()?;
                name_positions.push(u32::try_from(pos).map_err(|_| DecodeError::Malformed("position"))?);
            }
        }
        out.push(Posting { doc: doc as u32, impact, fields, name_positions });
    }
    if !r.at_end() {
        return Err(DecodeError::Malformed("postings length"));
    }
    Ok(out)
}

/// A chunk file around a blob of lists.
pub fn encode_chunk(build: &str, blob: &[u8]) -> Vec<u8> {
    let mut w = Writer::data(CHUNK_MAGIC, build);
    w.bytes(blob);
    w.finish()
}

/// The blob of a chunk file, checked.
pub fn chunk_blob(file: &[u8], build: &str) -> Result<Vec<u8>, DecodeError> {
    let mut r = Reader::open_data(file, CHUNK_MAGIC, build)?;
    let blob = r.bytes()?.to_vec();
    if !r.at_end() {
        return Err(DecodeError::Malformed("chunk length"));
    }
    Ok(blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_and_reject_corruption() {
        let list = vec![
            Posting { doc: 3, impact: 255, fields: NAME_BIT | 4, name_positions: vec![0, 5] },
            Posting { doc: 9, impact: 17, fields: 8, name_positions: vec![] },
        ];
        let bytes = encode_list(&list);
        assert_eq!(decode_list(&bytes, 10).unwrap(), list);
        assert!(decode_list(&bytes, 9).is_err(), "a document beyond the index");
        for cut in 0..bytes.len() {
            assert!(decode_list(&bytes[..cut], 10).is_err());
        }
        let chunk = encode_chunk("b1", &bytes);
        assert_eq!(chunk_blob(&chunk, "b1").unwrap(), bytes);
        assert_eq!(chunk_blob(&chunk, "b2"), Err(DecodeError::WrongBuild));
    }
}
