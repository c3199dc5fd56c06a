//! Term shards: the term dictionary and postings, split into ranges of
//! terms so a query downloads only the ranges its terms fall in.
//!
//! Layout of one shard file (inside the envelope of [`super::bytes`]):
//!
//! ```text
//! magic "JXT1"
//! term_count   varint
//! term_count × entry:
//!   shared     varint    bytes shared with the previous term (front coding)
//!   suffix     bytes     varint length + UTF-8 bytes
//!   postings   bytes     varint length + the block below (decoded lazily)
//! postings block:
//!   field_count  varint
//!   field_count × (field u8, df varint,
//!                  df × (doc_delta varint, tf varint, tf × position_delta varint))
//! ```

use std::collections::BTreeMap;

use super::bytes::{DecodeError, Reader, Writer};

pub const MAGIC: &[u8; 4] = b"JXT1";

/// Postings of one term in one field: documents in increasing order, with
/// the positions of the term in each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPostings {
    pub field: u8,
    pub docs: Vec<u32>,
    /// `positions[i]` are the positions in `docs[i]`, increasing.
    pub positions: Vec<Vec<u32>>,
}

impl FieldPostings {
    pub fn tf(&self, i: usize) -> u32 {
        self.positions[i].len() as u32
    }
}

/// Postings of one term in every field it occurs in.
pub type TermPostings = Vec<FieldPostings>;

fn encode_postings(postings: &TermPostings) -> Vec<u8> {
    let mut w = Writer::default();
    w.varint(postings.len() as u64);
    for fp in postings {
        w.u8(fp.field);
        w.varint(fp.docs.len() as u64);
        let mut last_doc = 0u32;
        for (doc, positions) in fp.docs.iter().zip(&fp.positions) {
            w.varint((doc - last_doc) as u64);
            last_doc = *doc;
            w.varint(positions.len() as u64);
            let mut last_pos = 0u32;
            for &p in positions {
                w.varint((p - last_pos) as u64);
                last_pos = p;
            }
        }
    }
    w.into_inner()
}

fn decode_postings(block: &[u8], doc_count: u32) -> Result<TermPostings, DecodeError> {
    let mut r = Reader::over(block);
    let fields = r.count(255)?;
    let mut out = Vec::with_capacity(fields);
    for _ in 0..fields {
        let field = r.u8()?;
        let df = r.count(doc_count as usize)?;
        let mut docs = Vec::with_capacity(df);
        let mut positions = Vec::with_capacity(df);
        let mut doc = 0u64;
        for i in 0..df {
            let delta = r.varint()?;
            if i > 0 && delta == 0 {
                return Err(DecodeError::Malformed("postings order"));
            }
            doc += delta;
            if doc >= doc_count as u64 {
                return Err(DecodeError::Malformed("document number"));
            }
            docs.push(doc as u32);
            let tf = r.count(block.len())?;
            let mut pos = 0u64;
            let mut list = Vec::with_capacity(tf);
            for _ in 0..tf {
                pos += r.varint()?;
                if pos > u32::MAX as u64 {
                    return Err(DecodeError::Malformed("position"));
                }
                list.push(pos as u32);
            }
            positions.push(list);
        }
        out.push(FieldPostings { field, docs, positions });
    }
    if !r.at_end() {
        return Err(DecodeError::Malformed("postings length"));
    }
    Ok(out)
}

/// Writes shards of roughly `target_bytes` each from terms in sorted order.
/// Returns each shard's first term and bytes.
pub fn write_shards<'a>(
    terms: impl IntoIterator<Item = (&'a str, &'a TermPostings)>,
    target_bytes: usize,
) -> Vec<(String, Vec<u8>)> {
    let mut shards = Vec::new();
    let mut current: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut size = 0;
    let flush = |current: &mut Vec<(&str, Vec<u8>)>, shards: &mut Vec<(String, Vec<u8>)>| {
        if current.is_empty() {
            return;
        }
        let mut w = Writer::new(MAGIC);
        w.varint(current.len() as u64);
        let mut previous: &str = "";
        for (term, block) in current.iter() {
            let shared = common_prefix(previous, term);
            w.varint(shared as u64);
            w.bytes(&term.as_bytes()[shared..]);
            w.bytes(block);
            previous = term;
        }
        shards.push((current[0].0.to_string(), w.finish()));
        current.clear();
    };
    let mut last: Option<&str> = None;
    for (term, postings) in terms {
        debug_assert!(last.is_none_or(|l| l < term), "terms must come sorted");
        last = Some(term);
        let block = encode_postings(postings);
        size += term.len() + block.len() + 4;
        current.push((term, block));
        if size >= target_bytes {
            flush(&mut current, &mut shards);
            size = 0;
        }
    }
    flush(&mut current, &mut shards);
    shards
}

fn common_prefix(a: &str, b: &str) -> usize {
    // Byte-wise, but never splitting a UTF-8 character.
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// A decoded shard: its terms, with postings decoded on demand.
#[derive(Clone, Debug, Default)]
pub struct TermShard {
    entries: BTreeMap<String, Vec<u8>>,
    doc_count: u32,
}

impl TermShard {
    pub fn decode(file: &[u8], doc_count: u32) -> Result<TermShard, DecodeError> {
        let mut r = Reader::open(file, MAGIC)?;
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
            let block = r.bytes()?.to_vec();
            previous = term.clone();
            entries.insert(term, block);
        }
        if !r.at_end() {
            return Err(DecodeError::Malformed("shard length"));
        }
        Ok(TermShard { entries, doc_count })
    }

    pub fn postings(&self, term: &str) -> Result<Option<TermPostings>, DecodeError> {
        match self.entries.get(term) {
            Some(block) => decode_postings(block, self.doc_count).map(Some),
            None => Ok(None),
        }
    }

    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(String, TermPostings)> {
        vec![
            ("医保".into(), vec![FieldPostings { field: 0, docs: vec![0, 5], positions: vec![vec![1, 4], vec![0]] }]),
            (
                "医疗".into(),
                vec![
                    FieldPostings { field: 0, docs: vec![2], positions: vec![vec![3]] },
                    FieldPostings { field: 3, docs: vec![1, 2, 9], positions: vec![vec![0], vec![7, 8], vec![2]] },
                ],
            ),
            ("驻村".into(), vec![FieldPostings { field: 1, docs: vec![7], positions: vec![vec![12]] }]),
        ]
    }

    #[test]
    fn shards_round_trip() {
        let terms = sample();
        for target in [1, 40, 10_000] {
            let shards = write_shards(terms.iter().map(|(t, p)| (t.as_str(), p)), target);
            let mut seen = Vec::new();
            for (first, bytes) in &shards {
                let shard = TermShard::decode(bytes, 10).unwrap();
                assert_eq!(shard.terms().next(), Some(first.as_str()));
                for term in shard.terms() {
                    seen.push((term.to_string(), shard.postings(term).unwrap().unwrap()));
                }
            }
            assert_eq!(seen, terms, "target {target}");
        }
    }

    #[test]
    fn corrupt_postings_are_errors() {
        let terms = sample();
        let shards = write_shards(terms.iter().map(|(t, p)| (t.as_str(), p)), 10_000);
        // A shard claiming fewer documents than its postings name.
        let shard = TermShard::decode(&shards[0].1, 3).unwrap();
        assert!(shard.postings("医保").is_err());
    }
}
