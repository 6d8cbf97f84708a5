//! Which tag keys are ours: `canary-deploy:<n>` on an ALB or Lattice listener or rule (one
//! record per resource), `canary-deploy:<alias>:<n>` on a Lambda function, whose tags are shared
//! by all its aliases (Lambda tags functions, not aliases), so that two aliases of one function
//! keep two records side by side.
//!
//! An alias name is never all digits (AWS's pattern for alias names), so the two kinds of keys
//! never collide: to the resource key space `canary-deploy:live:0` is someone else's tag (it
//! counts against the 50-tag limit and is never touched), and the other way round.

use super::encode::KEY_PREFIX;

/// The prefix of one record's chunk keys; the chunk index follows in decimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpace {
    prefix: String,
}

impl Default for KeySpace {
    /// `canary-deploy:<n>`: the one record on a listener or rule.
    fn default() -> KeySpace {
        KeySpace {
            prefix: KEY_PREFIX.to_string(),
        }
    }
}

impl KeySpace {
    /// `canary-deploy:<alias>:<n>`: the record of one alias in its function's tags.
    pub fn alias(alias: &str) -> KeySpace {
        KeySpace {
            prefix: format!("{KEY_PREFIX}{alias}:"),
        }
    }

    /// `canary-deploy:` or `canary-deploy:<alias>:`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The key of chunk `index`.
    pub fn chunk_key(&self, index: usize) -> String {
        format!("{}{index}", self.prefix)
    }

    /// The chunk index a key of this space names (`…:7` → 7); None for any other key.
    pub fn chunk_index(&self, key: &str) -> Option<usize> {
        let digits = key.strip_prefix(&self.prefix)?;
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        canonical.then(|| digits.parse().ok()).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_keys_are_unchanged() {
        let keys = KeySpace::default();
        assert_eq!(keys.chunk_key(0), "canary-deploy:0");
        assert_eq!(keys.chunk_index("canary-deploy:12"), Some(12));
        assert_eq!(keys.chunk_index("canary-deploy:live:0"), None);
        assert_eq!(keys.chunk_index("canary-deploy:01"), None);
    }

    #[test]
    fn alias_keys_are_per_alias() {
        let live = KeySpace::alias("live");
        assert_eq!(live.prefix(), "canary-deploy:live:");
        assert_eq!(live.chunk_key(3), "canary-deploy:live:3");
        assert_eq!(live.chunk_index("canary-deploy:live:3"), Some(3));
        assert_eq!(live.chunk_index("canary-deploy:beta:3"), None);
        assert_eq!(live.chunk_index("canary-deploy:3"), None);
        assert_eq!(live.chunk_index("canary-deploy:live:x"), None);
        assert_eq!(
            KeySpace::alias("live-2").chunk_index("canary-deploy:live:2"),
            None
        );
    }
}
