//! Stage 7: one record per project, however many documents print it, and
//! stable ids.
//!
//! Two tables from *different* documents are the same project when they are
//! of the same region and year and either carry the same project code, or
//! have the same annual total and similar names (OCR and editing change a
//! name slightly: 待遇保障和医药服务工作经费 / 待遇保障和医药服务经费).
//! The first printing (in `data/sources.toml` order) is the primary one; the
//! others become extra sources, and every field they disagree on a conflict.
//!
//! Ids are `<region code>-<year>-<8 hex digits of the name's hash>` of the
//! primary printing, so they do not change when documents are appended, and
//! the ids the other printings would have had are kept as aliases.

use std::collections::{HashMap, HashSet};

use jixiao_core::model::{Conflict, ConflictValue, Kind, Record, Warning};
use jixiao_core::text::{fold_char, name_key, similarity};

/// Name similarity (Dice coefficient over character bigrams) above which
/// two same-amount tables are one project.
const SAME_NAME: f64 = 0.5;

pub fn merge_printings(records: Vec<Record>) -> Vec<Record> {
    let mut merged: Vec<Record> = Vec::new();
    // Twins share kind, region and year: only those are compared.
    let mut by_key: HashMap<(Kind, Option<String>, Option<u16>), Vec<usize>> = HashMap::new();
    for record in records {
        let key = (record.kind, record.region.code.clone(), record.year);
        let candidates = by_key.entry(key).or_default();
        match candidates.iter().copied().find(|&i| same_project(&merged[i], &record)) {
            Some(i) => absorb(&mut merged[i], record),
            None => {
                candidates.push(merged.len());
                merged.push(record);
            }
        }
    }
    merged
}

fn same_project(a: &Record, b: &Record) -> bool {
    let documents_a: HashSet<&str> = a.sources.iter().map(|s| s.document.as_str()).collect();
    if documents_a.contains(b.sources[0].document.as_str()) {
        return false;
    }
    if a.kind != b.kind || a.region.code != b.region.code || a.year != b.year {
        return false;
    }
    if let (Some(x), Some(y)) = (&a.project_code, &b.project_code) {
        return x == y;
    }
    a.money.total_yuan.is_some() && a.money.total_yuan == b.money.total_yuan && similarity(&a.name, &b.name) >= SAME_NAME
}

/// Folds a second printing into the primary record.
fn absorb(primary: &mut Record, other: Record) {
    let here = &primary.sources[0];
    let there = &other.sources[0];
    let mut disagree = |field: &str, label: &str, a: Option<String>, b: Option<String>| {
        if let (Some(a), Some(b)) = (a, b) {
            if !same_text(&a, &b) {
                primary.conflicts.push(Conflict {
                    field: field.to_string(),
                    values: vec![
                        ConflictValue { value: a.clone(), document: here.document.clone(), line: here.line },
                        ConflictValue { value: b.clone(), document: there.document.clone(), line: there.line },
                    ],
                    message: format!("两份文件所印{label}不同：“{a}”与“{b}”"),
                });
            }
        }
    };
    let string = |s: &Option<String>| s.clone();
    let amount = |v: Option<i64>| v.map(|v| v.to_string());
    disagree("name", "项目名称", Some(primary.name.clone()), Some(other.name.clone()));
    disagree("department", "主管部门", string(&primary.department), string(&other.department));
    disagree("department_code", "部门代码", string(&primary.department_code), string(&other.department_code));
    disagree("implementing_unit", "实施单位", string(&primary.implementing_unit), string(&other.implementing_unit));
    disagree("total_yuan", "年度资金总额", amount(primary.money.total_yuan), amount(other.money.total_yuan));
    disagree("period_total_yuan", "实施期资金总额", amount(primary.money.period_total_yuan), amount(other.money.period_total_yuan));
    disagree("central", "中央财政资金", amount(primary.money.central), amount(other.money.central));
    disagree("provincial", "省级财政资金", amount(primary.money.provincial), amount(other.money.provincial));
    disagree("local", "市县（区）财政资金", amount(primary.money.local), amount(other.money.local));
    let their_values: HashMap<String, Option<String>> =
        other.indicators.iter().map(|i| (name_key(&i.name).into_iter().collect(), i.value.clone())).collect();
    for indicator in &primary.indicators {
        let key: String = name_key(&indicator.name).into_iter().collect();
        if let Some(theirs) = their_values.get(&key) {
            disagree(&format!("indicator:{}", indicator.name), &format!("指标“{}”的目标值", indicator.name), indicator.value.clone(), theirs.clone());
        }
    }
    if other.indicators.len() != primary.indicators.len() {
        primary.warnings.push(Warning {
            document: there.document.clone(),
            line: there.line,
            message: format!(
                "两份文件所印指标数不同：{} 第 {} 行 {} 项，{} 第 {} 行 {} 项",
                here.document,
                here.line,
                primary.indicators.len(),
                there.document,
                there.line,
                other.indicators.len()
            ),
        });
    }
    // What only the second printing has fills the gaps.
    let fill = |mine: &mut Option<i64>, theirs: Option<i64>| {
        if mine.is_none() {
            *mine = theirs;
        }
    };
    fill(&mut primary.money.total_yuan, other.money.total_yuan);
    fill(&mut primary.money.period_total_yuan, other.money.period_total_yuan);
    if primary.project_code.is_none() {
        primary.project_code = other.project_code.clone();
    }
    if primary.indicators.is_empty() {
        primary.indicators = other.indicators.clone();
    }
    primary.alias_ids.push(id_for(&other));
    for section in other.sections {
        if !primary.sections.iter().any(|s| s.label == section.label) {
            primary.sections.push(section);
        }
    }
    primary.warnings.extend(other.warnings);
    // Both printings may report the same doubt (an annual target differing
    // from the period target): once is enough.
    for conflict in other.conflicts {
        if !primary.conflicts.iter().any(|c| c.field == conflict.field && c.message == conflict.message) {
            primary.conflicts.push(conflict);
        }
    }
    primary.sources.extend(other.sources);
    // What is read now is checked again; how a printing's rows were found
    // stays a doubt of the record.
    let mut doubts = super::confidence::assess(primary).doubts;
    for d in primary.confidence.doubts.iter().chain(&other.confidence.doubts).filter(|d| d.field == "table") {
        if !doubts.contains(d) {
            doubts.push(d.clone());
        }
    }
    primary.confidence = super::confidence::finish(doubts, primary.warnings.len());
}

