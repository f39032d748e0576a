/** A plan's words that the SPA shows, with no schemas (those are in schemas.ts): the SPA stays free of zod. */

export const PROJECT_CATEGORIES = ['新規', '継続', '充実', '見直し'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

/** Whether a text (a cell of an imported file, a stored column) is one of the categories. */
export function isProjectCategory(x: string | null | undefined): x is ProjectCategory {
  return PROJECT_CATEGORIES.some((c) => c === x);
}
