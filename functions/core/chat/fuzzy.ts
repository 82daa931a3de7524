/**
 * Fuzzy task-name matching for the chat ("mark the report as done" → "Quarterly report"). Small on
 * purpose: word-level matching with prefixes and typo tolerance, no dependency.
 */

/** A candidate at least this similar can be picked. */
export const MIN_SCORE = 0.6;
/** The best candidate wins outright only this far ahead of the next one; closer is a question. */
export const CLEAR_LEAD = 0.15;
/** At most this many candidates are offered in a "which one?" question. */
export const MAX_CANDIDATES = 5;

/** Words that say nothing about which task is meant. */
const FILLER = new Set(['the', 'a', 'an', 'my', 'task', 'todo', 'one', 'called', 'named']);

/** Lower case, accents and punctuation removed, single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function words(normalized: string): string[] {
  const all = normalized.split(' ').filter(Boolean);
  const meaningful = all.filter((w) => !FILLER.has(w));
  return meaningful.length > 0 ? meaningful : all;
}

/** Classic edit distance (insert, delete, substitute), two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** 1 − distance / longer length. */
function ratio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
}

/** How well one query word matches one name word. */
function wordScore(q: string, n: string): number {
  if (q === n) return 1;
  // "doc" for "documentation"; very short prefixes ("a", "re") say too little.
  if (q.length >= 3 && n.startsWith(q)) return 0.9;
  if (n.length >= 3 && q.startsWith(n)) return 0.85;
  // "docs" for "documentation", "reports" for "report".
  const stem = q.length > 3 && q.endsWith('s') ? q.slice(0, -1) : q;
  if (stem !== q && n.startsWith(stem)) return 0.85;
  // Typos: one edit in a short word, two in a longer one.
  const r = ratio(q, n);
  return r >= 0.75 ? r * 0.9 : 0;
}

/**
 * 0..1. Mostly "how much of the query is in the name" (a user names a task by part of it), a
 * little "how much of the name the query covers" (so an exact name beats a longer one containing
 * it), and never below the whole-string similarity (typos across word boundaries).
 */
export function similarity(query: string, name: string): number {
  const q = normalize(query);
  const n = normalize(name);
  if (!q || !n) return 0;
  if (q === n) return 1;
  const qw = words(q);
  const nw = words(n);
  const best = qw.map((w) => Math.max(...nw.map((v) => wordScore(w, v))));
  const recall = best.reduce((s, x) => s + x, 0) / qw.length;
  const covered = nw.filter((v) => qw.some((w) => wordScore(w, v) > 0)).length / nw.length;
  const wordLevel = recall === 0 ? 0 : Math.min(0.99, 0.75 * recall + 0.25 * covered);
  return Math.max(wordLevel, ratio(q, n) * 0.95);
}

export type MatchResult<T> =
  | { readonly kind: 'unique'; readonly item: T; readonly score: number }
  | { readonly kind: 'ambiguous'; readonly items: readonly T[] }
  | { readonly kind: 'none' };

/**
 * The item `query` names: the best-scoring one when it is clearly ahead, a short list when
 * several are about as good (the assistant then asks), or none.
 */
export function bestMatch<T>(query: string, items: readonly T[], nameOf: (item: T) => string): MatchResult<T> {
  const scored = items
    .map((item) => ({ item, score: similarity(query, nameOf(item)) }))
    .filter((s) => s.score >= MIN_SCORE)
    .toSorted((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first) return { kind: 'none' };
  // Two tasks with exactly the requested name cannot be told apart by name.
  const exact = scored.filter((s) => s.score === 1);
  if (exact.length === 1) return { kind: 'unique', item: first.item, score: 1 };
  if (exact.length === 0 && (!second || first.score - second.score >= CLEAR_LEAD)) return { kind: 'unique', item: first.item, score: first.score };
  const close = scored.filter((s) => first.score - s.score < CLEAR_LEAD).slice(0, MAX_CANDIDATES);
  return { kind: 'ambiguous', items: close.map((s) => s.item) };
}
