//! Fetching index files: relative URLs only (the site may live in a
//! subdirectory), all requests of a step started at once. Files are stored
//! gzip-compressed and inflated by the browser's own `DecompressionStream`
//! (no decompressor in the bundle). They are named by the build they belong
//! to and carry its id and a checksum inside, so decoding rejects a stale,
//! mixed or corrupted file.

use jixiao_core::index::bytes::DecodeError;
use jixiao_core::index::FileId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The Compression Streams API's `DecompressionStream` (declared here:
    /// web-sys keeps it behind its unstable-API flag).
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;

    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

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
    /// A file that failed to decode: from another build (the site was
    /// updated while the page was open) or damaged.
    pub fn undecodable(file: String, e: DecodeError) -> FetchError {
        match e {
            DecodeError::WrongBuild => FetchError::Mismatch(file),
            e => FetchError::Corrupt(file, e.message_zh()),
        }
    }

    /// What a reader is told: what happened and what to do, in plain
    /// words (no file names: they mean nothing to a reader).
    pub fn message_zh(&self) -> String {
        match self {
            FetchError::Network(_) => "网络连接中断，检索数据没有下载完成。请检查网络后重试。".into(),
            FetchError::Status(_, _) => "网站暂时无法提供检索数据，可能正在更新。请稍后重试。".into(),
            FetchError::Mismatch(_) => "网站刚刚更新过，本页面保存的数据已过时。请重试；如仍不行，请刷新页面。".into(),
            FetchError::Corrupt(_, _) => "检索数据已损坏，无法读取。请刷新页面重试；如仍不行，请稍后再来。".into(),
        }
    }

    /// The file and the cause, for the browser's console (and developers).
    pub fn detail(&self) -> String {
        match self {
            FetchError::Network(file) => format!("network error: {file}"),
            FetchError::Status(file, status) => format!("HTTP {status}: {file}"),
            FetchError::Mismatch(file) => format!("from another build: {file}"),
            FetchError::Corrupt(file, why) => format!("damaged: {file} ({why})"),
        }
    }
}

/// Starts a request now (the browser runs it while we wait for others).
fn start(path: &str) -> Option<JsFuture> {
    web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(path)))
}

/// The inflated bytes of an index file relative to the page.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, FetchError> {
    finish(path, start(path)).await
}

async fn finish(path: &str, request: Option<JsFuture>) -> Result<Vec<u8>, FetchError> {
    let network = || FetchError::Network(path.into());
    let request = request.ok_or_else(network)?;
    let response = request.await.map_err(|_| network())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| network())?;
    if !response.ok() {
        return Err(FetchError::Status(path.into(), response.status()));
    }
    let body = response.body().ok_or_else(network)?;
    let inflate = DecompressionStream::new("gzip")
        .map_err(|_| FetchError::Corrupt(path.into(), "浏览器不支持解压缩（DecompressionStream），请升级浏览器".into()))?;
    let inflated = body.pipe_through(&web_sys::ReadableWritablePair::new(&inflate.readable(), &inflate.writable()));
    let inflated = web_sys::Response::new_with_opt_readable_stream(Some(&inflated)).map_err(|_| network())?;
    let buffer = inflated.array_buffer().map_err(|_| network())?;
    // A damaged gzip stream fails here, while inflating.
    let buffer = JsFuture::from(buffer).await.map_err(|_| FetchError::Corrupt(path.into(), "无法解压".into()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Files of a build, fetched in parallel: a step of a query waits for the
/// slowest file, not for the sum.
pub async fn fetch_files(build: &str, files: &[FileId]) -> Result<Vec<Vec<u8>>, FetchError> {
    let paths: Vec<String> = files.iter().map(|f| format!("{INDEX_DIR}{}", f.name(build))).collect();
    let requests: Vec<Option<JsFuture>> = paths.iter().map(|p| start(p)).collect();
    let mut out = Vec::with_capacity(files.len());
    for (path, request) in paths.iter().zip(requests) {
        out.push(finish(path, request).await?);
    }
    Ok(out)
}
