//! Regions: the GB/T 2260 gazetteer and resolving a table to its region.
//!
//! Every clue a document gives is weighed: region names in the competent
//! department, the implementing and reporting units, the titles, the project
//! name and the body; the region code that starts a project code
//! (`13082224P…` → 130822); document-number prefixes (冀财社 → 河北省,
//! 湘医保发 → 湖南省, 榆政发 → 榆林市); and the region declared in
//! `data/sources.toml`. Same-named counties (朝阳区 in Beijing and in
//! Changchun) are told apart by the province and city clues.

use std::collections::HashMap;
use std::sync::OnceLock;

use jixiao_core::model::Region;
use regex::Regex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Province,
    City,
    County,
}

#[derive(Clone, Debug)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent: Option<usize>,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    /// Every place name, for finding mentions in linear time.
    names: aho_corasick::AhoCorasick,
    /// Places of each name, in the order of `names`' patterns.
    named: Vec<Vec<usize>>,
    /// Cities by the first character of their name (document-number prefixes).
    city_initials: HashMap<char, Vec<usize>>,
    by_code: HashMap<String, usize>,
    /// One-character province abbreviations used in document numbers.
    province_abbreviations: HashMap<char, usize>,
}

/// 简称 of each province (GB/T 2260 two-digit prefix → abbreviations).
const PROVINCE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("11", "京"),
    ("12", "津"),
    ("13", "冀"),
    ("14", "晋"),
    ("15", "蒙"),
    ("21", "辽"),
    ("22", "吉"),
    ("23", "黑"),
    ("31", "沪"),
    ("32", "苏"),
    ("33", "浙"),
    ("34", "皖"),
    ("35", "闽"),
    ("36", "赣"),
    ("37", "鲁"),
    ("41", "豫"),
    ("42", "鄂"),
    ("43", "湘"),
    ("44", "粤"),
    ("45", "桂"),
    ("46", "琼"),
    ("50", "渝"),
    ("51", "川蜀"),
    ("52", "黔贵"),
    ("53", "滇云"),
    ("54", "藏"),
    ("61", "陕秦"),
    ("62", "甘陇"),
    ("63", "青"),
    ("64", "宁"),
    ("65", "新"),
];

/// The GB/T 2260 table the reader places records with (and the build
/// lists place names from), as compiled in.
pub const GAZETTEER_TSV: &str = include_str!("../../data/gazetteer.tsv");

pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::parse(GAZETTEER_TSV))
}

