//! Totals and counts over every record, computed at build time: the facet
//! counts of the start page (before any query or filter) and the overview
//! charts, without downloading every document's columns.
//!
//! File `overview.<build>.bin` (`JXO2`): the fields of [`Overview`] in
//! order, in the binary form of [`super::codec`].

use crate::model::FundSource;

pub const MAGIC: &[u8; 4] = b"JXO2";

/// Values kept per facet and per chart.
pub const LIMIT: usize = 50;

/// One bar or facet value: key (region code, name, year …), label, count,
/// total annual yuan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub key: String,
    pub label: String,
    pub count: u32,
    pub total_yuan: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Every record (projects and department-wide), per facet value, most
    /// first: provinces, departments, units, fund sources (by key), years.
    pub all_provinces: Vec<Tally>,
    pub all_departments: Vec<Tally>,
    pub all_units: Vec<Tally>,
    pub all_funds: Vec<Tally>,
    pub all_years: Vec<Tally>,
    /// Projects only (department-wide targets would count money twice), for
    /// the charts: by most specific region, department, fund source, year.
    pub projects: u32,
    pub project_total_yuan: i64,
    pub chart_regions: Vec<Tally>,
    pub chart_departments: Vec<Tally>,
    pub chart_funds: Vec<Tally>,
    pub chart_years: Vec<Tally>,
}

impl Overview {
    pub fn fund_key(source: FundSource) -> String {
        source.key().to_string()
    }
}