/// Printings that differ only in spacing or a final full stop say the same.
fn same_text(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars().map(fold_char).filter(|c| !c.is_whitespace()).collect::<String>().trim_end_matches(['。', '.', ';', '；']).to_string()
    };
    key(a) == key(b)
}

/// The id a record gets from its own (primary) printing.
pub fn id_for(record: &Record) -> String {
    let key: String = record.name.chars().map(fold_char).filter(|c| c.is_alphanumeric()).collect();
    let kind = match record.kind {
        jixiao_core::model::Kind::Project => "p",
        jixiao_core::model::Kind::Department => "d",
        jixiao_core::model::Kind::Evaluation => "e",
    };
    let hash = fnv1a(format!("{kind}|{key}").as_bytes());
    format!(
        "{}-{}-{:08x}",
        record.region.code.as_deref().unwrap_or("000000"),
        record.year.map_or("0000".to_string(), |y| y.to_string()),
        hash as u32
    )
}

/// FNV-1a: a fixed, dependency-free hash, so ids never change with a
/// library upgrade.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

/// Gives every record its id. Two records that would share one (same
/// name, region and year, not merged: printed twice in one document, or
/// with different amounts) are both kept, numbered in document order, and
/// the later one is warned of, naming the first; so is a project code
/// printed on two different tables of one region and year.
pub fn assign_ids(records: &mut [Record]) {
    // base id → (count, document, line, annual total) of its first holder.
    let mut taken: HashMap<String, (usize, String, u32, Option<i64>)> = HashMap::new();
    // (project code, region code, year) → (document, line, id) of its first record.
    type CodeKey = (String, Option<String>, Option<u16>);
    let mut codes: HashMap<CodeKey, (String, u32, String)> = HashMap::new();
    for record in records.iter_mut() {
        let base = id_for(record);
        let source = &record.sources[0];
        let (document, line) = (source.document.clone(), source.line);
        let entry = taken.entry(base.clone()).or_insert_with(|| (0, document.clone(), line, record.money.total_yuan));
        entry.0 += 1;
        let n = entry.0;
        record.id = if n == 1 { base } else { format!("{base}-{n}") };
        if n > 1 {
            let (_, first_document, first_line, first_total) = entry;
            let how = if *first_document == document {
                "同一文件中印了两次".to_string()
            } else if *first_total != record.money.total_yuan {
                "但金额不同".to_string()
            } else {
                "但未能确认是同一项目".to_string()
            };
            record.warnings.push(Warning {
                document: document.clone(),
                line,
                message: format!(
                    "与 {first_document}:{first_line} 的表格同名、同地区、同年度（{how}），两表都保留，本表编号加后缀为 {}",
                    record.id
                ),
            });
        }
        // (A second table of the same name is warned of above already.)
        if let Some(code) = record.project_code.clone().filter(|c| !c.is_empty() && n == 1) {
            let key = (code.clone(), record.region.code.clone(), record.year);
            match codes.get(&key) {
                Some((first_document, first_line, first_id)) if *first_id != record.id => {
                    let message = format!(
                        "项目编码“{code}”与 {first_document}:{first_line} 的表格（{first_id}）相同，但不是同一条记录：两表都保留，请核对"
                    );
                    record.warnings.push(Warning { document, line, message });
                }
                Some(_) => {}
                None => {
                    codes.insert(key, (document, line, record.id.clone()));
                }
            }
        }
        record.alias_ids.retain(|a| *a != record.id);
        record.alias_ids.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names_score_high() {
        assert!(
            similarity(
                "下达2024年中央财政医疗提升补助资金(折财社【2024】7号)",
                "下达2024年中央财政医疗服务与保障能力提升补助资金(忻财社【2024】7号)"
            ) > SAME_NAME
        );
    }

    #[test]
    fn ids_are_stable_and_readable() {
        let record = Record {
            name: "驻村干部补助经费".into(),
            year: Some(2024),
            region: jixiao_core::model::Region { code: Some("140900".into()), ..Default::default() },
            ..Default::default()
        };
        let id = id_for(&record);
        assert!(id.starts_with("140900-2024-"), "{id}");
        assert_eq!(id, id_for(&record.clone()));
    }
}
