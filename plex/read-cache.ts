// Plex reads kept for a while inside one client (one worker process), so that a burst of invoices from one
// supplier does not spend Plex's ~200 calls a minute reading the same lists again. A load in flight is
// shared by every caller; a failed load is forgotten at once, so the next caller asks Plex again.

export interface ReadCache<K, V> {
  /** The value read at most maxAgeMs ago (default: the cache's time to live), else a fresh load. */
  get(key: K, load: () => Promise<V>, maxAgeMs?: number): Promise<V>;
  /** A loaded value at most maxAgeMs old, without loading; undefined when there is none. */
  peek(key: K, maxAgeMs?: number): V | undefined;
  /** Every loaded value at most the time to live old. */
  fresh(): V[];
  /** Replace a loaded value in place (the reading time stays), e.g. with what a write returned. */
  update(key: K, change: (value: V) => V): void;
  /** Keys whose loaded value satisfies the predicate. */
  keysWhere(predicate: (value: V) => boolean): K[];
}

interface Entry<V> {
  at: number;
  pending: Promise<V>;
  loaded?: { value: V };
}

export function createReadCache<K, V>(ttlMs: number, now: () => number): ReadCache<K, V> {
  const entries = new Map<K, Entry<V>>();
  const young = (entry: Entry<V>, maxAgeMs: number) => now() - entry.at < maxAgeMs;

  return {
    get(key, load, maxAgeMs = ttlMs) {
      const cached = entries.get(key);
      if (cached && young(cached, maxAgeMs)) return cached.pending;
      // Drop what has expired, so a long-running worker keeps only what it may still use.
      for (const [other, entry] of entries) if (!young(entry, ttlMs)) entries.delete(other);
      const entry: Entry<V> = { at: now(), pending: load() };
      entry.pending.then(
        (value) => {
          entry.loaded = { value };
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      entries.set(key, entry);
      return entry.pending;
    },
    peek(key, maxAgeMs = ttlMs) {
      const cached = entries.get(key);
      return cached?.loaded && young(cached, maxAgeMs) ? cached.loaded.value : undefined;
    },
    fresh() {
      const values: V[] = [];
      for (const entry of entries.values()) if (entry.loaded && young(entry, ttlMs)) values.push(entry.loaded.value);
      return values;
    },
    update(key, change) {
      const entry = entries.get(key);
      if (!entry?.loaded) return;
      const value = change(entry.loaded.value);
      entry.loaded = { value };
      entry.pending = Promise.resolve(value);
    },
    keysWhere(predicate) {
      return [...entries].filter(([, entry]) => entry.loaded && predicate(entry.loaded.value)).map(([key]) => key);
    },
  };
}
