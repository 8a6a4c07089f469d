//! The least a cold `folio list` must do, and nothing else: walk the folder as folio's
//! scan does (`library::scan::walker`, on all cores), open each Markdown file, stat it
//! and read its first 4 KiB. No parsing, no cache, no output. Timed beside `rg -c .`,
//! it says how much of that ratio is left for the work folio does with what it read
//! (issue 11's cold-listing row).
//!
//! `hyperfine -N 'target/release/examples/walk_floor FOLDER' 'rg -c . FOLDER'`

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: walk_floor FOLDER");
        std::process::exit(2);
    };
    let (files, bytes) = (AtomicUsize::new(0), AtomicUsize::new(0));
    folio::library::scan::walker(&root)
        .build_parallel()
        .run(|| {
            let (files, bytes) = (&files, &bytes);
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                let path = entry.path();
                if path.extension().is_some_and(|ext| ext == "md")
                    && let Ok(mut file) = std::fs::File::open(path)
                    && file.metadata().is_ok_and(|meta| meta.is_file())
                {
                    let mut head = [0u8; 4096];
                    let read = file.read(&mut head).unwrap_or(0);
                    files.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(read, Ordering::Relaxed);
                }
                ignore::WalkState::Continue
            })
        });
    println!(
        "{} files, {} bytes of heads",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed)
    );
}
