//! The user's configuration file, `<config dir>/folio/config.yaml`.
//!
//! At this stage only `collection` is read (the folder `folio` opens with no PATH);
//! other keys are left for the theme and configuration work to interpret.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Config {
    pub collection: Option<PathBuf>,
}

/// The folder holding `config.yaml`: `$FOLIO_CONFIG_DIR`, else `<config dir>/folio`.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("FOLIO_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::config_dir().map(|d| d.join("folio")),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// Reads the config file; a missing file is the default config.
pub fn load() -> Result<Config, ConfigError> {
    match config_dir() {
        Some(dir) => load_from(&dir.join("config.yaml")),
        None => Ok(Config::default()),
    }
}

pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(ConfigError {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
        }
    };
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let mut config: Config = serde_yaml::from_str(&text).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    // `~/posts` is how people write paths in config files.
    if let Some(collection) = &config.collection
        && let (Ok(rest), Some(home)) = (collection.strip_prefix("~"), dirs::home_dir())
    {
        config.collection = Some(home.join(rest));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_default_and_collection_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        assert!(
            load_from(&path)
                .expect("missing is fine")
                .collection
                .is_none()
        );
        std::fs::write(&path, "collection: /srv/blog\ntheme: dark\n").expect("write");
        assert_eq!(
            load_from(&path).expect("parses").collection,
            Some(PathBuf::from("/srv/blog"))
        );
    }

    #[test]
    fn bad_yaml_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, "collection: [unclosed\n").expect("write");
        let err = load_from(&path).expect_err("bad yaml").to_string();
        assert!(err.contains("config.yaml"), "{err}");
    }
}
