//! Binary encoding of the manifest, result summaries and records — the
//! files the app decodes. Hand-written on the varint primitives of
//! [`super::bytes`] so the browser bundle carries no JSON parser (the
//! downloads in `download/` stay JSON for people and tools).
//!
//! Every value is written field by field in declaration order:
//!
//! ```text
//! String        varint length + UTF-8
//! Option<T>     u8 (0 none, 1 some) + T
//! Vec<T>        varint count + T…
//! u16/u32/u64   varint;  i64: zigzag varint;  f32/f64: IEEE bits as varint
//! enums         u8 discriminant (+ fields)
//! ```
//!
//! Files: `manifest.bin` (`JXM2`), and, each with the build id after the
//! magic: `docs-<n>` (`JXD2`, a Vec of summaries), `records-<n>` (`JXR2`, a
//! Vec of records), `overview` (`JXO5`), each in the common envelope.

use crate::model::{
    Achievement, Outcome, Comparator, Confidence, Conflict, ConflictValue, Correction, Doubt, Evaluation, EvaluationLink, FundSource, FundSourceTag, Indicator, Kind, Money,
    ParsedValue, Record, Region,
    Publication, Section, SourceRef, Warning,
};

use super::bytes::{DecodeError, Reader, Writer};
use super::docs::DocSummary;
use super::manifest::{Blocks, Downloads, FieldInfo, Manifest};
use super::overview::{Overview, Place, PlaceResults, Tally, YearTotals};
use super::places::{PlaceName, PlaceNames};

pub const MANIFEST_MAGIC: &[u8; 4] = b"JXM2";
pub const DOCS_MAGIC: &[u8; 4] = b"JXD2";
pub const RECORDS_MAGIC: &[u8; 4] = b"JXR2";
pub use super::overview::MAGIC as OVERVIEW_MAGIC;
pub use super::overview::PLACE_MAGIC;
pub use super::places::MAGIC as PLACES_MAGIC;

/// A value with a binary form.
pub trait Codec: Sized {
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Reader) -> Result<Self, DecodeError>;
}

/// Encodes a value into a file with the given magic.
pub fn encode<T: Codec>(magic: &[u8; 4], value: &T) -> Vec<u8> {
    let mut w = Writer::new(magic);
    value.put(&mut w);
    w.finish()
}

/// Decodes a whole file; trailing bytes are an error.
pub fn decode<T: Codec>(magic: &[u8; 4], file: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader::open(file, magic)?;
    let value = T::get(&mut r)?;
    if !r.at_end() {
        return Err(DecodeError::Malformed("trailing bytes"));
    }
    Ok(value)
}

/// Encodes a value into a data file of a build.
pub fn encode_data<T: Codec>(magic: &[u8; 4], build: &str, value: &T) -> Vec<u8> {
    let mut w = Writer::data(magic, build);
    value.put(&mut w);
    w.finish()
}

/// Decodes a data file of a build.
pub fn decode_data<T: Codec>(magic: &[u8; 4], build: &str, file: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader::open_data(file, magic, build)?;
    let value = T::get(&mut r)?;
    if !r.at_end() {
        return Err(DecodeError::Malformed("trailing bytes"));
    }
    Ok(value)
}

impl Codec for String {
    fn put(&self, w: &mut Writer) {
        w.str(self);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.str().map(str::to_string)
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Writer) {
                w.varint(*self as u64);
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                <$t>::try_from(r.varint()?).map_err(|_| DecodeError::Malformed(stringify!($t)))
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

impl Codec for i64 {
    fn put(&self, w: &mut Writer) {
        w.varint(((*self << 1) ^ (*self >> 63)) as u64);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let z = r.varint()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }
}

impl Codec for f32 {
    fn put(&self, w: &mut Writer) {
        w.varint(self.to_bits() as u64);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        u32::get(r).map(f32::from_bits)
    }
}

impl Codec for f64 {
    fn put(&self, w: &mut Writer) {
        w.varint(self.to_bits());
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.varint().map(f64::from_bits)
    }
}

impl Codec for bool {
    fn put(&self, w: &mut Writer) {
        w.u8(*self as u8);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Malformed("bool")),
        }
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(None),
            1 => T::get(r).map(Some),
            _ => Err(DecodeError::Malformed("option")),
        }
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn put(&self, w: &mut Writer) {
        w.varint(self.len() as u64);
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        // Every element takes at least one byte: a count beyond the file is corrupt.
        let n = r.count(r.remaining())?;
        let mut out = super::bytes::vec_for_count(n);
        for _ in 0..n {
            out.push(T::get(r)?);
        }
        Ok(out)
    }
}

