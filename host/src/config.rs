//! The user's config file (`config.toml` in the config directory), for
//! defaults a security team sets once: the packs a plain `host scan` runs.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

const CONFIG_FILE: &str = "config.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Installed packs `host scan` runs when given no --plugins or --pack.
    #[serde(default)]
    pub packs: Vec<String>,
    #[serde(skip)]
    pub path: PathBuf,
}

impl Config {
    pub fn read(config_dir: &Path) -> anyhow::Result<Config> {
        let path = config_dir.join(CONFIG_FILE);
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<Config>(&text)
                .with_context(|| format!("{} is not a valid config file", path.display()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        config.path = path;
        Ok(config)
    }
}
