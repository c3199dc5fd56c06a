//! Per-document columns: what ranking, filtering, facet counts and sorting
//! need for every matching document, without fetching the documents.
//!
//! Layout (inside the envelope of [`super::bytes`]):
//!
//! ```text
//! magic "JXC1"
//! doc_count        varint
//! field_count      varint, then field_count × doc_count × length varint  (BM25 lengths)
//! regions          varint count × (code, province, city, county strings)
//! departments      varint count × string
//! units            varint count × string
//! doc_count × row:
//!   id             string
//!   aliases        varint count × string
//!   kind           u8 (0 project, 1 department)
//!   year           varint (0 = unknown)
//!   region         varint (0 = unknown, else 1 + index)
//!   department     varint (0 = unknown, else 1 + index)
//!   unit           varint (0 = unknown, else 1 + index)
//!   funds          u8  bit i set = FundSource::ALL[i] has money
//!   inferred       u8  bit i set = that source was inferred from the name
//!   total_yuan     optional i64 (0 = unknown, else zigzag + 1)
//! ```

use crate::model::{FundSource, Kind, Region};

use super::bytes::{DecodeError, Reader, Writer};

pub const MAGIC: &[u8; 4] = b"JXC1";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocRow {
    pub id: String,
    pub aliases: Vec<String>,
    pub kind: Kind,
    pub year: Option<u16>,
    pub region: Option<u32>,
    pub department: Option<u32>,
    pub unit: Option<u32>,
    pub funds: u8,
    pub inferred: u8,
    pub total_yuan: Option<i64>,
}

impl DocRow {
    pub fn has_fund(&self, source: FundSource) -> bool {
        self.funds & fund_bit(source) != 0
    }

    pub fn fund_inferred(&self, source: FundSource) -> bool {
        self.inferred & fund_bit(source) != 0
    }
}

pub fn fund_bit(source: FundSource) -> u8 {
    1 << FundSource::ALL.iter().position(|&s| s == source).unwrap_or(0)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    /// `lengths[field][doc]`: tokens of the field in the document.
    pub lengths: Vec<Vec<u32>>,
    pub regions: Vec<Region>,
    pub departments: Vec<String>,
    pub units: Vec<String>,
    pub rows: Vec<DocRow>,
}

impl Columns {
    pub fn doc_count(&self) -> usize {
        self.rows.len()
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(MAGIC);
        w.varint(self.rows.len() as u64);
        w.varint(self.lengths.len() as u64);
        for field in &self.lengths {
            for &len in field {
                w.varint(len as u64);
            }
        }
        w.varint(self.regions.len() as u64);
        for r in &self.regions {
            for part in [&r.code, &r.province, &r.city, &r.county] {
                w.str(part.as_deref().unwrap_or(""));
            }
        }
        for table in [&self.departments, &self.units] {
            w.varint(table.len() as u64);
            for s in table {
                w.str(s);
            }
        }
        let index = |v: Option<u32>| v.map_or(0, |i| i as u64 + 1);
        for row in &self.rows {
            w.str(&row.id);
            w.varint(row.aliases.len() as u64);
            for a in &row.aliases {
                w.str(a);
            }
            w.u8(match row.kind {
                Kind::Project => 0,
                Kind::Department => 1,
            });
            w.varint(row.year.map_or(0, u64::from));
            w.varint(index(row.region));
            w.varint(index(row.department));
            w.varint(index(row.unit));
            w.u8(row.funds);
            w.u8(row.inferred);
            w.opt_i64(row.total_yuan);
        }
        w.finish()
    }

