/**
 * Shared fixture for the HTTP tests of accounts, submissions and authorisation: a city,
 * two districts, three primary schools, one account per role, a fixed clock and an
 * in-process app (`buildApp` + `app.inject`).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import type { ServerDeps } from '../../src/server/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { hmacSha1, type ScryptParams } from '../../src/services/auth.ts';
import { base32Decode, totp } from '../../src/core/auth/totp.ts';
import type { Grant } from '../../src/core/auth/roles.ts';

/** Cheap scrypt for test accounts (the parameters travel in the hash; production uses the default). */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'Correct-Horse-42';
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const org = {
  city: '120000', districtA: '120101', districtB: '120102',
  schoolA1: '1201010001', schoolA2: '1201010002', schoolB1: '1201020001',
} as const;

export async function seedOrgs(store: Store): Promise<void> {
  const base = { ownership: 'public' as const, inclusive: null, urban_rural: 'urban' as const, opened: null, closed: null };
  await store.db.insertInto('org_unit').values([
    { code: org.city, name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null, school_type: null, ...base, ownership: null, urban_rural: null },
    { code: org.districtA, name_zh: '和平区', name_en: 'Heping', level: 'district', parent_code: org.city, school_type: null, ...base, ownership: null, urban_rural: null },
    { code: org.districtB, name_zh: '河东区', name_en: 'Hedong', level: 'district', parent_code: org.city, school_type: null, ...base, ownership: null, urban_rural: null },
    { code: org.schoolA1, name_zh: '和平一小', name_en: 'Heping No.1 Primary', level: 'school', parent_code: org.districtA, school_type: 'primary', ...base },
    { code: org.schoolA2, name_zh: '和平二小', name_en: 'Heping No.2 Primary', level: 'school', parent_code: org.districtA, school_type: 'primary', ...base },
    { code: org.schoolB1, name_zh: '河东一小', name_en: 'Hedong No.1 Primary', level: 'school', parent_code: org.districtB, school_type: 'primary', ...base },
  ]).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export const accounts: Record<string, { grants: Grant[]; totp: boolean }> = {
  school_a1: { grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], totp: false },
  school_a2: { grants: [{ role: 'school_reporter', orgCode: org.schoolA2 }], totp: false },
  school_b1: { grants: [{ role: 'school_reporter', orgCode: org.schoolB1 }], totp: false },
  district_a: { grants: [{ role: 'district_reviewer', orgCode: org.districtA }], totp: true },
  district_b: { grants: [{ role: 'district_reviewer', orgCode: org.districtB }], totp: true },
  city: { grants: [{ role: 'city_admin', orgCode: org.city }], totp: true },
  analyst: { grants: [{ role: 'analyst', orgCode: org.city }], totp: false },
  sysadmin: { grants: [{ role: 'system_admin', orgCode: org.city }], totp: true },
  secadmin: { grants: [{ role: 'security_admin', orgCode: org.city }], totp: true },
  auditor: { grants: [{ role: 'audit_admin', orgCode: org.city }], totp: true },
};

export async function seedAccounts(store: Store, at: Date): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [username, a] of Object.entries(accounts)) {
    ids[username] = await insertAccount(store.db, at, { username, password: PASSWORD, grants: a.grants, totpSecret: a.totp ? TOTP_SECRET : null, scrypt: FAST_SCRYPT });
  }
  return ids;
}

/** A plausible primary school: 480 pupils in 12 classes, 30 teachers. */
export function goodValues(): Record<string, number | null> {
  const v: Record<string, number | null> = { 'school_district.member': 1, 'classes.cmp.lt46': 12, 'classes.cmp.46_55': 0, 'classes.cmp.56_65': 0, 'classes.cmp.66plus': 0 };
  for (let g = 1; g <= 6; g++) { v[`enrol.g${g}.m`] = 41; v[`enrol.g${g}.f`] = 39; }
  Object.assign(v, {
    'entrants.g1': 80, 'teachers.fulltime': 30, 'teachers.bachelor_plus': 28, 'teachers.above_required': 25, 'teachers.backbone': 6, 'teachers.pe_arts': 5,
    'area.teaching_aux_m2': 2400, 'area.sports_m2': 5000, 'equipment.value_yuan': 1_200_000, 'rooms.multimedia': 12, 'wireless.covered': 1,
  });
  return v;
}

export interface Clock { now: Date; advance(ms: number): void; fn: () => Date }
export function fakeClock(start: string): Clock {
  const c: Clock = { now: new Date(start), advance(ms) { c.now = new Date(c.now.getTime() + ms); }, fn: () => c.now };
  return c;
}

export function serverDeps(store: Store, clock: Clock): ServerDeps {
  return {
    store, clock: clock.fn,
    config: { demo: false, pseudonymKey: 'test-pseudonym-key-0123456789', maxUploadBytes: 10 * 1024 * 1024, secureCookies: false },
  };
}

export async function makeApp(store: Store, clock: Clock): Promise<FastifyInstance> {
  return buildApp(serverDeps(store, clock));
}

export interface Reply { status: number; body: Record<string, unknown>; headers: Record<string, unknown> }

let clients = 0;

/**
 * A tiny client: JSON in, JSON out, the CSRF header on, the session cookie carried. Each
 * client has an address of its own, as different people do (sign-in is throttled and locked
 * per address: server/rate-limits.ts, services/auth.ts).
 */
export class Client {
  cookie: string | undefined;
  readonly address: string;
  constructor(readonly app: FastifyInstance, readonly clock: Clock) {
    clients += 1;
    this.address = `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
  }

  async req(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const r = await this.app.inject({
      method, url, remoteAddress: this.address,
      headers: { 'x-requested-with': 'eduplan', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: `eduplan_session=${this.cookie}` } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const setCookie = r.headers['set-cookie'];
    const sc = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (sc) {
      const m = /^eduplan_session=([^;]*)/.exec(sc);
      if (m) this.cookie = m[1] === '' ? undefined : m[1];
    }
    let parsed: Record<string, unknown> = {};
    try { parsed = r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {}; } catch { parsed = { raw: r.body }; }
    return { status: r.statusCode, body: parsed, headers: r.headers as Record<string, unknown> };
  }

  /** Sign in, answering the TOTP step with the fixture secret (a fresh 30-second step each time). */
  async login(username: string, password = PASSWORD): Promise<Reply> {
    const r = await this.req('POST', '/api/auth/login', { username, password });
    if (r.status !== 200 || r.body.state === 'ok') return r;
    this.clock.advance(30_000);
    // Enrolment hands out a fresh secret in the otpauth URI; otherwise the fixture's secret is on file.
    const enrolSecret = typeof r.body.otpauth === 'string' ? new URL(r.body.otpauth).searchParams.get('secret') : null;
    const code = totp(hmacSha1, base32Decode(enrolSecret ?? TOTP_SECRET), this.clock.now);
    return this.req('POST', '/api/auth/totp', { code });
  }
}

export const errorCode = (r: Reply): string | undefined => (r.body.error as { code?: string } | undefined)?.code;
