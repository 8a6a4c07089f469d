//! The warm start's path to the list's first frame, without a terminal: the index cache
//! loaded, the library and the app built, one frame drawn to a test backend. For
//! profiling that path with callgrind, whose counts repeat exactly on a busy machine
//! (`scripts/bench` times the same in a real terminal, tmux and all).
//!
//! `cargo run --release --example warm_start -- FOLDER` (run `folio list FOLDER` first,
//! so the cache is there; `FOLIO_CACHE_DIR` and `FOLIO_CONFIG_DIR` apply as in folio).

use ratatui::{Terminal, backend::TestBackend};

// As in folio: the allocator is part of what a start costs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: warm_start FOLDER");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    let setup = match folio::setup::load(Some("dark"), folio::setup::Strictness::Lenient) {
        Ok(setup) => setup,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    let settings = folio::store::Settings::from_env();
    let mut warnings = Vec::new();
    let (library, job) = folio::indexer::prepare(&root, &settings, false, &mut warnings);
    let loaded = started.elapsed();
    let mut app = folio::commands::tui::app(library, root.display().to_string(), &setup);
    app.resize(100, 30);
    let Ok(mut terminal) = Terminal::new(TestBackend::new(100, 30));
    let drawn = terminal.draw(|frame| folio::ui::draw(frame, &app, &app.theme));
    eprintln!(
        "{} posts (warm: {}): loaded in {loaded:?}, first frame in {:?}{}",
        app.library.posts().len(),
        job.warm,
        started.elapsed(),
        if drawn.is_ok() { "" } else { " (draw failed)" }
    );
    // folio goes on with these; tearing them down is no part of a start.
    std::mem::forget((app, job, terminal));
}
