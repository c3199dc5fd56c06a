//! Each self-evaluation linked to the target table it evaluates, with why:
//! the same project code; or, in the same region and year, the same project
//! by name once years, document numbers and suffixes such as 资金 / 经费
//! are set aside; or names alike enough. The link and its reason are kept
//! on both records (the target lists its evaluations); an evaluation
//! without a target stands alone.

use std::collections::HashMap;
use std::sync::OnceLock;

use jixiao_core::model::{Achievement, EvaluationLink, Kind, Outcome, Record};
use jixiao_core::text::{name_key, similarity};
use regex::Regex;

/// Names at least this alike (Dice over bigrams, normalised) are the same
/// project when nothing better is found.
const ALIKE: f64 = 0.75;

fn year_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(19|20)\d{2}\s*年(度)?").expect("compiles"))
}

fn document_number_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\p{Han}{1,8}[\[〔【(（]\s*(19|20)\d{2}\s*[\]〕】)）]\s*\d+\s*号").expect("compiles"))
}

/// A project's name as the same project is named from year to year.
pub fn normalised_name(name: &str) -> String {
    let name = document_number_pattern().replace_all(name, "");
    let name = year_pattern().replace_all(&name, "");
    let mut key: String = name_key(&name).into_iter().collect();
    loop {
        let before = key.len();
        for suffix in ["项目", "资金", "经费", "专项", "补助", "支出", "费用"] {
            if key.chars().count() > suffix.chars().count() + 2 {
                if let Some(stem) = key.strip_suffix(suffix) {
                    key = stem.to_string();
                }
            }
        }
        if key.len() == before {
            return key;
        }
    }
}

fn code_key(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase()
}

/// Links every evaluation to its target, where one is found.
pub fn link_evaluations(records: &mut [Record]) {
    let targets: Vec<usize> = (0..records.len()).filter(|&i| records[i].kind != Kind::Evaluation).collect();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut by_place: HashMap<(Option<String>, Option<u16>), Vec<usize>> = HashMap::new();
    for &i in &targets {
        if let Some(code) = records[i].project_code.as_deref().map(code_key).filter(|c| c.len() >= 6) {
            by_code.entry(code).or_insert(i);
        }
        by_place.entry((records[i].region.code.clone(), records[i].year)).or_default().push(i);
    }
    let mut links: Vec<(usize, usize, String, u8)> = Vec::new();
    for e in (0..records.len()).filter(|&i| records[i].kind == Kind::Evaluation) {
        let evaluation = &records[e];
        if let Some(code) = evaluation.project_code.as_deref().map(code_key) {
            if let Some(&t) = by_code.get(&code) {
                links.push((e, t, format!("项目编码相同（{}）", evaluation.project_code.as_deref().unwrap_or_default()), 100));
                continue;
            }
        }
        let key = normalised_name(&evaluation.name);
        let candidates = by_place.get(&(evaluation.region.code.clone(), evaluation.year)).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(&t) = candidates.iter().find(|&&t| normalised_name(&records[t].name) == key && !key.is_empty()) {
            links.push((e, t, "同一地区、同一年度，名称相同（不计年份、文号和“资金”“经费”等字样）".into(), 90));
            continue;
        }
        let best = candidates
            .iter()
            .map(|&t| (t, similarity(&normalised_name(&records[t].name), &key)))
            .filter(|&(_, s)| s >= ALIKE)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((t, alike)) = best {
            links.push((e, t, format!("同一地区、同一年度，名称相近（相似度 {:.0}%）", alike * 100.0), (alike * 80.0).round() as u8));
        }
    }
    // An evaluation's outcome is its own indicators'; a target's, its
    // evaluations' together.
    for record in records.iter_mut().filter(|r| r.kind == Kind::Evaluation) {
        record.outcome = Outcome::of(record.indicators.iter().filter_map(|i| i.achievement));
    }
    let mut evaluated: HashMap<usize, Vec<Achievement>> = HashMap::new();
    for (e, t, reason, confidence) in links {
        let target_id = records[t].id.clone();
        let evaluation_id = records[e].id.clone();
        if let Some(evaluation) = records[e].evaluation.as_mut() {
            evaluation.target = Some(EvaluationLink { id: target_id, reason, confidence });
        }
        records[t].evaluations.push(evaluation_id);
        evaluated.entry(t).or_default().extend(records[e].indicators.iter().filter_map(|i| i.achievement));
    }
    for (t, achievements) in evaluated {
        records[t].outcome = Outcome::of(achievements);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_years_numbers_and_suffixes() {
        assert_eq!(normalised_name("冀财社[2023]208号2024年中央财政医疗服务与保障能力提升补助资金"), normalised_name("中央财政医疗服务与保障能力提升补助"));
        assert_eq!(normalised_name("2024 年宣传印刷费"), normalised_name("宣传印刷费"));
        assert_eq!(normalised_name("驻村干部补助经费"), "驻村干部");
        assert_ne!(normalised_name("驻村干部补助经费"), normalised_name("驻村帮扶干部补助经费"));
    }
}
