/**
 * Incremental search as the screens do it: what is typed is split into words, and a thing matches when
 * every word is found in one of its texts (its printed number, title, 課 name…), whatever the width of
 * the characters (１２ = 12, ＤＶ = dv) or their case.
 */

/** Text as compared: NFKC (full-width to half-width), lower case, no spaces. */
export function searchable(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The words of a query, as compared; none for an empty query. */
export function searchWords(query: string): string[] {
  return query
    .normalize('NFKC')
    .split(/\s+/)
    .map(searchable)
    .filter((w) => w !== '');
}

/** Whether every word of the query is found in one of the texts; an empty query matches everything. */
export function matchesSearch(query: string | string[], ...texts: (string | null | undefined)[]): boolean {
  const words = typeof query === 'string' ? searchWords(query) : query;
  if (words.length === 0) return true;
  const hay = texts.filter((t): t is string => !!t).map(searchable);
  return words.every((w) => hay.some((h) => h.includes(w)));
}

/**
 * The text cut where the query's words are found, for marking them: the parts alternate between
 * not found and found, starting with not found. Characters compared as `searchable` does, one by one,
 * so that the parts are pieces of the text as written.
 */
export function highlightParts(text: string, query: string | string[]): string[] {
  const words = typeof query === 'string' ? searchWords(query) : query;
  if (words.length === 0 || text === '') return [text];
  const chars = [...text];
  const folded = chars.map((c) => searchable(c));
  const hit = new Array<boolean>(chars.length).fill(false);
  /** how many characters from `start` spell the word, or 0 */
  const spelled = (w: string, start: number): number => {
    let matched = '';
    let end = start;
    while (end < chars.length && matched.length < w.length && w.startsWith(matched + folded[end]!))
      matched += folded[end++]!;
    return matched === w ? end - start : 0;
  };
  for (const w of words)
    for (let start = 0; start < chars.length; start++) hit.fill(true, start, start + spelled(w, start));
  const parts: string[] = [''];
  let found = false;
  chars.forEach((c, i) => {
    if (hit[i] !== found) {
      parts.push('');
      found = hit[i]!;
    }
    parts[parts.length - 1] += c;
  });
  return parts;
}
