import { z } from 'zod';
import { mappingSchema } from '../../domain/import/schemas.js';
import { layoutInput } from '../../domain/report/layout.js';
import type { ReportDocument } from '../../domain/report/build.js';
import { RECORD_STATUSES } from '../../domain/cycle.js';
import { categoriesInput, customFieldsInput } from '../../domain/schemas.js';

/**
 * JSON columns read back through their schemas, in one place: a row that does not read is an error
 * that names the column, never a value of the wrong shape passed on under a cast.
 */
function reader<S extends z.ZodType>(schema: S, column: string) {
  return (text: string): z.output<S> => {
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${column} の保存内容が読めません: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  };
}

const stringList = z.array(z.string());

export const readJson = {
  actualParts: reader(
    z.array(z.object({ label: z.string(), value: z.number().nullable(), text: z.string() })),
    'indicator_actuals.parts',
  ),
  /** a record as history keeps it (see records.repository snapshot) */
  recordSnapshot: reader(z.record(z.string(), z.unknown()), 'record_history'),
  importMapping: reader(mappingSchema, 'import_mappings.definition'),
  reportLayout: reader(layoutInput, 'report_layouts.definition'),
  /** stored by publishing from a built document; only its outline is checked on the way back */
  reportDocument: reader(
    z.object({ title: z.string(), sheets: z.array(z.unknown()), columns: z.array(z.unknown()) }).loose(),
    'report_snapshots.document',
  ) as unknown as (text: string) => ReportDocument,
  statusCounts: reader(z.partialRecord(z.enum(RECORD_STATUSES), z.number()), 'report_snapshots.status_counts'),
  reorgNames: reader(z.object({ from: stringList, to: stringList }), 'department_changes.names'),
  previousActiveTo: reader(z.record(z.string(), z.number().nullable()), 'department_changes.previous_active_to'),
  auditDetail: reader(z.unknown(), 'audit_log.detail'),
  categories: reader(categoriesInput, 'plans.categories'),
  customFields: reader(customFieldsInput, 'plans.custom_fields'),
  /** values as stored: already read against their fields when written */
  customValues: reader(
    z.record(z.string(), z.union([z.string(), z.number(), z.record(z.string(), z.string())])),
    'custom',
  ),
};
