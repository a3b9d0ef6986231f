/**
 * Issue 18's credential acceptance, through the command line on an on-disk store:
 * - a credential issued with `eduplan credits issue` verifies with a plain JOSE library
 *   (jose, outside eduplan's code) against the keys `eduplan credits jwks` publishes, and its
 *   payload is an OpenBadgeCredential whose subject carries no ID number or name in clear —
 *   nor does the database;
 * - after `eduplan credits revoke`, `eduplan credits verify` says `revoked` and exits non-zero;
 * - a tampered credential and a malformed file are `invalid` with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-credits-acceptance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { EDUPLAN_DATA_DIR: join(root, 'data'), EDUPLAN_PSEUDONYM_KEY: 'acceptance-test-pseudonym-key', EDUPLAN_PUBLIC_URL: 'https://edu.example.cn' };

const run = (argv: string[]) => runCli(argv, env, root);

const first17 = '12010119580307123';
const idNumber = `${first17}${idCheckChar(first17)}`;
const name = '张秀兰';

beforeAll(async () => {
  const store = await openStore({ dataDir: env.EDUPLAN_DATA_DIR });
  const unit = (code: string, level: 'city' | 'district', parent: string | null) => ({ code, name_zh: code, name_en: '', level, parent_code: parent, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null });
  await store.db.insertInto('org_unit').values([unit('120000', 'city', null), unit('120101', 'district', '120000')]).execute();
  await store.close();
  const r = await run(['credits', 'institution', '--code', '12010100OU', '--name', '天津开放大学和平分校', '--kind', 'open_university', '--org', '120101']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  writeFileSync(join(root, 'outcome.json'), JSON.stringify({
    learner_id_number: idNumber, learner_name: name,
    achievement: { name: '老年智能手机应用', description: '社区教育课程，16学时', credits: 1, level: 2 },
    issuer_org_code: '12010100OU', issued_on: '2024-06-30',
  }));
}, 120_000);

describe('eduplan credits issue → verify with jose → revoke', () => {
  let jws = '';
  let credentialId = '';

  it('issues a credential that a plain JOSE library verifies against the published JWKS', async () => {
    const issued = await run(['credits', 'issue', '--input', 'outcome.json', '--out', 'credential.jwt']);
    expect(issued.err).toBe('');
    expect(issued.code).toBe(0);
    jws = readFileSync(join(root, 'credential.jwt'), 'utf8').trim();
    const keys = await run(['credits', 'jwks']);
    expect(keys.code).toBe(0);
    const jwks = JSON.parse(keys.out) as JSONWebKeySet;
    expect(jwks.keys.length).toBeGreaterThan(0);
    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(jwks), { typ: 'vc+jwt' });
    expect(['EdDSA', 'ES256']).toContain(protectedHeader.alg);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload['@context']).toContain('https://www.w3.org/ns/credentials/v2');
    expect((payload.issuer as { id: string }).id).toBe('https://edu.example.cn');
    const subject = payload.credentialSubject as { id: string; type: string[]; achievement: { name: string } };
    expect(subject.type).toEqual(['AchievementSubject']);
    expect(subject.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(subject.achievement.name).toBe('老年智能手机应用');
    const text = JSON.stringify(payload);
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain(first17);
    expect(text).not.toContain(name);
    credentialId = String(payload.id);
  });

  it('keeps neither the ID number nor the name anywhere in the database', async () => {
    const store = await openStore({ dataDir: env.EDUPLAN_DATA_DIR });
    try {
      const tables = ['credit_learner', 'credit_outcome', 'credit_credential', 'audit_event'];
      for (const t of tables) {
        const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(t)} t`.execute(store.db);
        expect(rows.rows.length).toBeGreaterThan(0);
        for (const r of rows.rows) {
          expect(r.row).not.toContain(first17);
          expect(r.row).not.toContain(name);
        }
      }
    } finally {
      await store.close();
    }
  });

  it('says valid (exit 0), then revoked (exit 1) after eduplan credits revoke', async () => {
    const before = await run(['credits', 'verify', 'credential.jwt']);
    expect(before.out.split('\n')[0]).toBe('valid');
    expect(before.code).toBe(0);
    const revoked = await run(['credits', 'revoke', credentialId, '--reason', '证书信息有误']);
    expect(revoked.err).toBe('');
    expect(revoked.code).toBe(0);
    const after = await run(['credits', 'verify', 'credential.jwt']);
    expect(after.out.split('\n')[0]).toBe('revoked');
    expect(after.code).not.toBe(0);
    const again = await run(['credits', 'revoke', credentialId]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('E_STATE');
  });

  it('says invalid, with the reason, for a tampered credential and for a file that is no JWS', async () => {
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { credentialSubject: { creditsEarned: number } };
    payload.credentialSubject.creditsEarned = 30;
    writeFileSync(join(root, 'tampered.jwt'), `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
    const tampered = await run(['credits', 'verify', 'tampered.jwt']);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/^invalid: the signature does not match/);
    writeFileSync(join(root, 'junk.jwt'), 'not a credential');
    const junk = await run(['credits', 'verify', 'junk.jwt']);
    expect(junk.code).toBe(1);
    expect(junk.out).toMatch(/^invalid: not a complete compact JWS/);
  });

  it('refuses an outcome whose ID number fails GB 11643, naming the field and not echoing it', async () => {
    const bad = `${first17}${idCheckChar(first17) === '0' ? '1' : '0'}`;
    writeFileSync(join(root, 'bad.json'), JSON.stringify({ learner_id_number: bad, learner_name: name, achievement: { name: 'x', credits: 1 }, issuer_org_code: '12010100OU', issued_on: '2024-06-30' }));
    const r = await run(['credits', 'issue', '--input', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('E_INPUT_INVALID');
    expect(r.err).toContain('id_checksum');
    expect(r.err).not.toContain(bad);
  });
});
