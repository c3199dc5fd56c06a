//! Totals and counts over every record, computed at build time: the facet
//! counts of the start page (before any query or filter) and the overview
//! charts, without downloading every document's columns.
//!
//! File `overview.<build>.bin` (`JXO5`): the fields of [`Overview`] in
//! order, in the binary form of [`super::codec`].

pub const MAGIC: &[u8; 4] = b"JXO5";
/// File `place-<code>.<build>.bin`: the [`YearTotals`] of one place.
pub const PLACE_MAGIC: &[u8; 4] = b"JXL1";

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
    /// Every record (projects and department-wide) per facet value, one
    /// list per facet in [`crate::search::Facet::ALL`] order (regions as
    /// provinces), each in the facet's order: the start page's filters.
    pub facets: Vec<Vec<Tally>>,
    /// Documents the records were read from.
    pub documents: u32,
    /// The places the site covers (at most [`PLACES_LIMIT`], by code), and
    /// how many there are in all.
    pub places: Vec<Place>,
    pub place_count: u32,
    /// Projects per budget year, newest first.
    pub years: Vec<YearTotals>,
    /// Targets set against results, per place and year: how many of the
    /// self-evaluations' indicators were met, missed, or cannot be told.
    pub results: Vec<PlaceResults>,
}

/// The indicators of one place's self-evaluations of one year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceResults {
    pub code: String,
    pub name: String,
    pub year: u16,
    pub evaluations: u32,
    pub achieved: u32,
    pub missed: u32,
    pub unclear: u32,
}

/// Places listed on the start page; the rest are counted.
pub const PLACES_LIMIT: usize = 200;

/// Fund key of the money a table's total has beyond what its sources name.
pub const UNSTATED_FUND: &str = "unstated";

/// A place (the most specific region of its records) the site covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    /// Full name, e.g. `河北省 承德市 兴隆县`.
    pub name: String,
    pub records: u32,
    pub documents: u32,
    /// Budget years, newest first.
    pub years: Vec<u16>,
}

/// The projects of one budget year (department-wide targets are left out:
/// they would count money twice). Money is never added across years.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearTotals {
    /// `0` for tables that print no year.
    pub year: u16,
    pub projects: u32,
    pub total_yuan: i64,
    /// Projects whose table states no annual amount.
    pub without_amount: u32,
    /// By most specific region, department, and fund source (the money
    /// each source is printed with; [`UNSTATED_FUND`] the rest of the
    /// totals), largest first, at most [`LIMIT`] each.
    pub regions: Vec<Tally>,
    pub departments: Vec<Tally>,
    pub funds: Vec<Tally>,
}
