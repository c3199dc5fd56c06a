//! The facets the site filters by, as one table: each facet's key in the
//! URL, its heading, how a filter's choice is read and written, what a
//! record's values are and in which order they are listed. The URL state,
//! the filter panel, the engine's counts and the build's start-page tallies
//! all loop over [`Facet::ALL`], so a facet is spelled out once: a new one is
//! a row here, its field in [`Filters`] and its column in `index::columns`.

use std::cmp::Ordering;

use crate::model::{FundSource, Outcome, Record};

use super::engine::Filters;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    Region,
    Department,
    Unit,
    Fund,
    Year,
    /// What a record's self-evaluation found (only records that have one).
    Outcome,
}

/// One value of a facet: its key (as in the URL), how it reads, and how many
/// records have it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetValue {
    pub key: String,
    pub label: String,
    pub count: usize,
}

impl Facet {
    /// In the order the filter panel shows them.
    pub const ALL: [Facet; 6] = [Facet::Region, Facet::Department, Facet::Unit, Facet::Fund, Facet::Year, Facet::Outcome];

    /// Its key in the URL (`?dept=…`), also the panel's id for it.
    pub const fn url_key(self) -> &'static str {
        match self {
            Facet::Region => "region",
            Facet::Department => "dept",
            Facet::Unit => "unit",
            Facet::Fund => "fund",
            Facet::Year => "year",
            Facet::Outcome => "outcome",
        }
    }

    /// Its heading in the filter panel.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Facet::Region => "地区",
            Facet::Department => "主管部门",
            Facet::Unit => "实施单位",
            Facet::Fund => "资金来源",
            Facet::Year => "年度",
            Facet::Outcome => "目标完成情况（自评）",
        }
    }

    /// The value chosen in `filters`, as its key.
    pub fn chosen(self, filters: &Filters) -> Option<String> {
        match self {
            Facet::Region => filters.region.clone(),
            Facet::Department => filters.department.clone(),
            Facet::Unit => filters.unit.clone(),
            Facet::Fund => filters.fund.map(|s| s.key().to_string()),
            Facet::Year => filters.year.map(|y| y.to_string()),
            Facet::Outcome => filters.outcome.map(|o| o.key().to_string()),
        }
    }

    /// Chooses the value of `key`, or clears the facet (`None`). A key that
    /// is no value of the facet clears it too: a mistyped link shows more,
    /// never nothing.
    pub fn choose(self, filters: &mut Filters, key: Option<&str>) {
        let key = key.filter(|k| !k.is_empty());
        match self {
            Facet::Region => filters.region = key.filter(|k| is_region_code(k)).map(String::from),
            Facet::Department => filters.department = key.map(String::from),
            Facet::Unit => filters.unit = key.map(String::from),
            Facet::Fund => filters.fund = key.and_then(FundSource::from_key),
            Facet::Year => filters.year = key.and_then(|k| k.parse().ok()),
            Facet::Outcome => {
                filters.outcome = key.and_then(Outcome::from_key);
                // Only records with a self-evaluation have an outcome.
                filters.evaluated |= filters.outcome.is_some();
            }
        }
    }

    /// How the value of `key` reads. A region's name comes with the counts
    /// (its key is a code); names of departments and units are their keys.
    pub fn label_of(self, key: &str) -> String {
        match self {
            Facet::Fund => FundSource::from_key(key).map(|s| s.label_zh().to_string()).unwrap_or_else(|| key.to_string()),
            Facet::Year => format!("{key} 年度"),
            Facet::Outcome => Outcome::from_key(key).map(|o| o.label_zh().to_string()).unwrap_or_else(|| key.to_string()),
            Facet::Region | Facet::Department | Facet::Unit => key.to_string(),
        }
    }

    /// A record's values of this facet, as (key, label). Its region is its
    /// province: where no query narrows the records, the panel starts there.
    pub fn of_record(self, r: &Record) -> Vec<(String, String)> {
        let named = |name: &Option<String>| name.iter().map(|n| (n.clone(), n.clone())).collect();
        match self {
            Facet::Region => match (&r.region.code, &r.region.province) {
                (Some(code), Some(name)) if code.len() == 6 => vec![(format!("{}0000", &code[..2]), name.clone())],
                _ => Vec::new(),
            },
            Facet::Department => named(&r.department),
            Facet::Unit => named(&r.implementing_unit),
            Facet::Fund => r.fund_sources.iter().map(|t| (t.source.key().to_string(), t.source.label_zh().to_string())).collect(),
            Facet::Year => r.year.map(|y| (y.to_string(), self.label_of(&y.to_string()))).into_iter().collect(),
            Facet::Outcome => r.outcome.map(|o| (o.key().to_string(), o.label_zh().to_string())).into_iter().collect(),
        }
    }

    /// Are values listed by count, most first (places and names)?
    pub const fn by_count(self) -> bool {
        matches!(self, Facet::Region | Facet::Department | Facet::Unit)
    }

    /// The order values are listed in: places and names by count, most
    /// first; fund sources and outcomes in their fixed order; years newest
    /// first.
    pub fn compare(self, a: (&str, usize), b: (&str, usize)) -> Ordering {
        if self.by_count() {
            return b.1.cmp(&a.1).then(a.0.cmp(b.0));
        }
        match self {
            Facet::Fund => {
                let at = |key| FundSource::ALL.iter().position(|s| s.key() == key);
                at(a.0).cmp(&at(b.0))
            }
            Facet::Outcome => {
                let at = |key| Outcome::ALL.iter().position(|o| o.key() == key);
                at(a.0).cmp(&at(b.0))
            }
            // Years.
            _ => b.0.cmp(a.0),
        }
    }

    /// Values kept when listed; every region is kept (the panel walks the
    /// hierarchy level by level).
    pub const fn limit(self) -> usize {
        match self {
            Facet::Region => usize::MAX,
            _ => super::engine::FACET_LIMIT,
        }
    }
}

