/**
 * Roles (角色) and what each may do. Business roles report, review and read; the three
 * administrator roles are kept apart (三权分立, GB/T 22239-2019 8.1.4.2 / 8.1.5: system,
 * security and audit administrators): the system admin configures the system but cannot
 * read the audit log or grant roles; the security admin grants roles but enters no data;
 * the audit admin only reads and verifies the audit log.
 *
 * Every role is granted *at an org unit* (DHIS2's lesson: the scope is data, checked
 * in the API): a grant at the city covers every district and school, a grant at a
 * district covers its schools, a grant at a school covers that school only.
 */

export const roles = [
  'school_reporter', // 学校填报员 (a district's data system may hold it at district scope to push for its schools)
  'district_reviewer', // 区教育局审核员
  'city_admin', // 市教委管理员
  'supervisor', // 督导
  'analyst', // 只读分析员
  'credit_officer', // 学分银行经办人 (an institution's: registers outcomes, reviews recognitions)
  'learning_reporter', // 学习点填报员 (a learning centre's or 老年学校's: sends its learning events)
  'system_admin', // 系统管理员
  'security_admin', // 安全管理员
  'audit_admin', // 审计管理员
] as const;
export type Role = (typeof roles)[number];

export const roleNames: Readonly<Record<Role, { zh: string; en: string }>> = {
  school_reporter: { zh: '学校填报员', en: 'School reporter' },
  district_reviewer: { zh: '区审核员', en: 'District reviewer' },
  city_admin: { zh: '市级管理员', en: 'City administrator' },
  supervisor: { zh: '督导人员', en: 'Supervisor' },
  analyst: { zh: '只读分析员', en: 'Read-only analyst' },
  credit_officer: { zh: '学分银行经办人', en: 'Credit bank officer' },
  learning_reporter: { zh: '学习点填报员', en: 'Learning centre reporter' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  audit_admin: { zh: '审计管理员', en: 'Audit administrator' },
};

/** The three administrator roles: an account holding one holds nothing else (separation of duties). */
export const adminRoles: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin'];

/**
 * Roles that must use a second factor (L3-CES1-04: two authentication techniques, one
 * cryptographic, at least for privileged roles): everything above the school.
 */
export const totpRoles: readonly Role[] = ['district_reviewer', 'city_admin', 'supervisor', 'system_admin', 'security_admin', 'audit_admin'];

/** What an action needs. Scope is checked separately against the object's org unit. */
export const actions = {
  'submission.read': ['school_reporter', 'district_reviewer', 'city_admin', 'supervisor', 'analyst'],
  'submission.edit': ['school_reporter'],
  'submission.submit': ['school_reporter'],
  'submission.approve': ['district_reviewer'],
  'submission.return': ['district_reviewer', 'city_admin'],
  'submission.lock': ['city_admin'],
  'submission.reopen': ['city_admin'],
  'progress.read': ['district_reviewer', 'city_admin', 'supervisor', 'analyst'],
  'deadline.set': ['city_admin'],
  // 学生体测/视力记录导入: a district's reviewer for its own schools, the city for all (scope checked per school).
  'student_records.import': ['district_reviewer', 'city_admin'],
  // 发布: the city releases a year's figures to the public, and sets the completeness each form needs.
  'release.create': ['city_admin'],
  // 口径选项: which units an uncertain indicator definition counts (core/indicators/scope.ts).
  'indicator.scope': ['city_admin'],
  // 规划实施 (docs/plan-execution.md): owners read and report on the items their unit owns (a
  // district only its own, 四、(一)「明确分工，落实责任」); the city assigns owners and reviews.
  'plan.read': ['district_reviewer', 'city_admin', 'supervisor', 'analyst'],
  'plan.report': ['district_reviewer', 'city_admin'],
  'plan.review': ['city_admin'],
  'plan.assign': ['city_admin'],
  // 名录: a district keeps the entries of its district in a district-kept registry; the city approves.
  'registry.edit': ['district_reviewer', 'city_admin'],
  // 评估报告: the planning office writes the reports' narratives and publishes them (四、(四) 及时向社会公布规划实施进展情况).
  'report.edit': ['city_admin'],
  'report.publish': ['city_admin'],
  // 意见建议 and 发布动态 (docs/portal.md): the city moderates the public's messages and publishes announcements.
  'feedback.moderate': ['city_admin'],
  'announcement.publish': ['city_admin'],
  // 学分银行 (docs/credit-bank.md): an institution's officer registers its learners' outcomes,
  // issues their credentials and reviews the recognitions it receives — at its own org unit
  // only; a district's reviewer and the city read what lies in their scope; the city keeps the
  // framework and the conversion rules (三、(七)「建立学分认定标准体系」) and may revoke.
  'credit.register': ['credit_officer'],
  'credit.review': ['credit_officer'],
  'credit.read': ['credit_officer', 'district_reviewer', 'city_admin', 'analyst'],
  'credit.rules': ['city_admin'],
  'credit.revoke': ['credit_officer', 'city_admin'],
  // 学习活动记录: a centre sends the events of its own unit and the units beneath it (scope checked per centre).
  'learning.import': ['learning_reporter', 'district_reviewer', 'city_admin'],
  'account.manage': ['security_admin'],
  'role.grant': ['security_admin'],
  'audit.read': ['audit_admin'],
  'audit.verify': ['audit_admin'],
  // 审计锚点: a signed checkpoint of the chain's head, kept outside the database.
  'audit.checkpoint': ['audit_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof actions;

/** One role held at one org unit. */
export interface Grant {
  readonly role: Role;
  readonly orgCode: string;
}

/** The org unit an object belongs to, with its ancestors (school → district → city). */
export interface OrgPath {
  readonly code: string;
  /** Codes of the unit itself and every ancestor up to the city. */
  readonly lineage: readonly string[];
}

export function isRole(s: string): s is Role {
  return (roles as readonly string[]).includes(s);
}

/** Does the account hold a role allowed to do `action` anywhere? (function-level check) */
export function mayDo(grants: readonly Grant[], action: Action): boolean {
  const allowed: readonly Role[] = actions[action];
  return grants.some((g) => allowed.includes(g.role));
}

/**
 * Does the account hold a role allowed to do `action` *at this org unit*? (object-level
 * check, ASVS 8.2.2): a grant covers the unit when the grant's org is the unit or an ancestor.
 */
export function mayDoAt(grants: readonly Grant[], action: Action, org: OrgPath): boolean {
  const allowed: readonly Role[] = actions[action];
  return grants.some((g) => allowed.includes(g.role) && org.lineage.includes(g.orgCode));
}

/**
 * The org units an account may do `action` at: null when a grant at the top of the tree
 * (`rootCode`, the city) covers everything, else the codes of its grants (a district's code
 * covers its schools).
 */
export function scopeCodes(grants: readonly Grant[], action: Action, rootCode: string): string[] | null {
  if (grants.some((g) => g.orgCode === rootCode && mayDo([g], action))) return null;
  return grants.filter((g) => mayDo([g], action)).map((g) => g.orgCode);
}

export function needsTotp(grants: readonly Grant[]): boolean {
  return grants.some((g) => totpRoles.includes(g.role));
}

/**
 * Why a set of grants is not allowed, or null. An administrator role is never combined
 * with another role on one account (三权分立), and administrator roles are city-wide.
 */
export function grantConflict(grants: readonly Grant[], cityCode: string): { zh: string; en: string } | null {
  const admin = grants.filter((g) => adminRoles.includes(g.role));
  if (admin.length > 0 && grants.length > admin.length) {
    return { zh: '管理员角色（系统、安全、审计）不能与其他角色同时授予同一账号', en: 'An administrator role (system, security, audit) cannot be combined with any other role on one account' };
  }
  if (new Set(admin.map((g) => g.role)).size > 1) {
    return { zh: '系统、安全、审计管理员必须由不同账号担任（三权分立）', en: 'System, security and audit administrators must be different accounts (separation of duties)' };
  }
  const notCity = admin.find((g) => g.orgCode !== cityCode);
  if (notCity) return { zh: '管理员角色只能授予在市级', en: 'Administrator roles are granted at the city level only' };
  const cityOnly = grants.find((g) => g.role === 'city_admin' && g.orgCode !== cityCode);
  if (cityOnly) return { zh: '市级管理员角色只能授予在市级', en: 'The city administrator role is granted at the city level only' };
  return null;
}