impl Gazetteer {
    fn parse(tsv: &str) -> Gazetteer {
        let mut places = Vec::new();
        let mut by_code = HashMap::new();
        let mut parents = Vec::new();
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.split('\t');
            let (Some(code), Some(name)) = (cols.next(), cols.next()) else { continue };
            let parent = cols.next().unwrap_or("").to_string();
            let level = if code.ends_with("0000") {
                Level::Province
            } else if code.ends_with("00") {
                Level::City
            } else {
                Level::County
            };
            // A code listed twice (a city as its own county) keeps its first row.
            if by_code.contains_key(code) || parent == code {
                continue;
            }
            by_code.insert(code.to_string(), places.len());
            places.push(Place { code: code.to_string(), name: name.to_string(), level, parent: None });
            parents.push(parent);
        }
        for (place, parent) in places.iter_mut().zip(&parents) {
            place.parent = by_code.get(parent).copied();
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut city_initials: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, place) in places.iter().enumerate() {
            // 市辖区 / 县 rows of the municipalities are not names anyone
            // prints; a county named as its city (嘉峪关市 under 嘉峪关市) is
            // the city wherever the name is printed.
            let same_as_parent = place.parent.is_some_and(|p| places[p].name == place.name);
            if place.name.chars().count() >= 2 && place.name != "市辖区" && !same_as_parent {
                by_name.entry(place.name.clone()).or_default().push(i);
            }
            if place.level == Level::City {
                if let Some(c) = place.name.chars().next() {
                    city_initials.entry(c).or_default().push(i);
                }
            }
        }
        // Autonomous units are printed short: 彭水苗族土家族自治县 as
        // 彭水自治县 or 彭水县, where no other place has that name.
        let mut short_forms: Vec<(String, usize)> = Vec::new();
        for (i, place) in places.iter().enumerate() {
            for suffix in ["自治县", "自治州", "自治旗"] {
                if let Some(stem) = place.name.strip_suffix(suffix) {
                    let head: String = stem.chars().take(2).collect();
                    if stem.chars().count() > 2 {
                        short_forms.push((format!("{head}{suffix}"), i));
                        short_forms.push((format!("{head}{}", suffix.chars().last().unwrap_or('县')), i));
                    }
                }
            }
        }
        for (short, i) in short_forms {
            by_name.entry(short).or_insert_with(|| vec![i]);
        }
        let mut entries: Vec<(String, Vec<usize>)> = by_name.into_iter().collect();
        entries.sort();
        let names = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(entries.iter().map(|(n, _)| n))
            .expect("gazetteer names build an automaton");
        let named = entries.into_iter().map(|(_, places)| places).collect();
        let mut province_abbreviations = HashMap::new();
        for (prefix, abbreviations) in PROVINCE_ABBREVIATIONS {
            if let Some(&i) = by_code.get(&format!("{prefix}0000")) {
                for c in abbreviations.chars() {
                    province_abbreviations.insert(c, i);
                }
            }
        }
        Gazetteer { places, names, named, city_initials, by_code, province_abbreviations }
    }

    pub fn by_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The chain province → city → county of a place.
    pub fn region(&self, index: usize) -> Region {
        let mut region = Region { code: Some(self.places[index].code.clone()), ..Default::default() };
        for i in self.ancestors(index) {
            let place = &self.places[i];
            let name = Some(place.name.clone());
            match place.level {
                Level::Province => region.province = name,
                Level::City => region.city = name,
                Level::County => region.county = name,
            }
        }
        // Municipalities: the city row is 市辖区 / 县; the city is the province.
        if matches!(region.city.as_deref(), Some("市辖区" | "县")) {
            region.city = region.province.clone();
        }
        region
    }

    /// A place and the places containing it (at most three levels).
    fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(index), move |&i| self.places[i].parent).take(3)
    }

    /// Every place whose full name occurs in `text`, with how often.
    fn mentions(&self, text: &str) -> Vec<(usize, usize)> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for m in self.names.find_iter(text) {
            for &p in &self.named[m.pattern().as_usize()] {
                *counts.entry(p).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }
}

/// The byte length of a place name the text starts with (`彭水自治县…`).
pub fn leading_place(text: &str) -> Option<usize> {
    let g = gazetteer();
    g.names.find(text).filter(|m| m.start() == 0).map(|m| m.end())
}

fn document_number_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // 冀财社[2023]208号, 湘医保发〔2022〕41号, 晋财社【2020】122号, 神巩衔发【2021】6号
    RE.get_or_init(|| Regex::new(r"(\p{Han})\p{Han}{0,5}[\[〔【(（]\s*(19|20)\d{2}\s*[\]〕】)）]\s*\d+\s*号").expect("compiles"))
}

fn project_code_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{6})\d{2}[A-Za-z]").expect("compiles"))
}

/// Where a clue was found, which sets its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClueSource {
    /// The competent department (主管部门 / 部门名称).
    Department,
    /// Implementing or reporting unit, table titles.
    Unit,
    /// The project name.
    Name,
    /// Any other text of the table.
    Body,
    /// What the document prints before its tables (title, publisher).
    Document,
    /// `data/sources.toml`.
    Declared,
}

impl ClueSource {
    fn weight(self) -> f64 {
        match self {
            ClueSource::Department => 20.0,
            ClueSource::Unit => 8.0,
            ClueSource::Declared => 6.0,
            ClueSource::Name => 3.0,
            ClueSource::Body => 0.5,
            ClueSource::Document => 2.0,
        }
    }
}

#[derive(Debug, Default)]
pub struct Clues {
    texts: Vec<(ClueSource, String)>,
    project_codes: Vec<String>,
}

impl Clues {
    pub fn add(&mut self, source: ClueSource, text: &str) {
        if !text.trim().is_empty() {
            self.texts.push((source, text.to_string()));
        }
    }

    pub fn add_project_code(&mut self, code: &str) {
        self.project_codes.push(code.to_string());
    }
}

/// How a region was decided, for the record's warnings.
#[derive(Debug)]
pub struct Resolution {
    pub place: usize,
    pub region: Region,
    /// The declared region, when the document says otherwise.
    pub disagrees_with_declared: Option<String>,
}

