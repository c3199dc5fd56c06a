//! Sorting for code that ships to the browser.
//!
//! `slice::sort_by` is instantiated anew, several kilobytes each, for every
//! element type *and* every comparison closure; a dozen of them made up a
//! tenth of the wasm bundle. This stable merge sort works on positions with
//! a comparator behind `&dyn`, so its code exists once; long lists of
//! document numbers are sorted by key, in linear time.

use std::cmp::Ordering;

/// Positions `0..n` in the stable order `cmp` defines.
pub fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    let mut scratch = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if cmp(items[j], items[i]) == Ordering::Less {
                    scratch[k] = items[j];
                    j += 1;
                } else {
                    scratch[k] = items[i];
                    i += 1;
                }
                k += 1;
            }
            scratch[k..k + (mid - i)].copy_from_slice(&items[i..mid]);
            k += mid - i;
            scratch[k..k + (end - j)].copy_from_slice(&items[j..end]);
            start = end;
        }
        std::mem::swap(&mut items, &mut scratch);
        width *= 2;
    }
    items
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let positions = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    arrange(v, positions);
}

/// Sorts `v` stably by a `u32` key (a document number), in linear time: a
/// pass per byte of the key, counting. For the long lists a query walks
/// (tens of thousands of documents at scale): the app's std is built for
/// size, and its comparison sorts (a heapsort, a plain merge sort) would
/// cost a broad query milliseconds.
pub fn sort_by_u32<T>(v: &mut Vec<T>, key: &dyn Fn(&T) -> u32) {
    let keys: Vec<u32> = v.iter().map(key).collect();
    arrange(v, positions_by_u32(&keys));
}

/// The positions of `keys` in stable ascending order of the keys (not
/// generic: one copy of the radix sort in the bundle, whatever is sorted).
fn positions_by_u32(keys: &[u32]) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..keys.len()).collect();
    let mut scratch = vec![0; keys.len()];
    for shift in [0, 8, 16, 24] {
        let byte = |p: usize| (keys[p] >> shift) as usize & 0xFF;
        let mut starts = [0usize; 256];
        for &p in &positions {
            starts[byte(p)] += 1;
        }
        // Every key has this byte alike (the high bytes of small numbers):
        // the pass would change nothing.
        if starts.contains(&positions.len()) {
            continue;
        }
        let mut at = 0;
        for start in starts.iter_mut() {
            (*start, at) = (at, at + *start);
        }
        for &p in &positions {
            scratch[starts[byte(p)]] = p;
            starts[byte(p)] += 1;
        }
        std::mem::swap(&mut positions, &mut scratch);
    }
    positions
}

/// Puts the items of `v` in the order of their old positions.
fn arrange<T>(v: &mut Vec<T>, positions: Vec<usize>) {
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(positions.into_iter().filter_map(|p| slots[p].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_a_u32_key_stably() {
        let mut seed = 99u64;
        let mut v: Vec<(u32, usize)> = (0..5000)
            .map(|i| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((seed >> 32) as u32 >> (i % 4 * 8), i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|x| x.0);
        sort_by_u32(&mut v, &|x| x.0);
        assert_eq!(v, expected);
        let mut empty: Vec<u32> = Vec::new();
        sort_by_u32(&mut empty, &|&x| x);
        assert!(empty.is_empty());
    }

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn agrees_with_the_standard_sort() {
        let mut seed = 12345u64;
        for n in [0, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 50
                })
                .collect();
            let mut expected = v.clone();
            expected.sort();
            sort_by(&mut v, &|a, b| a.cmp(b));
            assert_eq!(v, expected, "n = {n}");
        }
    }
}
