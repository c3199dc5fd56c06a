//! Record ids → documents, for links (`?project=<id>`): pages of sorted
//! ids, merged printings' alias ids included. The manifest lists each
//! page's first id.
//!
//! Page file (`JXI2`, in the envelope of [`super::bytes`] with the build):
//! `count varint`, then `count × (id string, doc varint)`, ids increasing.

use super::bytes::{DecodeError, Reader, Writer};

pub const MAGIC: &[u8; 4] = b"JXI2";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdsPage {
    pub entries: Vec<(String, u32)>,
}

impl IdsPage {
    pub fn encode(&self, build: &str) -> Vec<u8> {
        let mut w = Writer::data(MAGIC, build);
        w.varint(self.entries.len() as u64);
        for (id, doc) in &self.entries {
            w.str(id);
            w.varint(*doc as u64);
        }
        w.finish()
    }

    pub fn decode(file: &[u8], build: &str, doc_count: u32) -> Result<IdsPage, DecodeError> {
        let mut r = Reader::open_data(file, MAGIC, build)?;
        let n = r.count(file.len())?;
        let mut entries: Vec<(String, u32)> = super::bytes::vec_for_count(n);
        for _ in 0..n {
            let id = r.str()?.to_string();
            let doc = r.varint()?;
            if doc >= doc_count as u64 || entries.last().is_some_and(|(last, _)| *last >= id) {
                return Err(DecodeError::Malformed("ids page"));
            }
            entries.push((id, doc as u32));
        }
        if !r.at_end() {
            return Err(DecodeError::Malformed("ids page length"));
        }
        Ok(IdsPage { entries })
    }

    pub fn doc_of(&self, id: &str) -> Option<u32> {
        self.entries.binary_search_by(|(i, _)| i.as_str().cmp(id)).ok().map(|k| self.entries[k].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let page = IdsPage { entries: vec![("a".into(), 3), ("b".into(), 0)] };
        let bytes = page.encode("x");
        let decoded = IdsPage::decode(&bytes, "x", 4).unwrap();
        assert_eq!(decoded.doc_of("b"), Some(0));
        assert_eq!(decoded.doc_of("c"), None);
        assert!(IdsPage::decode(&bytes, "x", 3).is_err());
    }
}
