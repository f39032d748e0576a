import type { SnapshotEntry } from '../../../domain/api-types.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import type { AppContext } from '../../context.js';
import { acrossMunicipalities, inMunicipality } from '../../db/tenant.js';
import { notFound } from '../../http/errors.js';
import { findMunicipalityByCode, listSnapshots as snapshotEntries, snapshotDocument } from './reports.repository.js';

/** What the public pages read: a municipality's publications, no login, published snapshots only. */

export interface PublicMunicipality {
  id: number;
  name: string;
  code: string;
  era2019: Era2019;
  snapshots: SnapshotEntry[];
}

export async function publicMunicipality(ctx: AppContext, code: string): Promise<PublicMunicipality> {
  // The address names a municipality by its 団体コード: found across all, then read in its own scope.
  const m = await acrossMunicipalities('public-page', () => findMunicipalityByCode(ctx.db, code));
  if (!m) throw notFound('自治体');
  return { ...m, era2019: m.era2019, snapshots: await inMunicipality(m.id, () => snapshotEntries(ctx.db, m.id)) };
}

export interface PublicSnapshot {
  municipality: { name: string; code: string };
  entry: SnapshotEntry;
  /** null where the version was withdrawn: its content is not served */
  document: ReportDocument | null;
  /** the versions of the same plan, year and layout */
  history: SnapshotEntry[];
}

export async function publicSnapshot(ctx: AppContext, code: string, snapshotId: number): Promise<PublicSnapshot> {
  const m = await publicMunicipality(ctx, code);
  const entry = m.snapshots.find((s) => s.id === snapshotId);
  if (!entry) throw notFound('公表された報告');
  const history = m.snapshots.filter(
    (s) => s.planId === entry.planId && s.fiscalYear === entry.fiscalYear && s.layout === entry.layout,
  );
  const municipality = { name: m.name, code: m.code };
  // A withdrawn report's content is not served; the page says when and why it was withdrawn.
  if (entry.withdrawnAt !== null) return { municipality, entry, document: null, history };
  return {
    municipality,
    entry,
    document: await inMunicipality(m.id, () => snapshotDocument(ctx.db, snapshotId)),
    history,
  };
}
