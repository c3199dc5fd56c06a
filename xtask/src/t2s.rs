//! `cargo xtask t2s`: regenerates `core/data/t2s.bin`, the traditional →
//! simplified character table the tokenizer folds with, from OpenCC's
//! `TSCharacters.txt` (npm package `opencc`, Apache-2.0). A maintainer
//! command; the generated file is committed.
//!
//! Format: sorted pairs of little-endian u16 (traditional, simplified), one
//! per character both of which are in the Basic Multilingual Plane; a
//! character with several simplified forms takes OpenCC's first.

use std::process::Command;

use crate::{root, run_command, Result};

const PACKAGE: &str = "opencc@1.4.2";

pub fn run() -> Result<()> {
    let work = std::env::temp_dir().join("jixiao-t2s");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    run_command(Command::new("npm").current_dir(&work).args(["pack", PACKAGE, "--silent"]))?;
    let tarball = std::fs::read_dir(&work)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or("npm pack produced no tarball")?;
    run_command(Command::new("tar").current_dir(&work).arg("xzf").arg(&tarball))?;
    let dictionary = work.join("package/data/dictionary/TSCharacters.txt");
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
    let bytes: Vec<u8> = pairs.iter().flat_map(|(t, s)| t.to_le_bytes().into_iter().chain(s.to_le_bytes())).collect();
    let target = root().join("core/data/t2s.bin");
    std::fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
    std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
    eprintln!("xtask: wrote {} ({} pairs from {PACKAGE})", target.display(), pairs.len());
    Ok(())
}
