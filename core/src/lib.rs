//! Shared by the indexer (native) and the app (wasm32): the data model, the
//! text normalisation and tokenizer, the compact index format and the query
//! engine. Nothing here touches the file system or the network, so the same
//! query code runs in native tests and in the browser.

pub mod csv;
pub mod format;
#[doc(hidden)]
pub mod fuzz_harness;
pub mod index;
pub mod model;
pub mod order;
pub mod search;
pub mod table;
pub mod text;
pub mod tokenize;
pub mod units;
