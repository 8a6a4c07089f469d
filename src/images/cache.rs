//! A map that keeps what was used last within a budget of bytes: decoded and encoded
//! images are large, a post can have hundreds, and memory must stay bounded whatever
//! the collection holds. An entry larger than the whole budget is not kept at all.

use std::collections::HashMap;
use std::hash::Hash;

#[derive(Debug, Clone)]
pub struct Budgeted<K, V> {
    budget: usize,
    used: usize,
    clock: u64,
    entries: HashMap<K, Entry<V>>,
}

#[derive(Debug, Clone)]
struct Entry<V> {
    value: V,
    bytes: usize,
    used_at: u64,
}

impl<K: Hash + Eq + Clone, V> Budgeted<K, V> {
    pub fn new(budget: usize) -> Self {
        Budgeted {
            budget,
            used: 0,
            clock: 0,
            entries: HashMap::new(),
        }
    }

    /// Bytes held now (never more than the budget).
    pub fn used(&self) -> usize {
        self.used
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value, without counting it as used (drawing reads the cache, never changes it).
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.entries.get(key).map(|e| &e.value)
    }

    /// The value, counted as used now.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.clock += 1;
        let now = self.clock;
        self.entries.get_mut(key).map(|e| {
            e.used_at = now;
            &e.value
        })
    }

    pub fn contains(&self, key: &K) -> bool {
        self.entries.contains_key(key)
    }

    /// Keeps `value` as `bytes` large, dropping the least recently used entries to make
    /// room; a value over the whole budget is dropped instead. Returns whether it is kept.
    pub fn insert(&mut self, key: K, value: V, bytes: usize) -> bool {
        self.remove(&key);
        if bytes > self.budget {
            return false;
        }
        while self.used + bytes > self.budget {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used_at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.remove(&oldest);
        }
        self.clock += 1;
        self.used += bytes;
        self.entries.insert(
            key,
            Entry {
                value,
                bytes,
                used_at: self.clock,
            },
        );
        true
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let entry = self.entries.remove(key)?;
        self.used -= entry.bytes;
        Some(entry.value)
    }

    /// Drops every entry `keep` says no to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        let gone: Vec<K> = self.entries.keys().filter(|k| !keep(k)).cloned().collect();
        for key in gone {
            self.remove(&key);
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_go_first_and_the_budget_holds() {
        let mut cache = Budgeted::new(100);
        assert!(cache.insert("a", 1, 40));
        assert!(cache.insert("b", 2, 40));
        assert_eq!(cache.get(&"a"), Some(&1));
        // c needs room: b was used longest ago.
        assert!(cache.insert("c", 3, 40));
        assert!(cache.contains(&"a") && cache.contains(&"c") && !cache.contains(&"b"));
        assert_eq!(cache.used(), 80);
        // Too big for the whole budget: not kept, nothing else dropped.
        assert!(!cache.insert("d", 4, 101));
        assert_eq!(cache.len(), 2);
        // Replacing a key frees its old bytes first.
        assert!(cache.insert("a", 5, 60));
        assert_eq!(cache.used(), 100);
        assert_eq!(cache.peek(&"a"), Some(&5));
        cache.retain(|k| *k != "c");
        assert_eq!((cache.len(), cache.used()), (1, 60));
        cache.clear();
        assert!(cache.is_empty() && cache.used() == 0);
    }
}
