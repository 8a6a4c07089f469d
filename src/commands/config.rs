//! `folio config --path | --init`: where folio looks for its config file, or a commented
//! one written there to start from.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::ConfigArgs;

/// `path` is where the config file belongs (`None`: no config folder can be found).
pub fn run(args: &ConfigArgs, path: Option<&Path>, out: &mut impl Write) -> Result<()> {
    let Some(path) = path else {
        bail!("no config folder: set FOLIO_CONFIG_DIR or HOME");
    };
    let text = if args.init {
        let written = crate::config::init(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        if written {
            format!("wrote {}\n", path.display())
        } else {
            format!("{} already exists; left as it is\n", path.display())
        }
    } else {
        format!("{}\n", path.display())
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &ConfigArgs, path: Option<&Path>) -> Result<String> {
        let mut out = Vec::new();
        run(args, path, &mut out)?;
        Ok(String::from_utf8(out).expect("utf-8"))
    }

    #[test]
    fn path_then_init_once_and_never_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("folio/config.yaml");
        let show = ConfigArgs {
            path: true,
            init: false,
        };
        let init = ConfigArgs {
            path: false,
            init: true,
        };
        let shown = config(&show, Some(&path)).expect("path");
        assert_eq!(shown, format!("{}\n", path.display()));
        assert!(!path.exists(), "--path writes nothing");
        let first = config(&init, Some(&path)).expect("init");
        assert_eq!(first, format!("wrote {}\n", path.display()));
        std::fs::write(&path, "width: 70\n").expect("edit");
        let second = config(&init, Some(&path)).expect("init again");
        assert!(second.contains("already exists"), "{second}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "width: 70\n");
        let err = config(&show, None).expect_err("no folder");
        assert!(err.to_string().contains("FOLIO_CONFIG_DIR"), "{err}");
    }
}
