/**
 * `eduplan credits …`: the credit bank from the operator's console (docs/credit-bank.md) —
 * register institutions and conversion rules, issue a credential for an outcome, verify,
 * revoke, print the published keys, apply for and decide recognitions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { credentialKeyPath, credentialKeyPem, pseudonymKey, retiredCredentialKeysPath, type Config } from '../../config.ts';
import { EduplanError } from '../../core/errors.ts';
import {
  applyRecognition, decideRecognition, defineRule, listRules, registerInstitution, registerOutcome, revokeCredential, verifyCredential,
} from '../../services/credits/bank.ts';
import { creditDeps, verificationKeysOf } from '../../services/credits/deps.ts';
import { signerFromPem } from '../../services/credits/signing.ts';
import { readRetiredKeys, rotateCredentialKey } from '../../services/credits/keys.ts';
import type { Store } from '../../store/store.ts';
import { printJson, readJsonFile } from '../io.ts';
import { defineCommand } from '../spec.ts';
import { withStore } from '../with-store.ts';

const system = { system: 'cli' } as const;

const settingsOf = (config: Config) => ({ keyPem: credentialKeyPem(config), publicUrl: config.publicUrl, pseudonymKey: pseudonymKey(config), retiredKeys: readRetiredKeys(retiredCredentialKeysPath(config)) });
const depsOf = (store: Store, config: Config) => creditDeps(store, () => new Date(), settingsOf(config));

/** A JSON file given on the command line, or E_FILE_NOT_FOUND / E_INPUT_INVALID naming it. */
export const issue = defineCommand({
  options: {
    input: { type: 'string', required: true, placeholder: '<outcome.json>', zh: '学习成果（learner_id_number, learner_name, achievement{name, description, credits, level}, issuer_org_code, issued_on）', en: 'the outcome (learner_id_number, learner_name, achievement{name, description, credits, level}, issuer_org_code, issued_on)' },
    out: { type: 'string', placeholder: '<credential.jwt>', zh: '凭证写入的文件（默认打印）', en: 'write the credential here (default: print it)' },
    json: { type: 'boolean', zh: '输出 JSON（凭证编号、状态列表位置、JWS）', en: 'print JSON (credential id, status list position, JWS)' },
  },
  notes: [{ zh: '身份证号按 GB 11643 校验后生成假名，身份证号与姓名均不保存、不写入凭证。', en: 'The ID number is checked (GB 11643) and turned into a pseudonym; neither it nor the name is stored or put in the credential.' }],
}, async ({ values }, ctx) => {
  const { doc: input } = await readJsonFile(ctx.io, values.input);
  return withStore(ctx, async (store) => {
    const r = await registerOutcome(depsOf(store, ctx.config), system, input, values.input);
    if (values.out) writeFileSync(resolve(ctx.io.cwd, values.out), `${r.jws}\n`);
    if (values.json) printJson(ctx.io, r);
    else if (values.out) ctx.io.stdout.write(`已签发 / issued ${r.credential_id} → ${values.out}\n`);
    else ctx.io.stdout.write(`${r.jws}\n`);
    return 0;
  });
});

export const verify = defineCommand({
  positionals: [{ name: 'file', required: true, zh: '凭证文件（紧凑 JWS）', en: 'the credential file (compact JWS)' }],
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
  notes: [{ zh: '打印 valid、revoked 或无效的原因；仅 valid 时退出码为 0。', en: 'Prints valid, revoked or why it is invalid; exits 0 only when valid.' }],
}, async ({ positionals: { file }, values }, ctx) => {
  const path = resolve(ctx.io.cwd, file);
  let jws: string;
  try {
    jws = readFileSync(path, 'utf8').trim();
  } catch {
    throw new EduplanError('E_FILE_NOT_FOUND', { detail: path });
  }
  return withStore(ctx, async (store) => {
    const r = await verifyCredential(depsOf(store, ctx.config), jws);
    if (values.json) printJson(ctx.io, r);
    else if (r.result === 'valid') ctx.io.stdout.write(`valid\n${r.credential_id ?? ''} ${r.achievement ?? ''}\n`);
    else if (r.result === 'revoked') ctx.io.stdout.write(`revoked\n${r.reason_zh} / ${r.reason_en}\n`);
    else ctx.io.stdout.write(`invalid: ${r.reason_en}\n无效：${r.reason_zh}\n`);
    return r.result === 'valid' ? 0 : 1;
  });
});

