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

/// Starts a request now (the browser runs it while we wait for others).
fn start(path: &str) -> Option<JsFuture> {
    web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(path)))
}

/// Bytes of a file relative to the page.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, FetchError> {
    finish(path, start(path)).await
}

async fn finish(path: &str, request: Option<JsFuture>) -> Result<Vec<u8>, FetchError> {
    let request = request.ok_or_else(|| FetchError::Network(path.into()))?;
    let response = request.await.map_err(|_| FetchError::Network(path.into()))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| FetchError::Network(path.into()))?;
    if !response.ok() {
        return Err(FetchError::Status(path.into(), response.status()));
    }
    let buffer = response.array_buffer().map_err(|_| FetchError::Network(path.into()))?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| FetchError::Network(path.into()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Index files named by the manifest, verified; all requests are started
/// at once, so a query waits for the slowest file, not for the sum.
pub async fn fetch_checked(files: &[FileRef]) -> Result<Vec<Vec<u8>>, FetchError> {
    let paths: Vec<String> = files.iter().map(|f| format!("{INDEX_DIR}{}", f.file)).collect();
    let requests: Vec<Option<JsFuture>> = paths.iter().map(|p| start(p)).collect();
    let mut out = Vec::with_capacity(files.len());
    for ((file, path), request) in files.iter().zip(&paths).zip(requests) {
        let bytes = finish(path, request).await?;
        if bytes.len() as u64 != file.bytes || content_hash(&bytes) != file.hash {
            return Err(FetchError::Mismatch(file.file.clone()));
        }
        out.push(bytes);
    }
    Ok(out)
}