/// A GB/T 2260 code: six digits.
pub fn is_region_code(v: &str) -> bool {
    v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_round_trips_through_its_key() {
        let mut filters = Filters::default();
        for (facet, key) in [
            (Facet::Region, "130822"),
            (Facet::Department, "兴隆县医疗保障局"),
            (Facet::Unit, "兴隆县医疗保险服务中心"),
            (Facet::Fund, "central"),
            (Facet::Year, "2024"),
            (Facet::Outcome, "some_missed"),
        ] {
            facet.choose(&mut filters, Some(key));
            assert_eq!(facet.chosen(&filters).as_deref(), Some(key), "{facet:?}");
        }
        assert!(filters.evaluated, "an outcome is only known of evaluated records");
        for facet in Facet::ALL {
            facet.choose(&mut filters, None);
            assert_eq!(facet.chosen(&filters), None, "{facet:?}");
        }
    }

    #[test]
    fn a_key_that_is_no_value_clears_the_facet() {
        let mut filters = Filters::default();
        for (facet, key) in [(Facet::Region, "abc"), (Facet::Fund, "nope"), (Facet::Year, "x"), (Facet::Outcome, "perfect"), (Facet::Department, "")] {
            facet.choose(&mut filters, Some(key));
        }
        assert_eq!(filters, Filters::default());
    }

    #[test]
    fn values_are_listed_in_each_facets_order() {
        let sorted = |facet: Facet, mut values: Vec<(&'static str, usize)>| {
            values.sort_by(|a, b| facet.compare(*a, *b));
            values.into_iter().map(|(k, _)| k).collect::<Vec<_>>()
        };
        assert_eq!(sorted(Facet::Department, vec![("乙", 1), ("甲", 3), ("丙", 3)]), ["丙", "甲", "乙"]);
        assert_eq!(sorted(Facet::Year, vec![("2022", 9), ("2024", 1), ("2023", 5)]), ["2024", "2023", "2022"]);
        let funds: Vec<&str> = FundSource::ALL.iter().rev().map(|s| s.key()).collect();
        let expected: Vec<&str> = FundSource::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(sorted(Facet::Fund, funds.into_iter().map(|k| (k, 1)).collect()), expected);
        assert_eq!(Facet::Year.label_of("2024"), "2024 年度");
        assert_eq!(Facet::Fund.label_of("central"), FundSource::Central.label_zh());
    }
}
