//! Postings lists and the chunks that hold the large ones.
//!
//! A posting says that a term occurs in a document, how much it weighs
//! there and where in the name it stands. Long lists keep the
//! [`EXACT_POSTINGS`] highest-scoring postings exact and store the other
//! documents as plain sets (one of those whose name has the term, one of
//! the rest), each with one shared, average impact: a common term then
//! costs about a bit or a byte per document instead of three or more, and
//! it still matches exactly. Rankings are decided by the exact postings of
//! the rarer terms; a document from a set counts with its set's average.
//!
//! ```text
//! list:     count varint, then count × posting (the exact ones)
//!           sets u8 (0–2), then sets × set:
//!             fields  u8       NAME_BIT | OTHER_FIELDS, or OTHER_FIELDS
//!             impact  u8       the set's mean impact
//!             count   varint
//!             form    u8: 1 document deltas (count × varint);
//!                         2 bitmap: first_doc varint, bytes (varint length
//!                           + bits, least significant first: bit i = first_doc + i)
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
//! keeps positions (for phrases in names and the phrase bonus), and only in
//! exact postings.
//!
//! Chunk file (`JXP2`): build id, then a blob of lists; the dictionary points
//! into the blob by offset and length.

use super::bytes::{DecodeError, Reader, Writer};
use crate::index::docs::FIELD_NAME;

pub const CHUNK_MAGIC: &[u8; 4] = b"JXP2";

pub const NAME_BIT: u8 = 1 << FIELD_NAME;
/// Fields of a posting from a set: fields not recorded (other than the
/// name, or also the name with [`NAME_BIT`]); no positions.
pub const OTHER_FIELDS: u8 = 0x80;
/// Postings a long list keeps exact.
pub const EXACT_POSTINGS: usize = 512;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub fields: u8,
    /// Positions of the term in the name field (empty unless `fields` has the name bit).
    pub name_positions: Vec<u32>,
}

impl Posting {
    /// Are the name positions known (an exact posting in a name)?
    pub fn has_positions(&self) -> bool {
        self.fields & NAME_BIT != 0 && self.fields & OTHER_FIELDS == 0
    }
}

