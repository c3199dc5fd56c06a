//! Per-document columns: what filtering, facet counts and sorting need for
//! every matching document, in blocks of consecutive documents.
//!
//! Documents are numbered in (region, department, unit, year) order, so
//! these four values come in runs: a block stores each run once, with small
//! tables of the names its runs use, and a flags byte per document (kind
//! and fund sources). A region filter touches few blocks, and a query over
//! the whole country costs about one byte per matching document. Amounts,
//! needed only to sort or filter by amount, are in their own blocks
//! ([`AmountBlock`]).
//!
//! Block file (`JXC4`, in the envelope of [`super::bytes`] with the build):
//!
//! ```text
//! first_doc        varint
//! regions          varint count × (code, province, city, county strings)
//! departments      varint count × string
//! units            varint count × string
//! runs             varint count × run:
//!   length         varint (documents, ≥ 1)
//!   region         varint (0 = unknown, else 1 + index in this block)
//!   department     varint (likewise)
//!   unit           varint (likewise)
//!   year           varint (0 = unknown)
//!   outcome        varint (0 = no self-evaluation, else 1 + the index of
//!                  the Outcome in Outcome::ALL)
//! flags            one byte per document of the runs:
//!                  bit i (i < 6) set = FundSource::ALL[i] has money;
//!                  bit 6 set = a self-evaluation; bit 7 set = a
//!                  department-wide record
//! ```
//!
//! Amount file (`JXA3`): `first_doc varint, count varint, count × optional
//! i64` (0 = unknown, else zigzag + 1).

use crate::model::{FundSource, Kind, Outcome, Region};

use super::bytes::{DecodeError, Reader, Writer};

pub const MAGIC: &[u8; 4] = b"JXC4";
pub const AMOUNTS_MAGIC: &[u8; 4] = b"JXA3";
const DEPARTMENT_FLAG: u8 = 0x80;
const EVALUATION_FLAG: u8 = 0x40;
const KIND_FLAGS: u8 = DEPARTMENT_FLAG | EVALUATION_FLAG;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocRow {
    pub kind: Kind,
    pub year: Option<u16>,
    pub region: Option<u32>,
    pub department: Option<u32>,
    pub unit: Option<u32>,
    pub funds: u8,
    /// What self-evaluations say of its targets, if any was published.
    pub outcome: Option<Outcome>,
}

impl DocRow {
    pub fn has_fund(&self, source: FundSource) -> bool {
        self.funds & fund_bit(source) != 0
    }

    /// The four values stored as runs.
    fn run_key(&self) -> (Option<u32>, Option<u32>, Option<u32>, Option<u16>, Option<Outcome>) {
        (self.region, self.department, self.unit, self.year, self.outcome)
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
        let runs: Vec<&[DocRow]> = self.rows.chunk_by(|a, b| a.run_key() == b.run_key()).collect();
        w.varint(runs.len() as u64);
        for run in &runs {
            let first = &run[0];
            w.varint(run.len() as u64);
            w.varint(index(first.region));
            w.varint(index(first.department));
            w.varint(index(first.unit));
            w.varint(first.year.map_or(0, u64::from));
            w.varint(first.outcome.and_then(|o| Outcome::ALL.iter().position(|&x| x == o)).map_or(0, |i| i as u64 + 1));
        }
        for row in &self.rows {
            let kind = match row.kind {
                Kind::Project => 0,
                Kind::Department => DEPARTMENT_FLAG,
                Kind::Evaluation => EVALUATION_FLAG,
            };
            w.u8(row.funds & !KIND_FLAGS | kind);
        }
        w.finish()
    }

    pub fn decode(file: &[u8], build: &str) -> Result<ColumnBlock, DecodeError> {
        let mut r = Reader::open_data(file, MAGIC, build)?;
        let max = file.len();
        let first_doc = u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("first document"))?;
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let region_count = r.count(max)?;
        let mut regions = super::bytes::vec_for_count(region_count);
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
        let run_count = r.count(max)?;
        let mut rows = Vec::new();
        for _ in 0..run_count {
            let length = r.varint()?;
            // Every document has a flags byte still to come (so a
            // corrupted file cannot claim more rows than it has bytes).
            if length == 0 || rows.len() as u64 + length > r.remaining() as u64 {
                return Err(DecodeError::Malformed("run length"));
            }
            let region = index(r.varint()?, regions.len())?;
            let department = index(r.varint()?, departments.len())?;
            let unit = index(r.varint()?, units.len())?;
            let year = match r.varint()? {
                0 => None,
                y => Some(u16::try_from(y).map_err(|_| DecodeError::Malformed("year"))?),
            };
            let outcome = match r.varint()? {
                0 => None,
                i => Some(*usize::try_from(i - 1).ok().and_then(|k| Outcome::ALL.get(k)).ok_or(DecodeError::Malformed("outcome"))?),
            };
            let row = DocRow { kind: Kind::Project, year, region, department, unit, funds: 0, outcome };
            rows.extend(std::iter::repeat_n(row, length as usize));
        }
        for row in rows.iter_mut() {
            let flags = r.u8()?;
            row.kind = match flags & KIND_FLAGS {
                0 => Kind::Project,
                DEPARTMENT_FLAG => Kind::Department,
                EVALUATION_FLAG => Kind::Evaluation,
                _ => return Err(DecodeError::Malformed("kind")),
            };
            row.funds = flags & !KIND_FLAGS;
        }
        if !r.at_end() {
            return Err(DecodeError::Malformed("columns length"));
        }
        if first_doc.checked_add(rows.len() as u32).is_none() {
            return Err(DecodeError::Malformed("first document"));
        }
        Ok(ColumnBlock { first_doc, regions, departments, units, rows })
    }
}

