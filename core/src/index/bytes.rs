//! Byte-level building blocks of the index files: LEB128 varints, strings,
//! and the envelope every binary file shares.
//!
//! Envelope of every binary index file:
//!
//! ```text
//! magic      4 bytes   e.g. b"JXT2" (file kind + format version)
//! build      string    the build id (data files; not the manifest)
//! body       …         the kind's own layout
//! checksum   4 bytes   FNV-1a 32 of all the above, little-endian
//! ```
//!
//! A reader checks the magic, the checksum and the build id before
//! decoding, and every read is bounds-checked, so a truncated, corrupted or
//! stale file (one from another build) is an error, never a panic or a
//! wrong answer.

use std::fmt;

/// Elements reserved up front when a file states a count: a count is only
/// bounded by the file's bytes, and an element in memory can be a hundred
/// times its encoding, so a corrupt count must not reserve gigabytes.
const RESERVE_LIMIT: usize = 4096;

/// An empty vector for `count` elements a file states: reserves at most
/// [`RESERVE_LIMIT`] up front; a larger (true) count grows as it is read.
pub fn vec_for_count<T>(count: usize) -> Vec<T> {
    Vec::with_capacity(count.min(RESERVE_LIMIT))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    WrongMagic { expected: [u8; 4] },
    Checksum,
    Truncated,
    Malformed(&'static str),
    /// The file belongs to another build of the index than the manifest.
    WrongBuild,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::WrongMagic { expected } => {
                write!(f, "not a {} file", String::from_utf8_lossy(expected))
            }
            DecodeError::Checksum => write!(f, "checksum mismatch (file corrupted)"),
            DecodeError::Truncated => write!(f, "file truncated"),
            DecodeError::Malformed(what) => write!(f, "malformed {what}"),
            DecodeError::WrongBuild => write!(f, "file from another build of the index"),
        }
    }
}

impl DecodeError {
    /// The reason in Chinese, for the app's error message.
    pub fn message_zh(&self) -> String {
        match self {
            DecodeError::WrongMagic { expected } => format!("不是 {} 格式的文件", String::from_utf8_lossy(expected)),
            DecodeError::Checksum => "校验和不符，文件已损坏".into(),
            DecodeError::Truncated => "文件不完整".into(),
            DecodeError::Malformed(_) => "文件内容格式有误".into(),
            DecodeError::WrongBuild => "文件属于另一版索引".into(),
        }
    }
}

impl std::error::Error for DecodeError {}

/// FNV-1a, 32-bit: the files' checksum.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c9dc5;
    for &b in bytes {
        hash ^= b as u32;
        hash = hash.wrapping_mul(0x01000193);
    }
    hash
}

/// FNV-1a, 64-bit: the content hash in file names, checked by the app.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

/// The content hash as it appears in file names (16 hex digits).
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(bytes))
}

