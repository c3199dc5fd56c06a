//! Fetching index files: relative URLs only (the site may live in a
//! subdirectory), each file checked against the manifest's size and
//! content hash so a stale or corrupted file is never used.

use jixiao_core::index::bytes::content_hash;
use jixiao_core::index::manifest::FileRef;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where index files live, relative to the page.
pub const INDEX_DIR: &str = "idx/";

/// Why a file could not be used; shown to the user in Chinese.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    Network(String),
    Status(String, u16),
    Mismatch(String),
    Corrupt(String, String),
}

impl FetchError {
    pub fn message_zh(&self) -> String {
        match self {
            FetchError::Network(file) => format!("无法下载索引文件 {file}，请检查网络连接后重试。"),
            FetchError::Status(file, status) => format!("索引文件 {file} 无法获取（HTTP {status}）。网站可能正在更新，请稍后重试。"),
            FetchError::Mismatch(file) => {
                format!("索引文件 {file} 与索引清单不符（可能是网站更新了一半或文件已损坏）。请重试；如仍失败，请刷新页面。")
            }
            FetchError::Corrupt(file, why) => format!("索引文件 {file} 已损坏，无法读取（{why}）。请刷新页面重试。"),
        }
    }
}

/// Bytes of a file relative to the page.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, FetchError> {
    let window = web_sys::window().ok_or_else(|| FetchError::Network(path.into()))?;
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| FetchError::Network(path.into()))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| FetchError::Network(path.into()))?;
    if !response.ok() {
        return Err(FetchError::Status(path.into(), response.status()));
    }
    let buffer = response.array_buffer().map_err(|_| FetchError::Network(path.into()))?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| FetchError::Network(path.into()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// An index file named by the manifest, verified.
pub async fn fetch_checked(file: &FileRef) -> Result<Vec<u8>, FetchError> {
    let bytes = fetch_bytes(&format!("{INDEX_DIR}{}", file.file)).await?;
    if bytes.len() as u64 != file.bytes || content_hash(&bytes) != file.hash {
        return Err(FetchError::Mismatch(file.file.clone()));
    }
    Ok(bytes)
}