/// The annual amounts of consecutive documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AmountBlock {
    pub first_doc: u32,
    pub amounts: Vec<Option<i64>>,
}

impl AmountBlock {
    pub fn amount(&self, doc: u32) -> Option<i64> {
        *self.amounts.get(doc.checked_sub(self.first_doc)? as usize)?
    }

    pub fn encode(&self, build: &str) -> Vec<u8> {
        let mut w = Writer::data(AMOUNTS_MAGIC, build);
        w.varint(self.first_doc as u64);
        w.varint(self.amounts.len() as u64);
        for &a in &self.amounts {
            w.opt_i64(a);
        }
        w.finish()
    }

    pub fn decode(file: &[u8], build: &str) -> Result<AmountBlock, DecodeError> {
        let mut r = Reader::open_data(file, AMOUNTS_MAGIC, build)?;
        let first_doc = u32::try_from(r.varint()?).map_err(|_| DecodeError::Malformed("first document"))?;
        let count = r.count(file.len())?;
        let amounts = (0..count).map(|_| r.opt_i64()).collect::<Result<Vec<_>, _>>()?;
        if !r.at_end() {
            return Err(DecodeError::Malformed("amounts length"));
        }
        Ok(AmountBlock { first_doc, amounts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ColumnBlock {
        let row = DocRow { year: Some(2024), region: Some(0), department: Some(0), funds: fund_bit(FundSource::Central), ..Default::default() };
        ColumnBlock {
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
                row.clone(),
                DocRow { funds: fund_bit(FundSource::Local), ..row.clone() },
                DocRow { kind: Kind::Department, ..row },
                DocRow::default(),
            ],
        }
    }

    #[test]
    fn round_trips_and_rejects_corruption() {
        let block = sample();
        let bytes = block.encode("b");
        let decoded = ColumnBlock::decode(&bytes, "b").unwrap();
        assert_eq!(decoded, block);
        assert_eq!(decoded.department(64), Some("兴隆县医疗保障局"));
        assert_eq!(decoded.row(63), None);
        assert!(decoded.row(64).unwrap().has_fund(FundSource::Central));
        assert!(decoded.row(65).unwrap().has_fund(FundSource::Local));
        assert_eq!(decoded.row(66).unwrap().kind, Kind::Department);
        assert_eq!(ColumnBlock::decode(&bytes, "other"), Err(DecodeError::WrongBuild));
        for cut in 0..bytes.len() {
            assert!(ColumnBlock::decode(&bytes[..cut], "b").is_err());
        }
    }

    #[test]
    fn runs_cannot_claim_more_documents_than_bytes() {
        // Many runs, each claiming as many documents as there are bytes
        // left: without a bound on the sum this reserves gigabytes.
        let mut w = Writer::data(MAGIC, "b");
        for v in [0, 0, 0, 0, 20_000] {
            w.varint(v);
        }
        for _ in 0..20_000 {
            for v in [99_999, 0, 0, 0, 0, 0] {
                w.varint(v);
            }
        }
        assert_eq!(ColumnBlock::decode(&w.finish(), "b"), Err(DecodeError::Malformed("run length")));
    }

    #[test]
    fn runs_cost_once() {
        let mut block = sample();
        let one = block.encode("b").len();
        let row = block.rows[0].clone();
        block.rows.splice(0..0, std::iter::repeat_n(row, 1000));
        // A thousand more documents of the same run: a flags byte each (and
        // a longer varint length), nothing else.
        assert!(block.encode("b").len() <= one + 1002, "{}", block.encode("b").len());
    }

    #[test]
    fn amounts_round_trip() {
        let block = AmountBlock { first_doc: 8, amounts: vec![Some(295_500), None, Some(-1)] };
        let bytes = block.encode("b");
        let decoded = AmountBlock::decode(&bytes, "b").unwrap();
        assert_eq!(decoded, block);
        assert_eq!(decoded.amount(8), Some(295_500));
        assert_eq!(decoded.amount(9), None);
        assert_eq!(decoded.amount(11), None);
        for cut in 0..bytes.len() {
            assert!(AmountBlock::decode(&bytes[..cut], "b").is_err());
        }
    }
}
