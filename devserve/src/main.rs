//! `devserve <folder> [--addr 127.0.0.1:8080] [--prefix /sub/]`

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut addr = "127.0.0.1:8080".to_string();
    let mut prefix = "/".to_string();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().expect("--addr needs a value"),
            "--prefix" => prefix = args.next().expect("--prefix needs a value"),
            _ => root = Some(arg),
        }
    }
    let root = std::path::PathBuf::from(root.unwrap_or_else(|| "dist".into()));
    match devserve::Server::start(&root, &addr, &prefix) {
        Ok(server) => {
            println!("Serving {} at {}", root.display(), server.url());
            server.wait();
        }
        Err(e) => {
            eprintln!("devserve: {e}");
            std::process::exit(1);
        }
    }
}
