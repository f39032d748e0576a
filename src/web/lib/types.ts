import type { Role } from '../../domain/roles.js';
import type { NumberingScope, NumberingStyle } from '../../domain/numbering.js';
import type { DepartmentKind, ReorgKind } from '../../domain/department.js';
import type { ProjectCategory } from '../../domain/schemas.js';
import type { Era2019 } from '../../domain/fiscal-year.js';

// Shapes of the API's answers, as the SPA reads them.

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

export interface User extends Omit<SessionUser, 'loginName'> {
  loginName: string;
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
  origin: { kind: ReorgKind; effectiveYear: number; fromNames: string[]; fromIds: number[] } | null;
  successors: { effectiveYear: number; kind: ReorgKind; toIds: number[]; toNames: string[] }[];
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
  subPlanIds: number[];
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