#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new(magic: &[u8; 4]) -> Self {
        Writer { buf: magic.to_vec() }
    }

    /// A data file of a build: magic, then the build id.
    pub fn data(magic: &[u8; 4], build: &str) -> Self {
        let mut w = Writer::new(magic);
        w.str(build);
        w
    }

    pub fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    /// An optional signed integer: 0 is `None`, otherwise zigzag + 1.
    pub fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.varint(0),
            Some(v) => self.varint((((v << 1) ^ (v >> 63)) as u64).wrapping_add(1)),
        }
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn u8(&mut self, b: u8) {
        self.buf.push(b);
    }

    pub fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.len() <= 4
    }

    /// The bytes written, without envelope (for blocks inside a file).
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }

    /// Appends the checksum and returns the file's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let sum = fnv1a32(&self.buf);
        self.buf.extend_from_slice(&sum.to_le_bytes());
        self.buf
    }
}

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Checks magic and checksum; the reader then walks the body.
    pub fn open(file: &'a [u8], magic: &[u8; 4]) -> Result<Reader<'a>, DecodeError> {
        if file.len() < 8 {
            return Err(DecodeError::Truncated);
        }
        if &file[..4] != magic {
            return Err(DecodeError::WrongMagic { expected: *magic });
        }
        let (content, sum) = file.split_at(file.len() - 4);
        let expected = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
        if fnv1a32(content) != expected {
            return Err(DecodeError::Checksum);
        }
        Ok(Reader { data: content, pos: 4 })
    }

    /// Checks magic, checksum and build id of a data file.
    pub fn open_data(file: &'a [u8], magic: &[u8; 4], build: &str) -> Result<Reader<'a>, DecodeError> {
        let mut r = Reader::open(file, magic)?;
        if r.str()? != build {
            return Err(DecodeError::WrongBuild);
        }
        Ok(r)
    }

    /// A reader over a slice already validated as part of a file.
    pub fn over(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left to read.
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// A LEB128 varint, exactly as [`Writer::varint`] writes it: one
    /// encoding per value, so a damaged byte cannot still read as a number
    /// (a redundant zero group, or bits beyond 64, are errors).
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self.data.get(self.pos).ok_or(DecodeError::Truncated)?;
            self.pos += 1;
            value |= ((byte & 0x7f) as u64) << shift;
            if byte & 0x80 == 0 {
                let overlong = shift > 0 && byte == 0;
                let overflows = shift == 63 && byte > 1;
                return if overlong || overflows { Err(DecodeError::Malformed("varint")) } else { Ok(value) };
            }
        }
        Err(DecodeError::Malformed("varint"))
    }

    /// A varint that must fit a small count (guards allocations against
    /// corrupted lengths).
    pub fn count(&mut self, max: usize) -> Result<usize, DecodeError> {
        let v = self.varint()?;
        if v > max as u64 {
            return Err(DecodeError::Malformed("count"));
        }
        Ok(v as usize)
    }

    pub fn opt_i64(&mut self) -> Result<Option<i64>, DecodeError> {
        let v = self.varint()?;
        if v == 0 {
            return Ok(None);
        }
        let z = v - 1;
        Ok(Some(((z >> 1) as i64) ^ -((z & 1) as i64)))
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = *self.data.get(self.pos).ok_or(DecodeError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.count(self.data.len())?;
        self.take(len)
    }

    pub fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(len).ok_or(DecodeError::Truncated)?;
        let slice = self.data.get(self.pos..end).ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| DecodeError::Malformed("string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut w = Writer::new(b"TEST");
        w.varint(0);
        w.varint(300);
        w.varint(u64::MAX);
        w.opt_i64(None);
        w.opt_i64(Some(-5));
        w.opt_i64(Some(32_000_000));
        w.str("医疗");
        let file = w.finish();
        let mut r = Reader::open(&file, b"TEST").unwrap();
        assert_eq!(r.varint().unwrap(), 0);
        assert_eq!(r.varint().unwrap(), 300);
        assert_eq!(r.varint().unwrap(), u64::MAX);
        assert_eq!(r.opt_i64().unwrap(), None);
        assert_eq!(r.opt_i64().unwrap(), Some(-5));
        assert_eq!(r.opt_i64().unwrap(), Some(32_000_000));
        assert_eq!(r.str().unwrap(), "医疗");
        assert!(r.at_end());
    }

    #[test]
    fn a_value_has_one_encoding() {
        let read = |bytes: &[u8]| Reader::over(bytes).varint();
        assert_eq!(read(&[0x00]), Ok(0));
        assert_eq!(read(&[0xac, 0x02]), Ok(300));
        // 300 with a redundant zero group; 0 written in two bytes.
        assert_eq!(read(&[0xac, 0x82, 0x00]), Err(DecodeError::Malformed("varint")));
        assert_eq!(read(&[0x80, 0x00]), Err(DecodeError::Malformed("varint")));
        // u64::MAX is nine full groups and a last byte of 1; 2 there would be bit 64.
        let mut max = vec![0xff; 9];
        max.push(0x01);
        assert_eq!(read(&max), Ok(u64::MAX));
        *max.last_mut().unwrap() = 0x02;
        assert_eq!(read(&max), Err(DecodeError::Malformed("varint")));
        assert_eq!(read(&[0xff; 10]), Err(DecodeError::Malformed("varint")));
        assert_eq!(read(&[0x80]), Err(DecodeError::Truncated));
    }

    #[test]
    fn rejects_corruption() {
        let mut w = Writer::new(b"TEST");
        w.str("hello");
        let file = w.finish();
        for i in 0..file.len() {
            let mut bad = file.clone();
            bad[i] ^= 0x5a;
            assert!(Reader::open(&bad, b"TEST").is_err(), "flip at {i}");
        }
        for len in 0..file.len() {
            assert!(Reader::open(&file[..len], b"TEST").is_err(), "cut at {len}");
        }
    }
}
