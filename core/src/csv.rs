//! CSV of records, for the dataset download and the app's result export.
//! RFC 4180 quoting; a UTF-8 byte-order mark so spreadsheet programs open
//! Chinese text correctly.

use crate::format::is_decimal;
use crate::model::Record;

pub const BOM: &str = "\u{FEFF}";

/// One CSV line (with CRLF) from fields, quoting where needed.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = field.as_ref();
        // A leading = + - @ makes spreadsheets evaluate the cell: neutralise
        // it, but for a negative number.
        let f = if f.starts_with(['=', '+', '@']) || f.strip_prefix('-').is_some_and(|n| !is_decimal(n)) {
            format!("'{f}")
        } else {
            f.to_string()
        };
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
    out
}

pub const RECORD_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "year",
    "province",
    "city",
    "county",
    "region_code",
    "department",
    "department_code",
    "implementing_unit",
    "project_code",
    "unit_in_doc",
    "total_yuan",
    "period_total_yuan",
    "central",
    "provincial",
    "local",
    "self_raised",
    "other",
    "fiscal_unspecified",
    "fund_sources",
    "indicator_count",
    "sources",
    "confidence",
    "doubts",
    "corrections",
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

pub fn record_row(r: &Record) -> Vec<String> {
    let m = &r.money;
    vec![
        r.id.clone(),
        match r.kind {
            crate::model::Kind::Project => "project".into(),
            crate::model::Kind::Department => "department".into(),
            crate::model::Kind::Evaluation => "evaluation".into(),
        },
        r.name.clone(),
        opt(&r.year),
        opt(&r.region.province),
        opt(&r.region.city),
        opt(&r.region.county),
        opt(&r.region.code),
        opt(&r.department),
        opt(&r.department_code),
        opt(&r.implementing_unit),
        opt(&r.project_code),
        opt(&m.unit_in_doc),
        opt(&m.total_yuan),
        opt(&m.period_total_yuan),
        opt(&m.central),
        opt(&m.provincial),
        opt(&m.local),
        opt(&m.self_raised),
        opt(&m.other),
        opt(&m.fiscal_unspecified),
        r.fund_sources
            .iter()
            .map(|t| if t.inferred { format!("{}(inferred)", t.source.key()) } else { t.source.key().to_string() })
            .collect::<Vec<_>>()
            .join(";"),
        r.indicators.len().to_string(),
        r.sources
            .iter()
            .map(|s| format!("{}:{}-{}", s.document, s.line_start, s.line_end))
            .collect::<Vec<_>>()
            .join(";"),
        r.confidence.score.to_string(),
        r.confidence.doubts.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("；"),
        r.corrections
            .iter()
            .map(|c| format!("{}：{} → {}（{}，{}）", c.field, c.read.as_deref().unwrap_or("—"), c.value.as_deref().unwrap_or("—"), c.by, c.note))
            .collect::<Vec<_>>()
            .join("；"),
    ]
}

pub fn records_to_csv(records: &[Record]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&line(RECORD_COLUMNS));
    for r in records {
        out.push_str(&line(&record_row(r)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_neutralises() {
        assert_eq!(line(&["a", "b,c", "say \"hi\""]), "a,\"b,c\",\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["=1+1", "-5", "-x"]), "'=1+1,-5,'-x\r\n");
        assert_eq!(line(&["-0.25", "-.5", "-", "-1-1", "-1.2.3"]), "-0.25,-.5,'-,'-1-1,'-1.2.3\r\n");
    }
}
