import type { Department, PlanDetail } from '../../lib/types.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import { formatEraYear } from '../../lib/dates.js';
import { treeOptions, type TreeOption } from '../../lib/node-options.js';

export interface UnitOption {
  value: number;
  label: string;
  /** the 部 the 課 belongs to */
  group: string | undefined;
}

/**
 * The 課 a project may be given: those that exist now, and those picked already (ended ones say until
 * when), each under its 部.
 */
export function unitOptions(departments: Department[], picked: (number | null)[], era: Era2019): UnitOption[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  return departments
    .filter((d) => d.kind === 'ka' && (d.activeTo === null || picked.includes(d.id)))
    .map((d) => ({
      value: d.id,
      label: d.activeTo === null ? d.name : `${d.name}（${formatEraYear(d.activeTo, era)}まで）`,
      group: d.parentId ? byId.get(d.parentId)?.name : undefined,
    }));
}

/** The nodes a project may be placed or listed under, in tree order; its own node is not a 再掲先. */
export function nodeOptions(plan: PlanDetail, ownNodeId: number): TreeOption[] {
  return treeOptions(plan.nodes, { disabled: (n) => n.id === ownNodeId });
}
