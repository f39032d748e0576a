import type { Department, PlanDetail } from '../../lib/types.js';
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
export function unitOptions(departments: Department[], picked: (number | null)[]): UnitOption[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  return departments
    .filter((d) => d.kind === 'ka' && (d.activeTo === null || picked.includes(d.id)))
    .map((d) => ({
      value: d.id,
      label: d.activeTo === null ? d.name : `${d.name}（${d.activeTo}年度まで）`,
      group: d.parentId ? byId.get(d.parentId)?.name : undefined,
    }));
}

/** The nodes a project may be placed or listed under, in tree order; its own node is not a 再掲先. */
export function nodeOptions(plan: PlanDetail, ownNodeId: number): TreeOption[] {
  return treeOptions(plan.nodes, { disabled: (n) => n.id === ownNodeId });
}
