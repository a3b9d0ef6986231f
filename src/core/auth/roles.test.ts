import { describe, expect, it } from 'vitest';
import { grantConflict, mayDo, mayDoAt, needsTotp, type Grant } from './roles.ts';
import { passwordProblems } from './password-policy.ts';

const school = { code: '1201010001', lineage: ['1201010001', '120101', '120000'] };
const otherSchool = { code: '1201020001', lineage: ['1201020001', '120102', '120000'] };

describe('roles and scope', () => {
  it('a grant covers its org unit and everything below it, nothing beside it', () => {
    const district: Grant[] = [{ role: 'district_reviewer', orgCode: '120101' }];
    expect(mayDoAt(district, 'submission.approve', school)).toBe(true);
    expect(mayDoAt(district, 'submission.approve', otherSchool)).toBe(false);
    expect(mayDoAt([{ role: 'city_admin', orgCode: '120000' }], 'submission.lock', otherSchool)).toBe(true);
    expect(mayDoAt([{ role: 'school_reporter', orgCode: '1201010001' }], 'submission.edit', school)).toBe(true);
    expect(mayDoAt([{ role: 'school_reporter', orgCode: '1201010001' }], 'submission.approve', school)).toBe(false);
  });

  it('keeps the three administrators apart from data and from each other', () => {
    expect(mayDo([{ role: 'system_admin', orgCode: '120000' }], 'audit.read')).toBe(false);
    expect(mayDo([{ role: 'system_admin', orgCode: '120000' }], 'role.grant')).toBe(false);
    expect(mayDo([{ role: 'security_admin', orgCode: '120000' }], 'submission.edit')).toBe(false);
    expect(mayDo([{ role: 'audit_admin', orgCode: '120000' }], 'audit.verify')).toBe(true);
    expect(mayDo([{ role: 'audit_admin', orgCode: '120000' }], 'account.manage')).toBe(false);
    expect(grantConflict([{ role: 'security_admin', orgCode: '120000' }, { role: 'analyst', orgCode: '120000' }], '120000')).not.toBeNull();
    expect(grantConflict([{ role: 'security_admin', orgCode: '120000' }, { role: 'audit_admin', orgCode: '120000' }], '120000')).not.toBeNull();
    expect(grantConflict([{ role: 'audit_admin', orgCode: '120101' }], '120000')).not.toBeNull();
    expect(grantConflict([{ role: 'city_admin', orgCode: '120101' }], '120000')).not.toBeNull();
    expect(grantConflict([{ role: 'school_reporter', orgCode: '1201010001' }, { role: 'analyst', orgCode: '120101' }], '120000')).toBeNull();
  });

  it('asks district and city roles for a second factor, not schools or analysts', () => {
    expect(needsTotp([{ role: 'school_reporter', orgCode: '1201010001' }, { role: 'analyst', orgCode: '120000' }])).toBe(false);
    expect(needsTotp([{ role: 'district_reviewer', orgCode: '120101' }])).toBe(true);
    expect(needsTotp([{ role: 'city_admin', orgCode: '120000' }])).toBe(true);
  });
});

describe('password rules', () => {
  const rules = (pw: string, username = 'wang.fang'): string[] => passwordProblems(pw, { username }).map((p) => p.rule);
  it.each([
    ['Lantern-River-2024', []],
    ['short1A!', ['password_length']],
    ['alllowercaseletters', ['password_classes']],
    ['P@ssw0rd', ['password_length', 'password_common']],
    ['Password123', ['password_common']],
    ['wang.fang-2024A', ['password_context']],
    ['Tianjin-School-1', ['password_context']],
    ['天津教育Abc12345', ['password_context']],
  ])('%s → %j', (pw, expected) => {
    expect(rules(pw)).toEqual(expected);
  });
  it('compares long passwords whole (no truncation) and caps them at 128', () => {
    expect(rules(`${'Aa1-'.repeat(32)}`)).toEqual([]);
    expect(rules(`${'Aa1-'.repeat(32)}x`)).toEqual(['password_length']);
  });
});
