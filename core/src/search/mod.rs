//! The query engine shared by `indexer query` and the app: parse the typed
//! text ([`query`]), find and rank documents ([`engine`]), cut snippets
//! ([`snippet`]).

pub mod engine;
pub mod facet;
pub mod query;
pub mod ranking;
pub mod snippet;

pub use engine::{FacetCounts, Filters, Hit, SearchError, SearchResults, Searcher, Sort};
pub use facet::{Facet, FacetValue};
pub use query::{parse, Query};
