//! Every place name of the country (GB/T 2260: provinces, cities, counties,
//! with their short forms: 广州 for 广州市), each marked with whether the
//! site has records there. Looked up only for a query with a word that
//! matches nothing, to say when that word is a place the site does not
//! cover (`广州 医疗救助`) instead of showing other places' projects
//! without a word.
//!
//! About 6,600 names, some 22 KB as stored: too much for one lookup, so they
//! are split into [`Manifest::place_pages`](super::manifest::Manifest)
//! pages by their first character ([`page_of`]). Every name a word can start
//! with shares its first character, so one lookup reads one page.
//!
//! File `places-<n>.<build>.bin` (`JXN2`, in the envelope of
//! [`super::bytes`]): a varint count, then per name the name and a covered
//! flag, sorted by name — in the field-by-field form of [`super::codec`].

pub const MAGIC: &[u8; 4] = b"JXN2";

/// The page holding the names that start as `word` does.
pub fn page_of(word: &str, pages: u32) -> u32 {
    let first = word.chars().next().map(|c| c.to_string()).unwrap_or_default();
    super::bytes::fnv1a32(first.as_bytes()) % pages.max(1)
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceName {
    /// `广州` or `广州市`: the form a query may use.
    pub name: String,
    /// The site has records of a place of this name (or within it).
    pub covered: bool,
}

/// The places, sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceNames(pub Vec<PlaceName>);

impl PlaceNames {
    /// The place a word names exactly, if any.
    pub fn named(&self, word: &str) -> Option<&PlaceName> {
        self.0.binary_search_by(|p| p.name.as_str().cmp(word)).ok().map(|i| &self.0[i])
    }

    /// The longest place name a word starts with, leaving at least two
    /// characters (`广州医疗救助` → 广州), or the word itself.
    pub fn leading(&self, word: &str) -> Option<&PlaceName> {
        self.named(word).or_else(|| {
            let ends: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(2).collect();
            ends.iter().rev().skip(1).find_map(|&end| self.named(&word[..end]))
        })
    }
}
