//! Writes a large collection for measuring start-up by hand (see the README's Performance
//! section): `cargo run --release --example generate_collection -- DIR [FOLDERS] [PER_FOLDER]`.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: generate_collection DIR [FOLDERS] [PER_FOLDER]");
        std::process::exit(2);
    };
    let folders = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let per_folder = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    generate::generate(std::path::Path::new(&dir), folders, per_folder);
    println!("wrote {} requests under {dir}/big", folders * per_folder);
}
