//! The browser-test harness itself: a failing test must not leave Chromium
//! running (every later test run on the machine would pay for it).

use jixiao_e2e::Browser;

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(format!("{}: {cmdline}", entry.file_name().to_string_lossy()));
            }
        }
    }
    found
}

#[test]
fn a_test_that_panics_leaves_no_chromium_running() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let failed = std::thread::spawn(move || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let browser = Browser::start().await;
            browser.open("about:blank").await;
            sender.send(browser.profile_dir().display().to_string()).unwrap();
            panic!("deliberate: a test failing with its browser open");
        })
    })
    .join();
    assert!(failed.is_err(), "the test thread panicked");
    let profile = receiver.recv().unwrap();
    // Chromium's processes are gone once the Browser is dropped; allow the
    // kernel a moment to reap them.
    let started = std::time::Instant::now();
    while !processes_mentioning(&profile).is_empty() && started.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(processes_mentioning(&profile), Vec::<String>::new(), "Chromium left running");
}
