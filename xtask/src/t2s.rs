//! `cargo xtask t2s`: regenerates `core/data/t2s.bin`, the traditional →
//! simplified character table the tokenizer folds with, from OpenCC's
//! `TSCharacters.txt` (npm package `opencc`, Apache-2.0). A maintainer
//! command; the generated file is committed.
//!
//! Format: one entry per character both of whose forms are in the Basic
//! Multilingual Plane, sorted by the traditional character, each entry two
//! varints: the traditional code point minus the previous entry's, and the
//! simplified code point minus the traditional one (zigzag). Deltas keep
//! the table small in the wasm bundle. A character with several simplified
//! forms takes OpenCC's first.

use crate::{root, unpack_npm_package, Result};

const PACKAGE: &str = "opencc@1.4.2";

pub fn run() -> Result<()> {
    let dictionary = unpack_npm_package(PACKAGE)?.join("data/dictionary/TSCharacters.txt");
    let text = std::fs::read_to_string(&dictionary).map_err(|e| format!("{}: {e}", dictionary.display()))?;
    let mut pairs: Vec<(u16, u16)> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((traditional, simplified)) = line.split_once('\t') else { continue };
        let simplified = simplified.split(' ').next().unwrap_or("");
        let (mut t, mut s) = (traditional.chars(), simplified.chars());
        let (Some(t0), None, Some(s0), None) = (t.next(), t.next(), s.next(), s.next()) else { continue };
        if t0 != s0 {
            if let (Ok(t), Ok(s)) = (u16::try_from(t0 as u32), u16::try_from(s0 as u32)) {
                pairs.push((t, s));
            }
        }
    }
    pairs.sort();
    pairs.dedup_by_key(|p| p.0);
    let mut bytes = Vec::new();
    let mut previous = 0i64;
    for &(t, s) in &pairs {
        let (t, s) = (t as i64, s as i64);
        varint(&mut bytes, (t - previous) as u64);
        let d = s - t;
        varint(&mut bytes, ((d << 1) ^ (d >> 63)) as u64);
        previous = t;
    }
    let target = root().join("core/data/t2s.bin");
    std::fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
    std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
    eprintln!("xtask: wrote {} ({} pairs from {PACKAGE})", target.display(), pairs.len());
    Ok(())
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
