/**
 * The in-memory search of standards, for `MemoryStore` (memory.ts): it mirrors `sopSearchRepository` of
 * src/db/sop-search-repository.ts over the store's tables — standards not retired, their current version (newest
 * release, else the baseline), every word a part of the key, title or that version's text whatever its case, ranked
 * by the exact key, then words in the key or title, then the most recently current.
 */
import type { Sop, SopRelease, SopSearchHit, SopSearchRepository, SopText } from '../../src/ports.ts';

const BEFORE = 150;
const WINDOW = 450;

export function sopSearchRepository(
  sops: Map<string, Sop>,
  releases: Map<number, Pick<SopRelease, 'sopKey' | 'major' | 'minor' | 'publishedAt'>>,
  texts: readonly SopText[],
): SopSearchRepository {
  const current = (sop: Sop) => {
    const versions = [...releases.values()]
      .filter((r) => r.sopKey === sop.key)
      .map((r) => ({ major: r.major, minor: r.minor, since: r.publishedAt }));
    if (sop.baseline) versions.push({ major: 1, minor: 0, since: sop.createdAt });
    return versions.sort((a, b) => b.major - a.major || b.minor - a.minor)[0];
  };
  return {
    async search({ words, key, limit }) {
      const hits: SopSearchHit[] = [];
      for (const sop of sops.values()) {
        const version = current(sop);
        if (sop.retiredAt || !version) continue;
        const text =
          texts.find((t) => t.sopKey === sop.key && t.major === version.major && t.minor === version.minor)?.text ?? '';
        const holds = (field: string, word: string) => field.toLowerCase().includes(word);
        if (!words.every((w) => holds(sop.key, w) || holds(sop.title, w) || holds(text, w))) continue;
        const found = words.map((w) => text.toLowerCase().indexOf(w)).filter((i) => i >= 0);
        const start = Math.max((found.length > 0 ? Math.min(...found) : 0) - BEFORE, 0);
        hits.push({
          key: sop.key,
          title: sop.title,
          version: { major: version.major, minor: version.minor },
          since: new Date(version.since),
          inName: words.filter((w) => holds(sop.key, w) || holds(sop.title, w)).length,
          excerpt: text.slice(start, start + WINDOW),
          excerptAt: start,
          textLength: text.length,
        });
      }
      return hits
        .sort(
          (a, b) =>
            Number(b.key === key) - Number(a.key === key) ||
            b.inName - a.inName ||
            b.since.getTime() - a.since.getTime() ||
            (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
        )
        .slice(0, limit);
    },
  };
}
