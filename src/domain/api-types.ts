import type { Role } from './roles.js';
import type { NumberingScope, NumberingStyle } from './numbering.js';
import type { DepartmentKind, ReorgKind, ReorgOrigin } from './department.js';
import type { ProjectCategory } from './schemas.js';
import type { Era2019 } from './fiscal-year.js';

/** The shapes the API answers with: the contract between server and SPA, written once. */

export interface SessionUser {
  id: number;
  loginName: string;
  displayName: string;
  role: Role;
  municipalityId: number | null;
  departmentId: number | null;
}

export interface Municipality {
  id: number;
  code: string;
  name: string;
  era2019: Era2019;
}

export interface Session {
  user: SessionUser | null;
  municipality?: Municipality | null;
  csrfToken: string;
}

export interface User extends SessionUser {
  active: boolean;
}

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  kind: DepartmentKind;
  activeFrom: number | null;
  activeTo: number | null;
  position: number;
  /** the reorganisation that created this unit, if any */
  origin: (ReorgOrigin & { fromIds: number[] }) | null;
  /** the reorganisations that ended this unit */
  successors: { effectiveYear: number; kind: ReorgKind; toIds: number[]; toNames: string[] }[];
  /** name with the reorganisation note, as printed in reports */
  displayName: string;
}

export interface Level {
  depth: number;
  name: string;
  numberingStyle: NumberingStyle;
  numberingScope: NumberingScope;
}

export interface PlanNode {
  id: number;
  parentId: number | null;
  depth: number;
  position: number;
  number: string;
  numberOverride: string | null;
  title: string;
  description: string;
  priority: boolean;
  /** sub-plans tagged on this node itself */
  subPlanIds: number[];
  /** tagged here or on an ancestor: a tag applies to everything below it */
  effectiveSubPlanIds: number[];
}

export interface Project {
  id: number;
  nodeId: number;
  number: string;
  name: string;
  summary: string;
  category: ProjectCategory | null;
  audience: string;
  position: number;
  leadDepartmentId: number | null;
  coDepartmentIds: number[];
  crossListNodeIds: number[];
}

export interface PlanDetail {
  plan: { id: number; title: string; slogan: string; firstYear: number; lastYear: number; subPlans: { id: number; name: string }[]; updatedAt: string };
  levels: Level[];
  nodes: PlanNode[];
  projects: Project[];
}

export interface PlanSummary {
  id: number;
  title: string;
  slogan: string;
  firstYear: number;
  lastYear: number;
  nodeCount: number;
  projectCount: number;
}
