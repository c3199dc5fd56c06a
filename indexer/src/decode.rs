//! Bytes of a document → text, whatever the encoding it was saved in.
//!
//! UTF-8 (with or without BOM), UTF-16 (LE/BE, with BOM or detected from
//! the zero bytes of ASCII), and GB18030/GBK are accepted; CRLF and CR line
//! ends become LF. A file that is none of these (a PDF, an image, random
//! bytes) is refused with a reason.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding found, e.g. `UTF-8`, `UTF-16LE`, `GB18030`.
    pub encoding: &'static str,
    pub had_bom: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "文件为空"),
            DecodeError::Binary(why) => write!(f, "不是文本文件（{why}）"),
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let (encoding, had_bom, body): (&'static Encoding, bool, &[u8]) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, true, &bytes[bom_len..]),
        None => (sniff(bytes), false, bytes),
    };
    let (text, malformed) = encoding.decode_without_bom_handling(body);
    if malformed {
        return Err(DecodeError::Binary(format!("按 {} 解码时有无效字节", encoding.name())));
    }
    let controls = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(DecodeError::Binary("含有大量控制字符".into()));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Decoded { text, encoding: encoding.name(), had_bom })
}

/// Guesses the encoding of a file without a BOM.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    // UTF-16 text of mostly ASCII has a zero in every other byte.
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    if half > 0 && zeros_odd * 4 > half && zeros_even * 20 < half {
        return UTF_16LE;
    }
    if half > 0 && zeros_even * 4 > half && zeros_odd * 20 < half {
        return UTF_16BE;
    }
    if bytes.contains(&0) {
        // Zero bytes in neither UTF-8 nor UTF-16: binary. GB18030 will fail.
        return encoding_rs::UTF_8;
    }
    GB18030
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        let d = decode("项目名称\r\n".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.had_bom), ("项目名称\n", "UTF-8", false));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend("项目".as_bytes());
        assert_eq!(decode(&with_bom).unwrap().text, "项目");
    }

    #[test]
    fn decodes_gbk_and_utf16() {
        let (gbk, _, _) = GB18030.encode("项目名称\t驻村干部补助经费");
        let d = decode(&gbk).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("项目名称\t驻村干部补助经费", "gb18030"));
        let utf16: Vec<u8> = "项目 ab\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16);
        assert_eq!(decode(&with_bom).unwrap().text, "项目 ab\n");
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b"  \n"), Err(DecodeError::Empty));
        assert!(matches!(decode(&[0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x00, 0x81, 0x03]), Err(DecodeError::Binary(_))));
    }
}
