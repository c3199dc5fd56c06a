//! The documents without gold annotations must be just as right: their
//! tables are checked against `tests/fixtures/expected/non_gold.json`,
//! expectations reviewed by hand against the documents line by line.

use std::path::Path;

use serde_json::{json, Value};

#[test]
fn documents_without_gold_match_the_reviewed_expectations() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("tests/fixtures/expected/non_gold.json")).unwrap()).unwrap();
    let records = jixiao_indexer::extract_data(&repo.join("data")).unwrap().records;
    let mut failures = Vec::new();
    let tables = expected["tables"].as_array().unwrap();
    assert!(tables.len() >= 28);
    for table in tables {
        let document = table["document"].as_str().unwrap();
        let line = table["line"].as_u64().unwrap() as u32;
        let at = format!("{document}:{line}");
        let Some(r) = records.iter().find(|r| r.sources.iter().any(|s| s.document == document && s.line == line)) else {
            failures.push(format!("{at}: no record"));
            continue;
        };
        let m = &r.money;
        let mut got = json!({
            "document": document, "line": line,
            "kind": r.kind, "name": r.name, "year": r.year, "region_code": r.region.code,
        });
        if r.sources[0].document == document && r.sources[0].line == line {
            let extra = json!({
                "department": r.department, "implementing_unit": r.implementing_unit, "project_code": r.project_code,
                "total_yuan": m.total_yuan, "period_total_yuan": m.period_total_yuan,
                "funds_yuan": { "central": m.central, "provincial": m.provincial, "local": m.local,
                    "self_raised": m.self_raised, "other": m.other, "fiscal_unspecified": m.fiscal_unspecified },
                "fund_sources": r.fund_sources.iter().map(|t| format!("{}{}", t.source.key(), if t.inferred { "?" } else { "" })).collect::<Vec<_>>(),
                "indicators": r.indicators.iter().map(|i| json!([i.level1, i.level2, i.name, i.value, i.annual_value])).collect::<Vec<_>>(),
            });
            got.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        } else {
            got["same_as_primary"] = json!(format!("{}:{}", r.sources[0].document, r.sources[0].line));
        }
        if &got != table {
            failures.push(format!("{at}:\n  expected {table}\n  got      {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
