import { z } from 'zod';

/**
 * The corrections a user makes to a file before importing it, as data: kept with the import batch,
 * saved as a JSON fixes file from the preview and applied again by the wizard or the command line
 * (`--fixes <file>`), so that an import can be repeated exactly.
 */
const line = z.number().int().min(1);
const name = z.string().trim().min(1).max(60);

export const fixesSchema = z.object({
  version: z.literal(1).default(1),
  /** whole-line moves: the line's cells moved right (+) or left (−) */
  moves: z
    .array(z.object({ line, shift: z.number().int().min(-5).max(5) }))
    .max(5000)
    .default([]),
  /** cells typed in the preview, by source line (1-based) and column (0-based) */
  edits: z
    .array(z.object({ line, column: z.number().int().min(0).max(99), value: z.string().max(4000) }))
    .max(5000)
    .default([]),
  /** lines left out */
  excluded: z.array(line).max(100_000).default([]),
  /** automatic repairs (自動修正) the user undid, by line */
  rejected: z.array(line).max(5000).default([]),
  /**
   * Department names as written → the department meant (「人権・同和对策室」 → 「人権・同和対策室」). The
   * value '' says the words name no department (a group word such as 関係各課).
   */
  names: z
    .record(name, z.string().trim().max(60))
    .refine((v) => Object.keys(v).length <= 500, '担当課の読み替えは500までです')
    .default({}),
  /** probable misreads accepted: the word as read → the word meant (「データDV」 → 「デートDV」) */
  words: z
    .record(name, name)
    .refine((v) => Object.keys(v).length <= 500, '語の読み替えは500までです')
    .default({}),
});

export type ImportFixes = z.output<typeof fixesSchema>;

export const NO_FIXES: ImportFixes = {
  version: 1,
  moves: [],
  edits: [],
  excluded: [],
  rejected: [],
  names: {},
  words: {},
};
