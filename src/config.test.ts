/**
 * The configuration: defaults, every bad variable named, and where the pseudonym key
 * comes from (the environment, or demo mode's key file beside the data directory).
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EduplanError } from './core/errors.ts';
import { credentialKeyPath, credentialKeyPem, findPseudonymKey, retiredCredentialKeysPath, loadConfig, portNumber, pseudonymKey, storeKeys } from './config.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'eduplan-config-'));

function configError(fn: () => unknown): EduplanError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EduplanError);
    expect((err as EduplanError).code).toBe('E_CONFIG');
    return err as EduplanError;
  }
  throw new Error('expected E_CONFIG');
}

describe('loadConfig', () => {
  it('has the documented defaults, paths resolved from the working directory', () => {
    const c = loadConfig({}, '/srv/eduplan');
    expect(c).toEqual({
      port: 3000, host: '0.0.0.0', databaseUrl: undefined, dataDir: '/srv/eduplan/data', demo: true,
      demoScale: 0.1, demoSeed: 2021, demoStudentSample: 0.1, maxUploadBytes: 50 * 1024 * 1024,
      pseudonymKeyFromEnv: undefined, demoKeyFile: '/srv/eduplan/.eduplan/pseudonym.key', webDir: undefined, operator: 'cli',
      tls: undefined, trustProxy: undefined, logLevel: 'info', toolDirs: [],
      auditKeyFromEnv: undefined, auditKeysPrevious: [], totpKeyFromEnv: undefined, totpKeysPrevious: [], passwordMaxAgeDays: 90,
      credentialKeyFile: undefined, demoCredentialKeyFile: '/srv/eduplan/.eduplan/credential-ed25519.pem', publicUrl: 'http://localhost:3000',
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgres://db/x', EDUPLAN_DATA_DIR: '/var/lib/eduplan/pg', EDUPLAN_DEMO: '0',
      EDUPLAN_DEMO_SCALE: '0.5', EDUPLAN_DEMO_SEED: '7', EDUPLAN_DEMO_STUDENT_SAMPLE: '1', EDUPLAN_MAX_UPLOAD_MB: '10',
      EDUPLAN_PSEUDONYM_KEY: 'k'.repeat(16), EDUPLAN_WEB_DIR: 'web', USER: 'ops',
      EDUPLAN_TLS: '1', EDUPLAN_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8', LOG_LEVEL: 'warn', PATH: '/usr/local/bin:/usr/bin',
      EDUPLAN_AUDIT_KEY: 'a'.repeat(16), EDUPLAN_AUDIT_KEY_PREVIOUS: `${'b'.repeat(16)}, ${'c'.repeat(16)}`,
      EDUPLAN_TOTP_KEY: 't'.repeat(16), EDUPLAN_TOTP_KEY_PREVIOUS: 'u'.repeat(16), EDUPLAN_PASSWORD_MAX_AGE_DAYS: '0',
      EDUPLAN_CREDENTIAL_KEY_FILE: 'keys/credential.pem', EDUPLAN_PUBLIC_URL: 'https://edu.tj.example.cn/',
    }, '/srv/eduplan');
    expect(c).toEqual({
      port: 8080, host: '127.0.0.1', databaseUrl: 'postgres://db/x', dataDir: '/var/lib/eduplan/pg', demo: false,
      demoScale: 0.5, demoSeed: 7, demoStudentSample: 1, maxUploadBytes: 10 * 1024 * 1024,
      pseudonymKeyFromEnv: 'k'.repeat(16), demoKeyFile: '/var/lib/eduplan/.eduplan/pseudonym.key', webDir: '/srv/eduplan/web', operator: 'ops',
      tls: true, trustProxy: '127.0.0.1, 10.0.0.0/8', logLevel: 'warn', toolDirs: ['/usr/local/bin', '/usr/bin'],
      auditKeyFromEnv: 'a'.repeat(16), auditKeysPrevious: ['b'.repeat(16), 'c'.repeat(16)], totpKeyFromEnv: 't'.repeat(16), totpKeysPrevious: ['u'.repeat(16)], passwordMaxAgeDays: 0,
      credentialKeyFile: '/srv/eduplan/keys/credential.pem', demoCredentialKeyFile: '/var/lib/eduplan/.eduplan/credential-ed25519.pem', publicUrl: 'https://edu.tj.example.cn',
    });
  });

  it('names the variable that is wrong', () => {
    expect(configError(() => loadConfig({ PORT: 'eighty' }, '/')).detail).toContain('PORT=eighty');
    expect(configError(() => loadConfig({ PORT: '70000' }, '/')).detail).toContain('PORT=70000');
    expect(configError(() => loadConfig({ EDUPLAN_DEMO_SCALE: '0' }, '/')).detail).toContain('EDUPLAN_DEMO_SCALE');
    expect(configError(() => loadConfig({ EDUPLAN_DEMO: 'maybe' }, '/')).detail).toContain('EDUPLAN_DEMO=maybe');
    expect(configError(() => loadConfig({ EDUPLAN_PSEUDONYM_KEY: 'short' }, '/')).detail).toContain('at least 16');
    expect(configError(() => portNumber('-1', '--port')).detail).toContain('--port=-1');
    expect(configError(() => loadConfig({ LOG_LEVEL: 'verbose' }, '/')).detail).toContain('LOG_LEVEL=verbose');
    expect(configError(() => loadConfig({ EDUPLAN_TLS: 'on' }, '/')).detail).toContain('EDUPLAN_TLS=on');
    expect(configError(() => loadConfig({ EDUPLAN_AUDIT_KEY: 'short' }, '/')).detail).toContain('EDUPLAN_AUDIT_KEY');
    expect(configError(() => loadConfig({ EDUPLAN_TOTP_KEY_PREVIOUS: 'short' }, '/')).detail).toContain('EDUPLAN_TOTP_KEY_PREVIOUS');
    expect(configError(() => loadConfig({ EDUPLAN_PASSWORD_MAX_AGE_DAYS: '-3' }, '/')).detail).toContain('EDUPLAN_PASSWORD_MAX_AGE_DAYS');
  });
});

describe('pseudonym key', () => {
  it('is EDUPLAN_PSEUDONYM_KEY when set, in either mode, and writes no file', () => {
    const cwd = tmp();
    for (const demo of ['1', '0']) {
      const c = loadConfig({ EDUPLAN_PSEUDONYM_KEY: 'a-configured-key-123', EDUPLAN_DEMO: demo }, cwd);
      expect(pseudonymKey(c)).toBe('a-configured-key-123');
      expect(existsSync(c.demoKeyFile)).toBe(false);
    }
  });

  it('in demo mode is a key file beside the data directory, made once and then reused by every process', () => {
    const root = tmp();
    const a = loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, root);
    const key = pseudonymKey(a);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(a.demoKeyFile).toBe(join(root, '.eduplan', 'pseudonym.key'));
    expect(readFileSync(a.demoKeyFile, 'utf8')).toBe(key);
    expect(statSync(a.demoKeyFile).mode & 0o777).toBe(0o600);
    // Another process, started from another directory but on the same data directory, gets the same key.
    const b = loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, tmp());
    expect(pseudonymKey(b)).toBe(key);
  });

  it('outside demo mode is required, and optional only for findPseudonymKey', () => {
    const c = loadConfig({ EDUPLAN_DEMO: '0' }, tmp());
    expect(findPseudonymKey(c)).toBeUndefined();
    expect(configError(() => pseudonymKey(c)).detail).toContain('EDUPLAN_PSEUDONYM_KEY');
    expect(existsSync(c.demoKeyFile)).toBe(false);
  });
});

describe('audit and TOTP keys', () => {
  it('in demo mode are key files of their own beside the data directory, distinct from each other and from the pseudonym key', () => {
    const root = tmp();
    const c = loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, root);
    const keys = storeKeys(c);
    expect(keys.audit.current).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.totp.current).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(root, '.eduplan', 'audit.key'), 'utf8')).toBe(keys.audit.current);
    expect(readFileSync(join(root, '.eduplan', 'totp.key'), 'utf8')).toBe(keys.totp.current);
    expect(new Set([keys.audit.current, keys.totp.current, pseudonymKey(c)]).size).toBe(3);
    expect(storeKeys(loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, tmp())).audit.current).toBe(keys.audit.current);
  });

  it('outside demo mode come from the environment, with the retired ones; a missing one is E_CONFIG when first needed', () => {
    const cwd = tmp();
    const c = loadConfig({ EDUPLAN_DEMO: '0', EDUPLAN_AUDIT_KEY: 'a'.repeat(20), EDUPLAN_AUDIT_KEY_PREVIOUS: 'b'.repeat(20) }, cwd);
    const keys = storeKeys(c);
    expect(keys.audit).toEqual({ current: 'a'.repeat(20), previous: ['b'.repeat(20)] });
    expect(configError(() => keys.totp).detail).toContain('EDUPLAN_TOTP_KEY');
    expect(existsSync(join(cwd, '.eduplan'))).toBe(false);
  });
});

describe('the credit bank settings', () => {
  it('EDUPLAN_PUBLIC_URL: default, trailing slash dropped, a bad one named', () => {
    expect(loadConfig({}, tmp()).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ EDUPLAN_PUBLIC_URL: 'https://edu.tj.gov.cn/portal/' }, tmp()).publicUrl).toBe('https://edu.tj.gov.cn/portal');
    expect(configError(() => loadConfig({ EDUPLAN_PUBLIC_URL: 'ftp://x' }, tmp())).detail).toContain('EDUPLAN_PUBLIC_URL');
    expect(configError(() => loadConfig({ EDUPLAN_PUBLIC_URL: 'https://x/?a=1' }, tmp())).detail).toContain('EDUPLAN_PUBLIC_URL');
  });

  it('the signing key: demo mode creates one beside the data directory once; production needs EDUPLAN_CREDENTIAL_KEY_FILE', () => {
    const root = tmp();
    const demo = loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, root);
    const first = credentialKeyPem(demo);
    expect(first).toContain('BEGIN PRIVATE KEY');
    expect(credentialKeyPem(demo)).toBe(first);
    expect(demo.demoCredentialKeyFile).toBe(join(root, '.eduplan', 'credential-ed25519.pem'));
    expect(statSync(demo.demoCredentialKeyFile).mode & 0o777).toBe(0o600);
    const prod = loadConfig({ EDUPLAN_DEMO: '0', EDUPLAN_DATA_DIR: join(root, 'data2') }, root);
    expect(configError(() => credentialKeyPem(prod)).detail).toContain('EDUPLAN_CREDENTIAL_KEY_FILE');
    const given = loadConfig({ EDUPLAN_DEMO: '0', EDUPLAN_CREDENTIAL_KEY_FILE: demo.demoCredentialKeyFile }, root);
    expect(credentialKeyPem(given)).toBe(first);
    expect(configError(() => credentialKeyPem(loadConfig({ EDUPLAN_CREDENTIAL_KEY_FILE: 'missing.pem' }, root))).detail).toContain('does not exist');
  });

  it('the retired credential keys sit beside the key file in use, demo or configured', () => {
    const root = tmp();
    const demo = loadConfig({ EDUPLAN_DATA_DIR: join(root, 'data') }, root);
    expect(credentialKeyPath(demo)).toBe(join(root, '.eduplan', 'credential-ed25519.pem'));
    expect(retiredCredentialKeysPath(demo)).toBe(join(root, '.eduplan', 'credential-ed25519.pem.retired.jwks.json'));
    const given = loadConfig({ EDUPLAN_DEMO: '0', EDUPLAN_CREDENTIAL_KEY_FILE: 'keys/k.pem' }, root);
    expect(credentialKeyPath(given)).toBe(join(root, 'keys', 'k.pem'));
    expect(retiredCredentialKeysPath(given)).toBe(join(root, 'keys', 'k.pem.retired.jwks.json'));
  });
});
