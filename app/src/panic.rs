//! A panic in the app must not leave a silently dead page: the hook logs it
//! and puts a message in the page, in Chinese, with a way to reload.

use wasm_bindgen::JsCast;

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The message only (payloads are &str or String); no location
        // formatting, which would add kilobytes to the bundle.
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(&message));
        show_crash_message(&message);
    }));
}

fn show_crash_message(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("crash");
    banner.set_attribute("role", "alert").ok();
    // Text only: the detail is never interpreted as HTML.
    banner.set_text_content(Some("页面出现内部错误，已停止运行。请刷新页面重试。"));
    if let Ok(small) = document.create_element("small") {
        small.set_text_content(Some(&format!("（{detail}）")));
        banner.append_child(&small).ok();
    }
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("刷新页面"));
        button.set_attribute("type", "button").ok();
        button.set_attribute("onclick", "location.reload()").ok();
        banner.append_child(&button).ok();
    }
    if let Some(first) = body.first_child() {
        body.insert_before(&banner, Some(&first)).ok();
    } else {
        body.append_child(&banner).ok();
    }
    let _ = banner.dyn_ref::<web_sys::HtmlElement>().map(|b| b.focus());
}
