import type { StrayEvaluationDto } from '../../../domain/api-types.js';
import { findSlot, orphanEntries, type EvaluationConfig } from '../../../domain/evaluation/index.js';
import type { DbOrTx } from '../../db/types.js';
import type { evaluatePlanYear } from './year-facts.js';

/**
 * Entered evaluations of a year whose subject the year no longer has (a project archived or ended, a node
 * gone, an answer no longer asked): neither printed nor counted, so listed for the coordinating section by
 * what they were entered on — never dropped without a word.
 */
export async function strayEvaluations(
  db: DbOrTx,
  year: Awaited<ReturnType<typeof evaluatePlanYear>>,
): Promise<StrayEvaluationDto[]> {
  const stray = orphanEntries(year.evaluations, year.facts);
  if (stray.length === 0) return [];
  const ids = (kind: string) => [...new Set(stray.filter((e) => e.subjectKind === kind).map((e) => e.subjectId)), -1];
  const [projects, nodes, indicators, departments] = await Promise.all([
    db
      .selectFrom('projects')
      .select(['id', 'number', 'name'])
      .where('id', 'in', [...ids('record'), ...ids('project')])
      .execute(),
    db.selectFrom('plan_nodes').select(['id', 'title']).where('id', 'in', ids('node')).execute(),
    db.selectFrom('indicators').select(['id', 'name']).where('id', 'in', ids('indicator')).execute(),
    db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(stray.map((e) => e.departmentId)), -1])
      .execute(),
  ]);
  const project = new Map(projects.map((p) => [p.id, `事業${p.number} ${p.name}`]));
  const subject: Record<string, (id: number) => string> = {
    record: (id) => project.get(id) ?? '',
    project: (id) => project.get(id) ?? '',
    node: (id) => nodes.find((n) => n.id === id)?.title ?? '',
    indicator: (id) => indicators.find((i) => i.id === id)?.name ?? '',
    plan: () => '計画全体',
  };
  return stray.map((e) => ({
    slotKey: e.slotKey,
    slotName: slotName(year.config, e.slotKey),
    subjectKind: e.subjectKind,
    subjectId: e.subjectId,
    subject: subject[e.subjectKind]!(e.subjectId),
    department: departments.find((d) => d.id === e.departmentId)?.name ?? null,
    code: e.code,
    comment: e.comment,
  }));
}

const slotName = (config: EvaluationConfig, key: string) => findSlot(config, key)?.name ?? key;