pub fn resolve(clues: &Clues) -> Option<Resolution> {
    let g = gazetteer();
    let mut direct: HashMap<usize, f64> = HashMap::new();
    let mut declared: Vec<usize> = Vec::new();
    for (source, text) in &clues.texts {
        for (place, count) in g.mentions(text) {
            let w = source.weight();
            // Repeated body mentions count, but with diminishing weight.
            *direct.entry(place).or_default() += w * (1.0 + (count as f64).ln());
            if *source == ClueSource::Declared {
                declared.push(place);
            }
        }
        for caps in document_number_pattern().captures_iter(text) {
            let abbreviation = caps[1].chars().next().unwrap_or(' ');
            if let Some(&province) = g.province_abbreviations.get(&abbreviation) {
                *direct.entry(province).or_default() += 2.0;
            } else {
                // A city's first character (榆 → 榆林市, 忻 → 忻州市).
                for &i in g.city_initials.get(&abbreviation).into_iter().flatten() {
                    *direct.entry(i).or_default() += 0.5;
                }
            }
        }
    }
    for code in &clues.project_codes {
        if let Some(caps) = project_code_pattern().captures(code.trim()) {
            if let Some(place) = g.by_code(&caps[1]) {
                *direct.entry(place).or_default() += 100.0;
            }
        }
    }
    if direct.is_empty() {
        return None;
    }
    // A place is supported by its own mentions and, at a fraction, by those
    // of the places containing it; the most specific well-supported place wins.
    let score = |place: usize| -> f64 {
        g.ancestors(place)
            .enumerate()
            .map(|(depth, p)| direct.get(&p).copied().unwrap_or(0.0) * if depth == 0 { 1.0 } else { 0.6 })
            .sum()
    };
    let best = direct
        .keys()
        .copied()
        .filter(|&p| direct[&p] >= 1.0)
        .max_by(|&a, &b| {
            score(a)
                .partial_cmp(&score(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(g.places[a].level.cmp(&g.places[b].level))
                .then(g.places[b].code.cmp(&g.places[a].code))
        })?;
    let disagrees_with_declared = (!declared.is_empty()
        && !declared.iter().any(|&d| g.ancestors(best).any(|a| a == d) || g.ancestors(d).any(|a| a == best)))
    .then(|| declared.iter().map(|&d| g.places[d].name.clone()).collect::<Vec<_>>().join("、"));
    Some(Resolution { place: best, region: g.region(best), disagrees_with_declared })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_texts(texts: &[(ClueSource, &str)]) -> Region {
        let mut clues = Clues::default();
        for (s, t) in texts {
            clues.add(*s, t);
        }
        resolve(&clues).expect("resolves").region
    }

    #[test]
    fn gazetteer_covers_the_country() {
        let g = gazetteer();
        assert!(g.len() > 3000, "{} places", g.len());
        let xinglong = g.region(g.by_code("130822").unwrap());
        assert_eq!(xinglong.full_name(), "河北省 承德市 兴隆县");
    }

    #[test]
    fn cities_without_counties_resolve() {
        let r = resolve_texts(&[(ClueSource::Department, "东莞市医疗保障局")]);
        assert_eq!((r.province.as_deref(), r.city.as_deref(), r.county.as_deref()), (Some("广东省"), Some("东莞市"), None));
    }

    #[test]
    fn department_names_decide() {
        let r = resolve_texts(&[(ClueSource::Department, "303-忻州市医疗保障局"), (ClueSource::Body, "省以上驻忻府区机关")]);
        assert_eq!(r.code.as_deref(), Some("140900"));
        assert_eq!(r.county, None);
        let r = resolve_texts(&[(ClueSource::Department, "神木市医疗保障局")]);
        assert_eq!((r.province.as_deref(), r.city.as_deref(), r.code.as_deref()), (Some("陕西省"), Some("榆林市"), Some("610881")));
    }

    #[test]
    fn project_codes_and_document_numbers_count() {
        let mut clues = Clues::default();
        clues.add_project_code("13082224P00079910001M");
        assert_eq!(resolve(&clues).unwrap().region.code.as_deref(), Some("130822"));
        // 朝阳区 exists in Beijing and in Changchun; 吉 (Jilin) decides.
        let r = resolve_texts(&[(ClueSource::Department, "朝阳区医疗保障局"), (ClueSource::Body, "吉财社〔2024〕3号")]);
        assert_eq!(r.province.as_deref(), Some("吉林省"));
    }
}
