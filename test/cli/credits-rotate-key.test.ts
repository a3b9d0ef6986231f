/**
 * `eduplan credits rotate-key` (docs/credit-bank.md "Key rotation"): a credential signed before
 * the rotation still verifies after it — with eduplan and with a plain JOSE library against
 * the published JWKS, which now holds the retired key too —, a credential issued after it is
 * signed with the new `kid`, the retired private key is gone from the key file, and the
 * rotation is in the audit log.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-credits-rotate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const keyFile = join(root, 'keys', 'credential.pem');
const env = { EDUPLAN_DATA_DIR: join(root, 'data'), EDUPLAN_PSEUDONYM_KEY: 'rotate-test-pseudonym-key', EDUPLAN_PUBLIC_URL: 'https://edu.example.cn' };

const run = (argv: string[], extra: Record<string, string> = {}) => runCli(argv, { ...env, ...extra }, root);

const first17 = '12010119790412345';
const outcome = (name: string) => JSON.stringify({
  learner_id_number: `${first17}${idCheckChar(first17)}`, learner_name: '赵六',
  achievement: { name, description: '', credits: 2, level: 3 }, issuer_org_code: '12010100OU', issued_on: '2024-06-30',
});

beforeAll(async () => {
  const store = await openStore({ dataDir: env.EDUPLAN_DATA_DIR });
  const unit = (code: string, level: 'city' | 'district', parent: string | null) => ({ code, name_zh: code, name_en: '', level, parent_code: parent, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null });
  await store.db.insertInto('org_unit').values([unit('120000', 'city', null), unit('120101', 'district', '120000')]).execute();
  await store.close();
  expect((await run(['credits', 'institution', '--code', '12010100OU', '--name', '天津开放大学和平分校', '--kind', 'open_university', '--org', '120101'])).code).toBe(0);
  writeFileSync(join(root, 'before.json'), outcome('轮换前的课程'));
  writeFileSync(join(root, 'after.json'), outcome('轮换后的课程'));
}, 120_000);

describe('eduplan credits rotate-key', () => {
  it('keeps old credentials verifying, signs new ones with the new kid, and audits the rotation', async () => {
    expect((await run(['credits', 'issue', '--input', 'before.json', '--out', 'before.jwt'])).code).toBe(0);
    const before = readFileSync(join(root, 'before.jwt'), 'utf8').trim();
    const oldKid = decodeProtectedHeader(before).kid;
    const keysBefore = JSON.parse((await run(['credits', 'jwks'])).out) as JSONWebKeySet;
    expect(keysBefore.keys.map((k) => k.kid)).toEqual([oldKid]);
    const oldPem = readFileSync(join(root, '.eduplan', 'credential-ed25519.pem'), 'utf8');

    const rotated = await run(['credits', 'rotate-key', '--json']);
    expect(rotated.err).toBe('');
    expect(rotated.code).toBe(0);
    const r = JSON.parse(rotated.out) as { retired_kid: string; kid: string; alg: string; published: number };
    expect(r.retired_kid).toBe(oldKid);
    expect(r.kid).not.toBe(oldKid);
    expect(r.published).toBe(2);
    // The key file holds the new key only: the retired private key is not kept.
    expect(readFileSync(join(root, '.eduplan', 'credential-ed25519.pem'), 'utf8')).not.toBe(oldPem);

    const jwks = JSON.parse((await run(['credits', 'jwks'])).out) as JSONWebKeySet;
    expect(jwks.keys.map((k) => k.kid)).toEqual([r.kid, oldKid]);
    expect(jwks.keys.every((k) => !('d' in k))).toBe(true);
    // The old credential: valid for eduplan and for a plain JOSE library against the published keys.
    const v = await run(['credits', 'verify', 'before.jwt']);
    expect(v.out.split('\n')[0]).toBe('valid');
    expect(v.code).toBe(0);
    await expect(jwtVerify(before, createLocalJWKSet(jwks), { typ: 'vc+jwt' })).resolves.toBeTruthy();

    // A new credential carries the new kid and verifies too.
    expect((await run(['credits', 'issue', '--input', 'after.json', '--out', 'after.jwt'])).code).toBe(0);
    const after = readFileSync(join(root, 'after.jwt'), 'utf8').trim();
    expect(decodeProtectedHeader(after).kid).toBe(r.kid);
    expect((await run(['credits', 'verify', 'after.jwt'])).code).toBe(0);

    // A second rotation keeps both earlier keys published, and P-256 works as well.
    const again = JSON.parse((await run(['credits', 'rotate-key', '--alg', 'ES256', '--json'])).out) as { kid: string; alg: string; published: number };
    expect(again).toMatchObject({ alg: 'ES256', published: 3 });
    expect((await run(['credits', 'verify', 'before.jwt'])).code).toBe(0);
    expect((await run(['credits', 'verify', 'after.jwt'])).code).toBe(0);

    const store = await openStore({ dataDir: env.EDUPLAN_DATA_DIR });
    try {
      const events = await store.db.selectFrom('audit_event').select(['action', 'object_id', 'after']).where('action', '=', 'credit.key.rotate').orderBy('seq').execute();
      expect(events.map((e) => e.object_id)).toEqual([r.kid, again.kid]);
      expect(JSON.stringify(events[0]?.after)).toContain(String(oldKid));
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses a retired key file that is not a JWKS of public keys, naming it', async () => {
    mkdirSync(join(root, 'keys'), { recursive: true });
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(`${keyFile}.retired.jwks.json`, JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret', kid: 'k', alg: 'EdDSA', use: 'sig' }] }));
    const r = await run(['credits', 'jwks'], { EDUPLAN_CREDENTIAL_KEY_FILE: keyFile });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('E_CONFIG');
    expect(r.err).toContain('credential.pem.retired.jwks.json');
  });
});
