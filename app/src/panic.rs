//! A crash of the app must not leave a silently dead page: the browser
//! logs it, and a message goes into the page, in Chinese, with a way to
//! reload.
//!
//! The wasm is built with `-Cpanic=immediate-abort` (xtask/src/setup.rs):
//! a panic is a wasm trap at once, with no hook and no message (the panic
//! machinery would cost kilobytes of the first load). The trap reaches the
//! page as a `WebAssembly.RuntimeError`, uncaught (an event handler, a
//! task) or as an unhandled rejection (a promise callback): listeners on
//! the window catch both.

use leptos::prelude::window_event_listener_untyped;
use wasm_bindgen::{JsCast, JsValue};

pub fn show_crashes() {
    for kind in ["error", "unhandledrejection"] {
        // Listens for the page's whole life (the handle is not kept to remove it).
        let _ = window_event_listener_untyped(kind, |event| {
            let error = ["error", "reason"]
                .into_iter()
                .filter_map(|field| js_sys::Reflect::get(&event, &field.into()).ok())
                .find(|e| !e.is_undefined())
                .unwrap_or(JsValue::UNDEFINED);
            // Only a trap of the app's wasm: nothing else stops it.
            if let Some(trap) = error.dyn_ref::<js_sys::WebAssembly::RuntimeError>() {
                show_crash_message(&String::from(trap.to_string()));
            }
        });
    }
}

fn show_crash_message(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
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
