//! Every screen's state lives in the URL query string, so any state can be
//! linked to, works on any static server (no rewrite rules) and from a
//! subdirectory, and back/forward just work.
//!
//! `?q=<text>&region=<code>&dept=<name>&unit=<name>&fund=<key>&year=<yyyy>&min=<yuan>&max=<yuan>&eval=1&outcome=<key>&sort=<key>&n=<shown>`
//! for search (`?region=<code>` alone: the page of a place),
//! `?project=<id>[&q=<text>]` for a project page (the query it was found
//! by, highlighted and kept in the breadcrumb), `?compare=<id>,<id>…` for
//! comparison, `?view=overview[&year=<yyyy>]` for the overview,
//! `?view=indicators&q=…&<filters>&cat=<category>&measure=<unit>&order=<asc|desc>`
//! for the list of matching indicators.

use jixiao_core::search::{Facet, Filters, Sort};

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Screen {
    #[default]
    Search,
    Project(String),
    Compare(Vec<String>),
    Overview,
    Indicators,
}

/// The indicator list's own choices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorView {
    /// A category (一级 or 二级) to keep.
    pub category: Option<String>,
    /// A unit (as compared: 元 for 万元 too) to keep.
    pub unit: Option<String>,
    /// Sort by number: `Some(true)` ascending, `Some(false)` descending.
    pub ascending: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    pub screen: Screen,
    pub q: String,
    pub filters: Filters,
    pub sort: Sort,
    /// Results shown (显示更多 adds a page); 0 for the first page.
    pub shown: usize,
    pub indicators: IndicatorView,
}

/// Most projects a comparison holds.
pub const MAX_COMPARE: usize = 4;

impl UrlState {
    /// Reads a query string (with or without the leading `?`).
    pub fn parse(search: &str) -> UrlState {
        let mut state = UrlState::default();
        for (key, value) in pairs(search) {
            if let Some(facet) = Facet::ALL.into_iter().find(|f| f.url_key() == key) {
                facet.choose(&mut state.filters, Some(&value));
                continue;
            }
            match key.as_str() {
                "q" => state.q = value,
                "min" => state.filters.min_yuan = value.parse().ok(),
                "max" => state.filters.max_yuan = value.parse().ok(),
                "eval" => state.filters.evaluated |= value == "1",
                "sort" => state.sort = Sort::from_key(&value).unwrap_or_default(),
                "project" if !value.is_empty() => state.screen = Screen::Project(value),
                "compare" => {
                    let ids: Vec<String> =
                        value.split(',').map(str::trim).filter(|s| !s.is_empty()).take(MAX_COMPARE).map(String::from).collect();
                    state.screen = Screen::Compare(ids);
                }
                "view" if value == "overview" => state.screen = Screen::Overview,
                "view" if value == "indicators" => state.screen = Screen::Indicators,
                "n" => state.shown = value.parse().unwrap_or(0),
                "cat" if !value.is_empty() => state.indicators.category = Some(value),
                "measure" => state.indicators.unit = Some(value),
                "order" => state.indicators.ascending = match value.as_str() {
                    "asc" => Some(true),
                    "desc" => Some(false),
                    _ => None,
                },
                _ => {}
            }
        }
        state
    }

    /// The query string for this state (`?…`, or empty for the start page).
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        let q = || (!self.q.is_empty()).then(|| ("q", self.q.clone()));
        match &self.screen {
            Screen::Project(id) => parts.extend([Some(("project", id.clone())), q()].into_iter().flatten()),
            Screen::Compare(ids) => parts.push(("compare", ids.join(","))),
            Screen::Overview => {
                parts.push(("view", "overview".into()));
                parts.extend(self.filters.year.map(|y| ("year", y.to_string())));
            }
            Screen::Search | Screen::Indicators => {
                if self.screen == Screen::Indicators {
                    parts.push(("view", "indicators".into()));
                }
                parts.extend(q());
                let f = &self.filters;
                parts.extend(Facet::ALL.into_iter().filter_map(|facet| facet.chosen(f).map(|v| (facet.url_key(), v))));
                parts.extend(f.min_yuan.map(|v| ("min", v.to_string())));
                parts.extend(f.max_yuan.map(|v| ("max", v.to_string())));
                // An outcome implies 有自评.
                if f.evaluated && f.outcome.is_none() {
                    parts.push(("eval", "1".into()));
                }
                if self.sort != Sort::Relevance {
                    parts.push(("sort", self.sort.key().into()));
                }
                if self.shown > 0 {
                    parts.push(("n", self.shown.to_string()));
                }
                let v = &self.indicators;
                parts.extend(v.category.clone().map(|c| ("cat", c)));
                parts.extend(v.unit.clone().map(|u| ("measure", u)));
                parts.extend(v.ascending.map(|a| ("order", if a { "asc" } else { "desc" }.to_string())));
            }
        }
        if parts.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = parts.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        format!("?{}", encoded.join("&"))
    }
}

fn pairs(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` and `+`; malformed escapes are kept literally.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::model::{FundSource, Outcome};

    #[test]
    fn search_state_round_trips() {
        let state = UrlState {
            q: "驻村 经费".into(),
            filters: Filters {
                region: Some("140900".into()),
                department: Some("忻州市医疗保障局".into()),
                fund: Some(FundSource::Central),
                year: Some(2024),
                ..Default::default()
            },
            sort: Sort::Amount,
            ..Default::default()
        };
        let query = state.to_query();
        assert!(query.starts_with("?q=%E9%A9%BB"));
        assert_eq!(UrlState::parse(&query), state);
    }

    #[test]
    fn project_and_compare_links() {
        assert_eq!(UrlState::parse("?project=140900-2024-82ce9bde").screen, Screen::Project("140900-2024-82ce9bde".into()));
        let state = UrlState::parse("?compare=a,b,,c,d,e");
        assert_eq!(state.screen, Screen::Compare(vec!["a".into(), "b".into(), "c".into(), "d".into()]));
        assert_eq!(UrlState::parse(&state.to_query()), state);
    }

    #[test]
    fn every_screen_round_trips() {
        for query in [
            "?project=a&q=%E9%A9%BB%E6%9D%91",
            "?view=overview&year=2023",
            "?view=indicators&q=%E6%BB%A1%E6%84%8F%E5%BA%A6&region=130822&cat=%E6%95%B0%E9%87%8F%E6%8C%87%E6%A0%87&measure=%25&order=desc",
            "?q=%E5%8C%BB%E7%96%97&n=20",
            "?q=%E5%8C%BB%E7%96%97&eval=1",
            "?region=130822&outcome=some_missed",
        ] {
            assert_eq!(UrlState::parse(query).to_query(), query);
        }
    }

    #[test]
    fn garbage_is_ignored() {
        let state = UrlState::parse("?region=abc&fund=nope&year=x&sort=zzz&q=%E4%B&&=");
        assert_eq!(state.filters, Filters::default());
        assert_eq!(state.sort, Sort::Relevance);
        assert!(state.q.ends_with("%B"), "{}", state.q);
        assert_eq!(UrlState::parse("?eval=yes&outcome=perfect").filters, Filters::default());
    }

    #[test]
    fn an_outcome_implies_evaluated() {
        let f = UrlState::parse("?outcome=all_achieved").filters;
        assert!(f.evaluated);
        assert_eq!(f.outcome, Some(Outcome::AllAchieved));
    }
}
