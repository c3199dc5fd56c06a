//! Document summaries: what a result card and its snippet need, fetched in
//! blocks only for the results shown (`docs-<block>.<hash>.bin`, see
//! [`super::codec`]).

use serde::{Deserialize, Serialize};

use crate::model::{FundSourceTag, Kind, Outcome, Record, Region};

/// The searchable fields of a record, in field-number order. The indexer
/// indexes exactly these texts and the snippets are cut from them.
pub const FIELDS: [&str; 4] = ["name", "org", "indicators", "body"];
pub const FIELD_NAME: u8 = 0;
pub const FIELD_ORG: u8 = 1;
pub const FIELD_INDICATORS: u8 = 2;
pub const FIELD_BODY: u8 = 3;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub region: Region,
    pub department: Option<String>,
    pub implementing_unit: Option<String>,
    pub year: Option<u16>,
    pub total_yuan: Option<i64>,
    pub fund_sources: Vec<FundSourceTag>,
    pub project_code: Option<String>,
    /// Texts of the searchable fields (see [`FIELDS`]) that snippets are cut
    /// from: indicators and body (shortened); name and org are left empty.
    pub fields: Vec<String>,
    /// What self-evaluations say of the targets (a badge on the card).
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// The reading is to be checked (需核对, a badge on the card).
    #[serde(default)]
    pub unsure: bool,
}

/// The texts of a record's searchable fields.
pub fn search_fields(r: &Record) -> Vec<String> {
    let org = [
        r.department.as_deref(),
        r.department_raw.as_deref(),
        r.implementing_unit.as_deref(),
        r.region.province.as_deref(),
        r.region.city.as_deref(),
        r.region.county.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let indicators = r
        .indicators
        .iter()
        .map(|i| {
            let mut line = [i.level2.as_deref(), Some(i.name.as_str()), i.value.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(a) = &i.annual_value {
                line.push(' ');
                line.push_str(a);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut body: Vec<String> = r.sections.iter().map(|s| format!("{}：{}", s.label, s.text)).collect();
    if let Some(code) = &r.project_code {
        body.push(format!("项目编码：{code}"));
    }
    // What kind of table it is, in the words people search for it with
    // (部门整体, 绩效自评), whether or not its title uses them.
    if r.kind != Kind::Project {
        body.push(format!("类型：{}", r.kind.label_zh()));
    }
    vec![r.name.clone(), org, indicators, body.join("\n")]
}

/// Characters of the body text a summary keeps for snippets; the full text
/// is in the record. Keeps the blocks a query downloads small.
pub const SUMMARY_BODY_CHARS: usize = 200;
/// Characters of the indicator text a summary keeps.
pub const SUMMARY_INDICATOR_CHARS: usize = 280;

impl DocSummary {
    pub fn of(r: &Record) -> DocSummary {
        let mut fields = search_fields(r);
        // The card shows name, department and region itself: only the
        // indicator and body texts serve snippets; an indicator's snippet
        // is its name and target (its category is no words anyone looks for).
        fields[FIELD_NAME as usize].clear();
        fields[FIELD_ORG as usize].clear();
        fields[FIELD_INDICATORS as usize] = r
            .indicators
            .iter()
            .map(|i| [Some(i.name.as_str()), i.value.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n");
        for (field, limit) in [(FIELD_BODY, SUMMARY_BODY_CHARS), (FIELD_INDICATORS, SUMMARY_INDICATOR_CHARS)] {
            if let Some(text) = fields.get_mut(field as usize) {
                if text.chars().count() > limit {
                    *text = text.chars().take(limit).collect();
                }
            }
        }
        DocSummary {
            id: r.id.clone(),
            kind: r.kind,
            name: r.name.clone(),
            region: r.region.clone(),
            department: r.department.clone(),
            implementing_unit: r.implementing_unit.clone(),
            year: r.year,
            total_yuan: r.money.total_yuan,
            fund_sources: r.fund_sources.clone(),
            project_code: r.project_code.clone(),
            fields,
            outcome: r.outcome,
            unsure: r.confidence.unsure(),
        }
    }
}
