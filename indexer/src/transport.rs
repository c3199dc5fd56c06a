//! Index files are stored gzip-compressed, as they travel: static hosts do
//! not reliably compress unknown binary types, and the browser inflates
//! them with its built-in `DecompressionStream`, which costs the app no
//! bundle bytes. The formats in `jixiao_core::index` describe the inflated
//! bytes; this is the only place that knows about the compression.

use std::io::{Read, Write};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Index files are at most this large once inflated (a guard against a
/// corrupted or hostile file that inflates without end).
pub const MAX_INFLATED: u64 = 256 << 20;

pub fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), Compression::default());
    encoder.write_all(bytes).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

pub fn decompress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).take(MAX_INFLATED + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(std::io::Error::other("inflates beyond the size limit"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_damage() {
        let text = "城乡居民医疗救助资金".repeat(100);
        let packed = compress(text.as_bytes());
        assert!(packed.len() < text.len() / 5);
        assert_eq!(decompress(&packed).unwrap(), text.as_bytes());
        let mut damaged = packed.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0xff;
        assert!(decompress(&damaged).is_err());
        assert!(decompress(&packed[..packed.len() - 4]).is_err());
        assert!(decompress(b"not gzip").is_err());
    }
}
