//! Per-document columns: what filtering, facet counts and sorting need for
//! every matching document, in blocks of consecutive documents. Documents
//! are numbered in region order, so a region filter touches few blocks.
//! Each block carries its own small tables of the region, department and
//! unit names its documents use, so a block is read on its own.
//!
//! Block file (`JXC2`, in the envelope of [`super::bytes`] with the build):
//!
//! ```text
//! first_doc        varint
//! regions          varint count × (code, province, city, county strings)
//! departments      varint count × string
//! units            varint count × string
//! rows             varint count × row:
//!   kind           u8 (0 project, 1 department)
//!   year           varint (0 = unknown)
//!   region         varint (0 = unknown, else 1 + index in this block)
//!   department     varint (likewise)
//!   unit           varint (likewise)
//!   funds          u8  bit i set = FundSource::ALL[i] has money
//!   inferred       u8  bit i set = that source was inferred from the name
//!   total_yuan     optional i64 (0 = unknown, else zigzag + 1)
//! ```

use crate::model::{FundSource, Kind, Region};

use super::bytes::{DecodeError, Reader, Writer};

pub const MAGIC: &[u8; 4] = b"JXC2";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocRow {
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
pub struct ColumnBlock {
    pub first_doc: u32,
    pub regions: Vec<Region>,
    pub departments: Vec<String>,
    pub units: Vec<String>,
    pub rows: Vec<DocRow>,
}

impl ColumnBlock {
    pub fn row(&self, doc: u32) -> Option<&DocRow> {
        self.rows.get(doc.checked_sub(self.first_doc)? as usize)
    }

    pub fn region(&self, doc: u32) -> Option<&Region> {
        self.row(doc)?.region.and_then(|i| self.regions.get(i as usize))
    }

    pub fn department(&self, doc: u32) -> Option<&str> {
        self.row(doc)?.department.and_then(|i| self.departments.get(i as usize)).map(String::as_str)
    }

    pub fn unit(&self, doc: u32) -> Option<&str> {
        self.row(doc)?.unit.and_then(|i| self.units.get(i as usize)).map(String::as_str)
    }

    pub fn encode(&self, build: &str) -> Vec<u8> {
        let mut w = Writer::data(MAGIC, build);
        w.varint(self.first_doc as u64);
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
        w.varint(self.rows.len() as u64);
        for row in &self.rows {
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

    pub fn decode(file: &[u8], build: &str) -> Result<ColumnBlock, DecodeError> {
        let mut r = Reader::open_data(file, MAGIC, build)?;
        let max = file.len();
        let first_doc = u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("first document"))?;
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let region_count = r.count(max)?;
        let mut regions = Vec::with_capacity(region_count);
        for _ in 0..region_count {
            regions.push(Region { code: opt(r.str()?), province: opt(r.str()?), city: opt(r.str()?), county: opt(r.str()?) });
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
        let count = r.count(max)?;
        let mut rows = Vec::with_capacity(count);
        for _ in 0..count {
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
        Ok(ColumnBlock { first_doc, regions, departments, units, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_corruption() {
        let block = ColumnBlock {
            first_doc: 64,
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
                    year: Some(2024),
                    region: Some(0),
                    department: Some(0),
                    funds: fund_bit(FundSource::Central),
                    total_yuan: Some(295_500),
                    ..Default::default()
                },
                DocRow { kind: Kind::Department, ..Default::default() },
            ],
        };
        let bytes = block.encode("b");
        let decoded = ColumnBlock::decode(&bytes, "b").unwrap();
        assert_eq!(decoded, block);
        assert_eq!(decoded.department(64), Some("兴隆县医疗保障局"));
        assert_eq!(decoded.row(63), None);
        assert!(decoded.row(64).unwrap().has_fund(FundSource::Central));
        assert_eq!(ColumnBlock::decode(&bytes, "other"), Err(DecodeError::WrongBuild));
        for cut in 0..bytes.len() {
            assert!(ColumnBlock::decode(&bytes[..cut], "b").is_err());
        }
    }
}
