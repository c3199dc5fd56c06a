//! Department names: code prefixes split off, abbreviations expanded.
//!
//! `303-忻州市医疗保障局` → (`303`, `忻州市医疗保障局`);
//! `906-市医保局` in 忻州市 → `忻州市医疗保障局`;
//! `362001 兴隆县医疗保障局本级` → (`362001`, `兴隆县医疗保障局`);
//! `[066]宣州区医疗保障局` → (`066`, `宣州区医疗保障局`).

use std::sync::OnceLock;

use jixiao_core::model::Region;
use regex::Regex;

/// Abbreviations of department names, longest first.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("医保局", "医疗保障局"),
    ("人社局", "人力资源和社会保障局"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("退役军人局", "退役军人事务局"),
    ("发改委", "发展和改革委员会"),
    ("医保中心", "医疗保障服务中心"),
];

fn code_prefix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `303-`, `303 `, and in brackets `[066]`, `【066】`, `(066)`.
    RE.get_or_init(|| Regex::new(r"^\s*(?:[\[【(（]\s*(\d{2,})\s*[\]】)）]|(\d{2,})\s*[-－—_.、:：]?)\s*").expect("compiles"))
}

/// A template's placeholder for whichever place fills it in
/// (`县(市、区)教育部门`, `市(州)财政局`): no department of its own.
pub fn is_placeholder(text: &str) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
        '（' => '(',
        '）' => ')',
        _ => c,
    }).collect();
    ["县(市、区)", "县(市,区)", "市(州)", "市(县、区)", "县(区)", "市、县(区)", "XX", "××"].iter().any(|p| text.starts_with(p))
}

#[derive(Debug, PartialEq, Eq)]
pub struct Department {
    pub code: Option<String>,
    /// The unit as printed, without its code (`兴隆县医疗保障局本级`).
    pub unit: String,
    /// Canonical full name of the department.
    pub canonical: String,
}

pub fn canonicalise(raw: &str, region: &Region) -> Department {
    let raw = raw.trim();
    let (code, unit) = match code_prefix().captures(raw) {
        Some(caps) if caps.get(0).is_some_and(|m| m.end() < raw.len()) => {
            let code = caps.get(1).or(caps.get(2)).map(|m| m.as_str().to_string());
            (code, raw[caps.get(0).map_or(0, |m| m.end())..].trim().to_string())
        }
        _ => (None, raw.to_string()),
    };
    let mut name = unit.trim_end_matches("本级").to_string();
    for (short, long) in ABBREVIATIONS {
        if name.ends_with(short) && !name.ends_with(long) {
            name = format!("{}{}", &name[..name.len() - short.len()], long);
            break;
        }
    }
    // `市医疗保障局` / `县医疗保障局`: the level word stands for the region's name.
    let level_prefix = |prefix: &str| name.starts_with(prefix) && !name[prefix.len()..].starts_with(prefix);
    if level_prefix("市") {
        // In a county-level city (神木市) 市 means that city, not the prefecture.
        if let Some(city) = region.county.as_deref().filter(|c| c.ends_with('市')).or(region.city.as_deref()) {
            name = format!("{city}{}", &name["市".len()..]);
        }
    } else if level_prefix("县") || level_prefix("区") {
        if let Some(county) = region.county.as_deref() {
            name = format!("{county}{}", &name["县".len()..]);
        }
    }
    Department { code, unit, canonical: name }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(city: &str, county: Option<&str>) -> Region {
        Region { city: Some(city.into()), county: county.map(Into::into), ..Default::default() }
    }

    #[test]
    fn splits_codes_and_expands_abbreviations() {
        let xinzhou = region("忻州市", None);
        let d = canonicalise("303-忻州市医疗保障局", &xinzhou);
        assert_eq!((d.code.as_deref(), d.canonical.as_str()), (Some("303"), "忻州市医疗保障局"));
        let d = canonicalise("906-市医保局", &xinzhou);
        assert_eq!((d.code.as_deref(), d.canonical.as_str()), (Some("906"), "忻州市医疗保障局"));
        let d = canonicalise("303 忻州市医疗保障局", &xinzhou);
        assert_eq!(d.code.as_deref(), Some("303"));
        let d = canonicalise("362001 兴隆县医疗保障局本级", &region("承德市", Some("兴隆县")));
        assert_eq!((d.unit.as_str(), d.canonical.as_str()), ("兴隆县医疗保障局本级", "兴隆县医疗保障局"));
        let d = canonicalise("[066]宣城市宣州区医疗保障局", &region("宣城市", Some("宣州区")));
        assert_eq!((d.code.as_deref(), d.canonical.as_str()), (Some("066"), "宣城市宣州区医疗保障局"));
        let d = canonicalise("【155】濉溪县民政局", &region("淮北市", Some("濉溪县")));
        assert_eq!(d.code.as_deref(), Some("155"));
        let d = canonicalise("县人社局", &region("承德市", Some("兴隆县")));
        assert_eq!(d.canonical, "兴隆县人力资源和社会保障局");
    }

    #[test]
    fn a_templates_placeholder_is_no_department() {
        assert!(is_placeholder("县(市、区)教育部门"));
        assert!(is_placeholder("市（州）财政局"));
        assert!(!is_placeholder("县医疗保障局"));
    }

    #[test]
    fn leaves_full_names_alone() {
        let d = canonicalise("神木市医疗保障局", &region("榆林市", Some("神木市")));
        assert_eq!((d.code, d.canonical.as_str()), (None, "神木市医疗保障局"));
    }
}
