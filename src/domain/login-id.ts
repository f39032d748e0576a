/**
 * A login ID in its one stored form: NFKC (full-width letters and digits become half-width), every
 * kind of space removed (ASCII, tab, 全角スペース U+3000, no-break space, zero-width), lower case.
 * The login form, the throttle and the account list all compare this form, so 「ａｄｍｉｎ」,
 * 「 admin\t」 and 「ADMIN」 are one account and one counter.
 */
export function normalizeLoginId(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g, '')
    .toLowerCase();
}