/// Implements [`Codec`] for a struct by its fields, in order.
macro_rules! fields {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Codec for $t {
            fn put(&self, w: &mut Writer) {
                $(self.$f.put(w);)*
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                Ok($t { $($f: Codec::get(r)?,)* })
            }
        }
    };
}

/// Implements [`Codec`] for a field-less enum by discriminant.
macro_rules! unit_enum {
    ($t:ident { $($v:ident),* $(,)? }) => {
        impl Codec for $t {
            fn put(&self, w: &mut Writer) {
                let all = [$($t::$v),*];
                w.u8(all.iter().position(|v| v == self).unwrap_or(0) as u8);
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                let all = [$($t::$v),*];
                all.get(r.u8()? as usize).copied().ok_or(DecodeError::Malformed(stringify!($t)))
            }
        }
    };
}

unit_enum!(Kind { Project, Department, Evaluation });
unit_enum!(Achievement { Achieved, Missed, Unclear });
unit_enum!(Outcome { AllAchieved, SomeMissed, Unclear });
unit_enum!(FundSource { Central, Provincial, Local, SelfRaised, Other, FiscalUnspecified });
unit_enum!(Comparator { Ge, Le, Eq, Lt, Gt });

impl Codec for ParsedValue {
    fn put(&self, w: &mut Writer) {
        match self {
            ParsedValue::Quantity { comparator, number, unit } => {
                w.u8(0);
                comparator.put(w);
                number.put(w);
                unit.put(w);
            }
            ParsedValue::Qualitative { text } => {
                w.u8(1);
                text.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(ParsedValue::Quantity { comparator: Codec::get(r)?, number: Codec::get(r)?, unit: Codec::get(r)? }),
            1 => Ok(ParsedValue::Qualitative { text: Codec::get(r)? }),
            _ => Err(DecodeError::Malformed("parsed value")),
        }
    }
}

fields!(Region { province, city, county, code });
fields!(Money { unit_in_doc, total_yuan, period_total_yuan, central, provincial, local, self_raised, other, fiscal_unspecified });
fields!(FundSourceTag { source, inferred });
fields!(Indicator { level1, level2, name, value, annual_value, parsed, description, basis, weight, actual, score, deviation, achievement });
fields!(Evaluation { initial_budget_yuan, executed_yuan, execution_rate, score, grade, target });
fields!(EvaluationLink { id, reason, confidence });
fields!(Section { label, text });
fields!(SourceRef { document, line, line_start, line_end, raw_text, place, page, publication });
fields!(Publication { publisher, title, year, url, copy, view });
fields!(Warning { document, line, message });
fields!(ConflictValue { value, document, line });
fields!(Conflict { field, values, message });
fields!(Confidence { score, doubts });
/// The app shows a doubt's reason only; what it is about and its weight
/// are in the downloads (JSON, SQLite).
impl Codec for Doubt {
    fn put(&self, w: &mut Writer) {
        self.message.put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(Doubt { message: Codec::get(r)?, ..Doubt::default() })
    }
}
fields!(Correction { field, read, value, note, by });
fields!(Record {
    id,
    alias_ids,
    kind,
    name,
    year,
    region,
    department,
    department_raw,
    department_code,
    implementing_unit,
    project_code,
    money,
    fund_sources,
    indicators,
    sections,
    sources,
    warnings,
    conflicts,
    evaluation,
    evaluations,
    outcome,
    confidence,
    corrections,
    similar,
});
fields!(DocSummary {
    id,
    kind,
    name,
    region,
    department,
    implementing_unit,
    year,
    total_yuan,
    fund_sources,
    project_code,
    fields,
    outcome,
    unsure,
});
fields!(FieldInfo { name, weight, average_length });
fields!(Blocks { size, count });
fields!(Downloads { json, csv, datapackage });
fields!(Manifest {
    format_version,
    build,
    doc_count,
    fields,
    dictionary,
    postings_chunks,
    columns,
    ids,
    docs,
    records,
    synonyms,
    downloads,
    pages_dir,
    place_pages,
});
fields!(Tally { key, label, count, total_yuan });
fields!(Overview { facets, documents, places, place_count, years, results });
fields!(PlaceResults { code, name, year, evaluations, achieved, missed, unclear });
fields!(PlaceName { name, covered });

impl Codec for PlaceNames {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let places: Vec<PlaceName> = Codec::get(r)?;
        if places.windows(2).any(|w| w[0].name > w[1].name) {
            return Err(DecodeError::Malformed("place names out of order"));
        }
        Ok(PlaceNames(places))
    }
}
fields!(Place { code, name, records, documents, years });
fields!(YearTotals { year, projects, total_yuan, without_amount, regions, departments, funds });

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn sample_record() -> Record {
        Record {
            id: "130822-2024-abc".into(),
            alias_ids: vec!["x".into()],
            kind: Kind::Department,
            name: "医疗救助".into(),
            year: Some(2024),
            region: Region { code: Some("130822".into()), county: Some("兴隆县".into()), ..Default::default() },
            money: Money { total_yuan: Some(295_500), local: Some(-1), ..Default::default() },
            fund_sources: vec![FundSourceTag { source: FundSource::FiscalUnspecified, inferred: true }],
            indicators: vec![Indicator {
                name: "人数".into(),
                value: Some("≥6人".into()),
                parsed: Some(ParsedValue::Quantity { comparator: Comparator::Ge, number: 6.5, unit: Some("人".into()) }),
                description: Some("反映人数".into()),
                weight: Some("10".into()),
                ..Default::default()
            }],
            sections: vec![Section { label: "概况".into(), text: "…".into() }],
            sources: vec![SourceRef {
                document: "a.pdf".into(),
                line: 3,
                line_start: 1,
                line_end: 9,
                raw_text: "原文".into(),
                place: Some("第 2 页".into()),
                page: Some(2),
                publication: Some(Publication {
                    publisher: Some("医保局".into()),
                    title: Some("绩效目标表".into()),
                    year: Some(2024),
                    url: None,
                    copy: "sources/a.pdf#page=2".into(),
                    view: None,
                }),
            }],
            warnings: vec![Warning { document: "a.txt".into(), line: 2, message: "提示".into() }],
            conflicts: vec![Conflict {
                field: "total_yuan".into(),
                values: vec![ConflictValue { value: "1".into(), document: "a".into(), line: 1 }],
                message: "不一致".into(),
            }],
            confidence: Confidence { score: 70, doubts: vec![Doubt { message: "未读到年度资金总额".into(), ..Doubt::default() }] },
            corrections: vec![Correction { field: "name".into(), read: Some("甲".into()), value: Some("乙".into()), note: "错字".into(), by: "李明".into() }],
            similar: vec!["130822-2024-1".into()],
            ..Default::default()
        }
    }

    #[test]
    fn records_round_trip() {
        let records = vec![sample_record(), Record::default()];
        let file = encode_data(RECORDS_MAGIC, "b", &records);
        assert_eq!(decode_data::<Vec<Record>>(RECORDS_MAGIC, "b", &file).unwrap(), records);
        assert_eq!(decode_data::<Vec<Record>>(RECORDS_MAGIC, "c", &file), Err(DecodeError::WrongBuild));
    }

    /// The app needs a doubt's reason only: what it is about and its weight
    /// stay in the downloads.
    #[test]
    fn a_doubt_travels_as_its_reason() {
        let mut record = sample_record();
        record.confidence.doubts[0] = Doubt { field: "total_yuan".into(), message: "未读到年度资金总额".into(), weight: 15 };
        let back = decode_data::<Vec<Record>>(RECORDS_MAGIC, "b", &encode_data(RECORDS_MAGIC, "b", &vec![record])).unwrap();
        assert_eq!(back[0].confidence.doubts, [Doubt { message: "未读到年度资金总额".into(), ..Doubt::default() }]);
        assert_eq!(back[0].confidence.score, 70);
    }

    #[test]
    fn corruption_is_an_error_never_a_panic() {
        let file = encode_data(RECORDS_MAGIC, "b", &vec![sample_record()]);
        for i in 0..file.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = file.clone();
                bad[i] ^= flip;
                assert!(decode_data::<Vec<Record>>(RECORDS_MAGIC, "b", &bad).is_err(), "byte {i} ^ {flip:#x}");
            }
        }
        for cut in 0..file.len() {
            assert!(decode_data::<Vec<Record>>(RECORDS_MAGIC, "b", &file[..cut]).is_err());
        }
        assert!(decode_data::<Vec<Record>>(DOCS_MAGIC, "b", &file).is_err(), "wrong kind of file");
    }
}