    pub fn decode(file: &[u8]) -> Result<Columns, DecodeError> {
        let mut r = Reader::open(file, MAGIC)?;
        let max = file.len();
        let docs = r.count(max)?;
        let fields = r.count(16)?;
        let mut lengths = Vec::with_capacity(fields);
        for _ in 0..fields {
            let mut field = Vec::with_capacity(docs);
            for _ in 0..docs {
                field.push(u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("length"))?);
            }
            lengths.push(field);
        }
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let region_count = r.count(max)?;
        let mut regions = Vec::with_capacity(region_count);
        for _ in 0..region_count {
            regions.push(Region {
                code: opt(r.str()?),
                province: opt(r.str()?),
                city: opt(r.str()?),
                county: opt(r.str()?),
            });
        }
        let mut tables = [Vec::new(), Vec::new()];
        for table in tables.iter_mut() {
            let n = r.count(max)?;
            for _ in 0..n {
                table.push(r.str()?.to_string());
            }
        }
        let [departments, units] = tables;
        let index = |v: u64, len: usize| -> Result<Option<u32>, DecodeError> {
            match v {
                0 => Ok(None),
                v if (v - 1) < len as u64 => Ok(Some((v - 1) as u32)),
                _ => Err(DecodeError::Malformed("table index")),
            }
        };
        let mut rows = Vec::with_capacity(docs);
        for _ in 0..docs {
            let id = r.str()?.to_string();
            let alias_count = r.count(max)?;
            let mut aliases = Vec::with_capacity(alias_count);
            for _ in 0..alias_count {
                aliases.push(r.str()?.to_string());
            }
            let kind = match r.u8()? {
                0 => Kind::Project,
                1 => Kind::Department,
                _ => return Err(DecodeError::Malformed("kind")),
            };
            let year = match r.varint()? {
                0 => None,
                y => Some(u16::try_from(y).map_err(|_| DecodeError::Malformed("year"))?),
            };
            rows.push(DocRow {
                id,
                aliases,
                kind,
                year,
                region: index(r.varint()?, regions.len())?,
                department: index(r.varint()?, departments.len())?,
                unit: index(r.varint()?, units.len())?,
                funds: r.u8()?,
                inferred: r.u8()?,
                total_yuan: r.opt_i64()?,
            });
        }
        if !r.at_end() {
            return Err(DecodeError::Malformed("columns length"));
        }
        Ok(Columns { lengths, regions, departments, units, rows })
    }

    /// The document of an id (or of an alias of a merged printing).
    pub fn doc_of(&self, id: &str) -> Option<u32> {
        self.rows
            .iter()
            .position(|r| r.id == id)
            .or_else(|| self.rows.iter().position(|r| r.aliases.iter().any(|a| a == id)))
            .map(|i| i as u32)
    }

    pub fn region(&self, doc: u32) -> Option<&Region> {
        self.rows.get(doc as usize)?.region.and_then(|i| self.regions.get(i as usize))
    }

    pub fn department(&self, doc: u32) -> Option<&str> {
        self.rows.get(doc as usize)?.department.and_then(|i| self.departments.get(i as usize)).map(String::as_str)
    }

    pub fn unit(&self, doc: u32) -> Option<&str> {
        self.rows.get(doc as usize)?.unit.and_then(|i| self.units.get(i as usize)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_corruption() {
        let columns = Columns {
            lengths: vec![vec![3, 4], vec![10, 0]],
            regions: vec![Region {
                code: Some("130822".into()),
                province: Some("河北省".into()),
                city: Some("承德市".into()),
                county: Some("兴隆县".into()),
            }],
            departments: vec!["兴隆县医疗保障局".into()],
            units: vec![],
            rows: vec![
                DocRow {
                    id: "a".into(),
                    aliases: vec!["b".into()],
                    year: Some(2024),
                    region: Some(0),
                    department: Some(0),
                    funds: fund_bit(FundSource::Central),
                    total_yuan: Some(295_500),
                    ..Default::default()
                },
                DocRow { id: "c".into(), kind: Kind::Department, ..Default::default() },
            ],
        };
        let bytes = columns.encode();
        let decoded = Columns::decode(&bytes).unwrap();
        assert_eq!(decoded, columns);
        assert_eq!(decoded.doc_of("b"), Some(0));
        assert!(decoded.rows[0].has_fund(FundSource::Central));
        for cut in 0..bytes.len() {
            assert!(Columns::decode(&bytes[..cut]).is_err());
        }
    }
}