export const revoke = defineCommand({
  positionals: [{ name: 'credential', required: true, zh: '凭证编号（urn:uuid:…）', en: 'the credential id (urn:uuid:…)' }],
  options: { reason: { type: 'string', default: 'revoked by the operator / 管理员撤销', zh: '撤销理由（记入审计日志）', en: 'why (recorded in the audit log)' }, json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
}, async ({ positionals: { credential }, values }, ctx) => withStore(ctx, async (store) => {
  const r = await revokeCredential(depsOf(store, ctx.config), system, { credential_id: credential, reason: values.reason });
  if (values.json) printJson(ctx.io, r);
  else ctx.io.stdout.write(`已撤销 / revoked ${r.credential_id} (status list ${r.status_list}, index ${r.status_index})\n`);
  return 0;
}));

export const jwks = defineCommand({
  notes: [{ zh: '与 GET /.well-known/jwks.json 相同。', en: 'The same as GET /.well-known/jwks.json.' }],
}, async (_args, ctx) => {
  // The same set the server publishes; the keys are files, the store is not opened.
  const s = settingsOf(ctx.config);
  printJson(ctx.io, { keys: verificationKeysOf(signerFromPem(s.keyPem), s.retiredKeys) });
  return 0;
});

export const rotateKey = defineCommand({
  options: {
    alg: { type: 'string', choices: ['EdDSA', 'ES256'], default: 'EdDSA', zh: '新密钥算法（Ed25519 或 P-256）', en: 'the new key\'s algorithm (Ed25519 or P-256)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
  notes: [
    { zh: '生成新签名密钥替换密钥文件；旧密钥的公钥保留在已停用密钥集中（<密钥文件>.retired.jwks.json），继续在 JWKS 中公布，轮换前签发的凭证仍可验证；旧私钥不再保留。记入审计日志。运行中的服务器须重启后使用新密钥。', en: 'Creates a new signing key in the key file; the old key\'s public half stays in the retired set (<key file>.retired.jwks.json), still published in the JWKS, so credentials signed before keep verifying; the old private key is not kept. Audited. A running server uses the new key after a restart.' },
  ],
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const r = await rotateCredentialKey({ store, clock: () => new Date() }, system, { keyFile: credentialKeyPath(ctx.config), retiredFile: retiredCredentialKeysPath(ctx.config) }, values.alg === 'ES256' ? 'ES256' : 'EdDSA');
  if (values.json) printJson(ctx.io, r);
  else ctx.io.stdout.write(`已轮换签名密钥 / rotated the signing key: ${r.retired_kid} → ${r.kid} (${r.alg}); JWKS: ${r.published} keys\n重启服务器以使用新密钥 / restart the server to sign with it\n`);
  return 0;
}));

export const institution = defineCommand({
  options: {
    code: { type: 'string', required: true, zh: '机构代码（统一社会信用代码或学校标识码）', en: 'institution code (unified social credit code or school code)' },
    name: { type: 'string', required: true, zh: '机构名称', en: 'name' },
    kind: { type: 'string', required: true, choices: ['university', 'open_university', 'vocational_college', 'training_body', 'community_school', 'elderly_school'], zh: '类型', en: 'kind' },
    org: { type: 'string', required: true, placeholder: '<org code>', zh: '所在机构（学校代码、区或市代码），授权按此判断', en: 'the org unit it sits at (school, district or city code); grants are checked against it' },
  },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  await registerInstitution({ store, clock: () => new Date() }, system, { code: values.code, name_zh: values.name, kind: values.kind, org_code: values.org });
  ctx.io.stdout.write(`已登记 / registered ${values.code}\n`);
  return 0;
}));

export const rule = defineCommand({
  options: {
    input: { type: 'string', placeholder: '<rule.json>', zh: '转换规则（新版本；不给则列出全部规则）', en: 'a conversion rule (a new version; without it, list every rule)' },
  },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const deps = { store, clock: () => new Date() };
  if (values.input) printJson(ctx.io, await defineRule(deps, system, (await readJsonFile(ctx.io, values.input)).doc));
  else printJson(ctx.io, await listRules(deps));
  return 0;
}));

export const apply = defineCommand({
  options: {
    outcome: { type: 'string', required: true, placeholder: '<id>', zh: '学习成果编号', en: 'outcome id' },
    rule: { type: 'string', required: true, placeholder: '<code>', zh: '转换规则代码', en: 'conversion rule code' },
    on: { type: 'string', required: true, placeholder: '<YYYY-MM-DD>', zh: '申请日期（决定适用的规则版本与年度）', en: 'date of application (picks the rule version and the year)' },
  },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  printJson(ctx.io, await applyRecognition(depsOf(store, ctx.config), system, { outcome_id: Number(values.outcome), rule_code: values.rule, applied_on: values.on }));
  return 0;
}));

export const decide = defineCommand({
  options: {
    recognition: { type: 'string', required: true, placeholder: '<id>', zh: '认定申请编号', en: 'recognition id' },
    decision: { type: 'string', required: true, choices: ['recognise', 'refuse'], zh: '认定或拒绝', en: 'recognise or refuse' },
    reason: { type: 'string', zh: '拒绝理由', en: 'reason for a refusal' },
  },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  printJson(ctx.io, await decideRecognition(depsOf(store, ctx.config), system, { recognition_id: Number(values.recognition), decision: values.decision, ...(values.reason ? { reason: values.reason } : {}) }));
  return 0;
}));