/// Encodes a list sorted by document.
pub fn encode_list(postings: &[Posting]) -> Vec<u8> {
    let (exact, rest) = split(postings);
    let mut w = Writer::default();
    w.varint(exact.len() as u64);
    let mut last = 0u32;
    for (i, p) in exact.iter().enumerate() {
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
    let (in_name, other): (Vec<&Posting>, Vec<&Posting>) = rest.into_iter().partition(|p| p.fields & NAME_BIT != 0);
    let sets: Vec<(u8, Vec<&Posting>)> =
        [(NAME_BIT | OTHER_FIELDS, in_name), (OTHER_FIELDS, other)].into_iter().filter(|(_, set)| !set.is_empty()).collect();
    w.u8(sets.len() as u8);
    for (fields, set) in sets {
        w.u8(fields);
        write_set(&mut w, &set);
    }
    w.into_inner()
}

/// A set of documents with their mean impact, as deltas or as a bitmap,
/// whichever is smaller.
fn write_set(w: &mut Writer, set: &[&Posting]) {
    let impact = (set.iter().map(|p| p.impact as u64).sum::<u64>() as f64 / set.len() as f64).round().clamp(1.0, 255.0) as u8;
    w.u8(impact);
    w.varint(set.len() as u64);
    let mut deltas = Writer::default();
    let mut previous = 0u32;
    for (i, p) in set.iter().enumerate() {
        deltas.varint((p.doc - if i == 0 { 0 } else { previous }) as u64);
        previous = p.doc;
    }
    let first = set[0].doc;
    let span = (set[set.len() - 1].doc - first) as usize + 1;
    if deltas.len() <= span.div_ceil(8) {
        w.u8(1);
        w.raw(&deltas.into_inner());
    } else {
        let mut bits = vec![0u8; span.div_ceil(8)];
        for p in set {
            let i = (p.doc - first) as usize;
            bits[i / 8] |= 1 << (i % 8);
        }
        w.u8(2);
        w.varint(first as u64);
        w.bytes(&bits);
    }
}

/// The postings a long list keeps exact (the highest impacts), and the
/// rest, both in document order.
fn split(postings: &[Posting]) -> (Vec<&Posting>, Vec<&Posting>) {
    if postings.len() <= EXACT_POSTINGS {
        return (postings.iter().collect(), Vec::new());
    }
    let mut exact = vec![false; postings.len()];
    let mut index: Vec<usize> = (0..postings.len()).collect();
    index.sort_by(|&a, &b| postings[b].impact.cmp(&postings[a].impact).then(postings[a].doc.cmp(&postings[b].doc)));
    for &i in index.iter().take(EXACT_POSTINGS) {
        exact[i] = true;
    }
    let kept = postings.iter().zip(&exact).filter(|(_, &e)| e).map(|(p, _)| p).collect();
    let rest = postings.iter().zip(&exact).filter(|(_, &e)| !e).map(|(p, _)| p).collect();
    (kept, rest)
}

pub fn decode_list(bytes: &[u8], doc_count: u32) -> Result<Vec<Posting>, DecodeError> {
    let mut r = Reader::over(bytes);
    let count = r.count(doc_count as usize)?;
    // A posting takes at least three bytes: a count beyond that is corrupt
    // (and must not reserve memory before the bytes run out).
    let mut out = Vec::with_capacity(count.min(bytes.len() / 3));
    let mut doc = None;
    for _ in 0..count {
        let doc = next_doc(&mut r, &mut doc, doc_count)?;
        let impact = r.u8()?;
        let fields = r.u8()?;
        if impact == 0 || fields == 0 || fields & OTHER_FIELDS != 0 {
            return Err(DecodeError::Malformed("posting"));
        }
        let mut name_positions = Vec::new();
        if fields & NAME_BIT != 0 {
            let n = r.count(bytes.len())?;
            let mut pos = 0u64;
            for _ in 0..n {
                pos = pos.checked_add(r.varint()?).ok_or(DecodeError::Malformed("position"))?;
                name_positions.push(u32::try_from(pos).map_err(|_| DecodeError::Malformed("position"))?);
            }
        }
        out.push(Posting { doc, impact, fields, name_positions });
    }
    let sets = r.u8()?;
    if sets > 2 {
        return Err(DecodeError::Malformed("postings sets"));
    }
    for _ in 0..sets {
        let fields = r.u8()?;
        if fields != OTHER_FIELDS && fields != NAME_BIT | OTHER_FIELDS {
            return Err(DecodeError::Malformed("postings set"));
        }
        read_set(&mut r, fields, doc_count, &mut out)?;
    }
    if sets > 0 {
        crate::order::sort_by_u32(&mut out, &|p| p.doc);
        if out.windows(2).any(|w| w[0].doc == w[1].doc) {
            return Err(DecodeError::Malformed("postings order"));
        }
    }
    if !r.at_end() {
        return Err(DecodeError::Malformed("postings length"));
    }
    Ok(out)
}

/// The next document of a delta-coded list: strictly increasing (a zero
/// delta after the first is out of order), without overflow, below
/// `doc_count`. `previous` is `None` before the first.
fn next_doc(r: &mut Reader, previous: &mut Option<u32>, doc_count: u32) -> Result<u32, DecodeError> {
    let delta = r.varint()?;
    if previous.is_some() && delta == 0 {
        return Err(DecodeError::Malformed("postings order"));
    }
    let doc = u64::from(previous.unwrap_or(0)).checked_add(delta).ok_or(DecodeError::Malformed("document number"))?;
    if doc >= u64::from(doc_count) {
        return Err(DecodeError::Malformed("document number"));
    }
    let doc = doc as u32;
    *previous = Some(doc);
    Ok(doc)
}

fn read_set(r: &mut Reader, fields: u8, doc_count: u32, out: &mut Vec<Posting>) -> Result<(), DecodeError> {
    let impact = r.u8()?;
    let count = r.count(doc_count as usize)?;
    if impact == 0 || count == 0 {
        return Err(DecodeError::Malformed("postings set"));
    }
    let posting = |doc: u64| -> Result<Posting, DecodeError> {
        if doc >= doc_count as u64 {
            return Err(DecodeError::Malformed("document number"));
        }
        Ok(Posting { doc: doc as u32, impact, fields, name_positions: Vec::new() })
    };
    let before = out.len();
    match r.u8()? {
        1 => {
            let mut doc = None;
            for _ in 0..count {
                out.push(posting(next_doc(r, &mut doc, doc_count)?.into())?);
            }
        }
        2 => {
            let first = r.varint()?;
            let bits = r.bytes()?;
            for (i, byte) in bits.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        out.push(posting(first.checked_add((i * 8 + bit) as u64).ok_or(DecodeError::Malformed("document number"))?)?);
                    }
                }
            }
        }
        _ => return Err(DecodeError::Malformed("postings form")),
    }
    if out.len() - before != count {
        return Err(DecodeError::Malformed("postings count"));
    }
    Ok(())
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
        assert_eq!(decode_list(&encode_list(&[]), 10).unwrap(), []);
        assert_eq!(chunk_blob(&chunk, "b1").unwrap(), bytes);
        assert_eq!(chunk_blob(&chunk, "b2"), Err(DecodeError::WrongBuild));
    }

    /// A list longer than the exact part: the highest impacts stay exact,
    /// the rest become sets (in names, elsewhere) with their mean impact, in
    /// either form.
    #[test]
    fn long_lists_keep_their_best_postings_exact() {
        for spacing in [1u32, 40] {
            let list: Vec<Posting> = (0..2000u32)
                .map(|i| Posting {
                    doc: i * spacing,
                    impact: (i % 200 + 1) as u8,
                    fields: if i % 3 == 0 { NAME_BIT } else { 4 },
                    name_positions: if i % 3 == 0 { vec![1, 4] } else { vec![] },
                })
                .collect();
            let bytes = encode_list(&list);
            let decoded = decode_list(&bytes, 2000 * spacing).unwrap();
            assert_eq!(decoded.iter().map(|p| p.doc).collect::<Vec<_>>(), list.iter().map(|p| p.doc).collect::<Vec<_>>());
            let exact: Vec<&Posting> = decoded.iter().filter(|p| p.fields & OTHER_FIELDS == 0).collect();
            assert_eq!(exact.len(), EXACT_POSTINGS);
            assert!(exact.iter().all(|p| list[(p.doc / spacing) as usize] == **p));
            let lowest_exact = exact.iter().map(|p| p.impact).min().unwrap();
            for fields in [OTHER_FIELDS, NAME_BIT | OTHER_FIELDS] {
                let set: Vec<&Posting> = decoded.iter().filter(|p| p.fields == fields).collect();
                assert!(!set.is_empty());
                assert!(set.iter().all(|p| p.impact <= lowest_exact && p.impact == set[0].impact && !p.has_positions()));
                assert!(set.iter().all(|p| (list[(p.doc / spacing) as usize].fields & NAME_BIT) == (fields & NAME_BIT)));
            }
            assert!(bytes.len() < 4 * EXACT_POSTINGS + 2000 * 2, "{}", bytes.len());
            for cut in 0..bytes.len() {
                assert!(decode_list(&bytes[..cut], 2000 * spacing).is_err());
            }
        }
    }
}
