//! What changed between two versions of a pack: the checks added, removed
//! and changed (their component's bytes differ), by id. `host pack diff`
//! shows it with the CIS ids; install and update say it in one line, so an
//! update never changes what is audited silently.

use std::collections::BTreeMap;

use super::manifest::Manifest;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    pub fn between(old: &Manifest, new: &Manifest) -> Changes {
        let (old, new) = (component_hashes(old), component_hashes(new));
        let mut changes = Changes::default();
        for (id, hash) in &new {
            match old.get(id) {
                None => changes.added.push(id.to_string()),
                Some(old_hash) if old_hash != hash => changes.changed.push(id.to_string()),
                Some(_) => {}
            }
        }
        changes.removed = old
            .keys()
            .filter(|id| !new.contains_key(*id))
            .map(|id| id.to_string())
            .collect();
        changes
    }

    /// One line: `1 added (a), 2 changed (b, c)`, or `no check changed`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
        ]
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(label, ids)| format!("{} {label} ({})", ids.len(), ids.join(", ")))
        .collect();
        if parts.is_empty() {
            "no check changed".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Check id -> sha256 of its component.
fn component_hashes(manifest: &Manifest) -> BTreeMap<&str, &str> {
    manifest
        .checks
        .iter()
        .map(|check| {
            let hash = manifest
                .file(&check.component)
                .map_or("", |file| file.sha256.as_str());
            (check.id.as_str(), hash)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(checks: &[(&str, &str)]) -> Manifest {
        let mut text = String::from(
            "[pack]\nname = \"acme/x\"\nversion = \"1.0.0\"\ndescription = \"d\"\nlicense = \"MIT\"\napi = \"^1\"\n",
        );
        for (id, hash) in checks {
            text.push_str(&format!(
                "[[check]]\nid = \"{id}\"\ncomponent = \"{id}.wasm\"\n[[file]]\npath = \"{id}.wasm\"\nsha256 = \"{}\"\nsize = 1\n",
                hash.repeat(64)
            ));
        }
        Manifest::parse(&text).unwrap()
    }

    #[test]
    fn checks_are_added_removed_and_changed_by_their_component_hash() {
        let old = manifest(&[("kept", "a"), ("gone", "b"), ("edited", "c")]);
        let new = manifest(&[("kept", "a"), ("edited", "d"), ("fresh", "e")]);
        let changes = Changes::between(&old, &new);
        assert_eq!(changes.added, ["fresh"]);
        assert_eq!(changes.removed, ["gone"]);
        assert_eq!(changes.changed, ["edited"]);
        assert_eq!(
            changes.summary(),
            "1 added (fresh), 1 removed (gone), 1 changed (edited)"
        );
        assert_eq!(Changes::between(&old, &old).summary(), "no check changed");
    }
}
