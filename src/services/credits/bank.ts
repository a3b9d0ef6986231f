/**
 * The credit bank's use cases (终身教育学分银行, 三、(七)): institutions, learners by
 * pseudonym, outcomes, conversion rules, the recognition workflow, credentials (issue,
 * revoke, verify), the status list, learners' own access, and the published statistics.
 * Every change and every read of a learner's record is appended to the audit chain in the
 * same transaction (docs/credit-bank.md).
 */
import { createHash, createHmac, randomInt, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type Kysely, type Selectable } from 'kysely';
import { EduplanError, type Problem } from '../../core/errors.ts';
import { checkIdNumber } from '../../core/standards/id-number.ts';
import { checkRecognition, ruleInForce, type ConversionRule } from '../../core/credits/rules.ts';
import { bitAt, bitstringWith, STATUS_LIST_BITS } from '../../core/credits/status-list.ts';
import { badgeShapeProblem, clrTranscript, openBadgeCredential, statusListCredential, statusOf, type IssuerProfile, type Json } from '../../core/credits/credential.ts';
import {
  applyRequest, decideRequest, institutionInput, outcomeInput, revokeRequest, ruleInput,
  type CreditStats, type InstitutionOutcomeView, type InstitutionView, type IssueResponse, type LearnerRecord, type LearnerTranscript, type RecognitionView, type RevokeResponse, type RuleView, type VerifyResult,
} from '../../contract/credits.ts';
import type { z } from 'zod';
import type { CreditRuleTable, Database } from '../../store/schema.ts';
import { appendAudit } from '../audit.ts';
import { orgPath, requireAction, requireScope } from '../authorize.ts';
import { mayDoAt, scopeCodes } from '../../core/auth/roles.ts';
import { rootCodeOr } from '../org-tree.ts';
import { callerId, callerIp, callerName, isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { signCompact, verifyCompact, type CredentialSigner, type PublicJwk } from './signing.ts';
import { computeCreditStats } from './statistics.ts';

/** What the credit bank needs besides the store and clock: its signer, who it is, and the pseudonym key. */
export interface CreditDeps extends ServiceDeps {
  readonly credit: {
    readonly signer: CredentialSigner;
    /** Keys still accepted for verification (retired ones after a rotation), the signer's included. */
    readonly verificationKeys?: readonly PublicJwk[];
    readonly issuer: IssuerProfile;
    readonly pseudonymKey: string;
  };
}

/** The name the credit bank signs as. */
export const CREDIT_BANK_NAME = '天津市终身教育学分银行 / Tianjin Lifelong Learning Credit Bank';

const keysOf = (deps: CreditDeps): readonly PublicJwk[] => deps.credit.verificationKeys ?? [deps.credit.signer.publicJwk];

/** The JWKS published at /.well-known/jwks.json. */
export function publishedKeys(deps: CreditDeps): { keys: PublicJwk[] } {
  return { keys: [...keysOf(deps)] };
}

/** The learner pseudonym: HMAC-SHA256 of the upper-cased ID number under the pseudonym key, with a domain prefix so it never equals a student pseudonym. */
export function learnerPseudonym(key: string, idNumber: string): string {
  return createHmac('sha256', key).update(`learner:${idNumber.trim().toUpperCase()}`).digest('hex');
}

/** The checked ID number's pseudonym, or E_INPUT_INVALID naming the field and the GB 11643 rule broken. */
export function checkedPseudonym(key: string, idNumber: string, path = 'learner_id_number'): string {
  const c = checkIdNumber(idNumber);
  if (!c.ok) {
    // The value is not echoed: it is personal data.
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path, rule: c.rule, message_zh: c.message_zh, message_en: c.message_en }] });
  }
  return learnerPseudonym(key, idNumber);
}

function parse<T>(schema: z.ZodType<T>, input: unknown, file?: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems: Problem[] = r.error.issues.map((i) => ({
    ...(file ? { file } : {}), path: i.path.join('.') || '(root)', rule: i.code, message_zh: `不符合要求：${i.message}`, message_en: i.message,
  }));
  throw new EduplanError('E_INPUT_INVALID', { problems });
}

const audit = (db: Kysely<Database>, deps: ServiceDeps, caller: Caller, action: string, objectType: string, objectId: string | number, orgCode: string | null, after: Json = null) =>
  appendAudit(db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action, outcome: 'success', objectType, objectId, orgCode, ip: callerIp(caller), after });

async function institutionOf(db: Kysely<Database>, code: string) {
  const inst = await db.selectFrom('credit_institution').selectAll().where('code', '=', code).executeTakeFirst();
  if (!inst) throw new EduplanError('E_NOT_FOUND', { detail: `credit-bank institution ${code} is not registered / 学分银行未登记机构 ${code}（先用 eduplan credits institution 登记）` });
  return inst;
}

// ---- institutions and rules (the city's)

export async function registerInstitution(deps: ServiceDeps, caller: Caller, input: unknown): Promise<void> {
  const i = parse(institutionInput, input);
  await requireAction(deps, caller, 'credit.rules');
  await deps.store.transaction(async (tx) => {
    const org = await tx.db.selectFrom('org_unit').select('code').where('code', '=', i.org_code).executeTakeFirst();
    if (!org) throw new EduplanError('E_ORG_UNKNOWN', { detail: `org unit ${i.org_code}` });
    await tx.db.insertInto('credit_institution').values(i).onConflict((oc) => oc.column('code').doUpdateSet({ name_zh: i.name_zh, name_en: i.name_en, kind: i.kind, org_code: i.org_code })).execute();
    await audit(tx.db, deps, caller, 'credit.institution.register', 'credit_institution', i.code, i.org_code, { kind: i.kind });
  });
}

/** A new version of a conversion rule (version 1 for a new code); earlier versions stay as they were. */
export async function defineRule(deps: ServiceDeps, caller: Caller, input: unknown): Promise<RuleView> {
  const r = parse(ruleInput, input);
  await requireAction(deps, caller, 'credit.rules');
  return deps.store.transaction(async (tx) => {
    await institutionOf(tx.db, r.receiving_code);
    const last = await tx.db.selectFrom('credit_rule').select((eb) => eb.fn.max('version').as('v')).where('code', '=', r.code).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await tx.db.insertInto('credit_rule').values({ ...r, version, created_at: deps.clock(), created_by: callerName(caller) }).execute();
    await audit(tx.db, deps, caller, 'credit.rule.define', 'credit_rule', `${r.code}@${version}`, null, { ...r, version });
    return { ...r, version };
  });
}

export async function listRules(deps: ServiceDeps): Promise<RuleView[]> {
  const rows = await deps.store.db.selectFrom('credit_rule').selectAll().orderBy('code').orderBy('version').execute();
  return rows.map(ruleViewOf);
}

function ruleViewOf(r: Selectable<CreditRuleTable>): RuleView {
  return {
    code: r.code, version: r.version, source_kind: r.source_kind, achievement_code: r.achievement_code, receiving_code: r.receiving_code,
    target_programme: r.target_programme, target_course: r.target_course, credits: r.credits, annual_cap: r.annual_cap, source_cap: r.source_cap,
    valid_from: r.valid_from, source: r.source,
  };
}

// ---- learners and outcomes

async function learnerFor(db: Kysely<Database>, deps: ServiceDeps, caller: Caller, pseudonym: string, consent: boolean): Promise<{ id: number; subject_id: string }> {
  const found = await db.selectFrom('credit_learner').select(['id', 'subject_id', 'consent_at']).where('pseudonym', '=', pseudonym).executeTakeFirst();
  if (found) {
    if (consent && found.consent_at === null) await db.updateTable('credit_learner').set({ consent_at: deps.clock(), consent_by: callerName(caller) }).where('id', '=', found.id).execute();
    return found;
  }
  const row = await db.insertInto('credit_learner').values({
    pseudonym, subject_id: `urn:uuid:${randomUUID()}`, consent_at: consent ? deps.clock() : null, consent_by: consent ? callerName(caller) : null,
    created_at: deps.clock(), created_by: callerName(caller),
  }).returning(['id', 'subject_id']).executeTakeFirstOrThrow();
  await audit(db, deps, caller, 'credit.learner.enrol', 'credit_learner', row.id, null, { consent });
  return row;
}

/** Status lists hold up to half their bits, so that an index drawn at random finds a free slot quickly. */
const LIST_FILL = STATUS_LIST_BITS / 2;

async function allocateStatusIndex(db: Kysely<Database>): Promise<{ list: number; index: number }> {
  await sql`SELECT pg_advisory_xact_lock(${14_014_014})`.execute(db);
  const last = await db.selectFrom('credit_credential').select((eb) => [eb.fn.max('status_list').as('list')]).executeTakeFirst();
  let list = Number(last?.list ?? 1) || 1;
  const used = await db.selectFrom('credit_credential').select('status_index').where('status_list', '=', list).execute();
  if (used.length >= LIST_FILL) { list += 1; used.length = 0; }
  const taken = new Set(used.map((u) => u.status_index));
  // A random index (Bitstring Status List §6.3): consecutive indices would let a verifier
  // tell the order and number of credentials issued.
  for (;;) {
    const index = randomInt(0, STATUS_LIST_BITS);
    if (!taken.has(index)) return { list, index };
  }
}

export const statusListUrl = (issuer: IssuerProfile, list: number): string => `${issuer.id}/api/credits/status/${list}`;

async function issueFor(db: Kysely<Database>, deps: CreditDeps, caller: Caller, outcomeId: number, recognition: { id: number; programme: string; course: string; rule: string } | null): Promise<IssueResponse> {
  const o = await db.selectFrom('credit_outcome as o').innerJoin('credit_learner as l', 'l.id', 'o.learner_id').innerJoin('credit_institution as i', 'i.code', 'o.institution_code')
    .select(['o.id', 'o.kind', 'o.achievement_code', 'o.name', 'o.description', 'o.level', 'o.hours', 'o.credits', 'o.issued_on', 'o.learner_id', 'l.subject_id', 'i.code as inst_code', 'i.name_zh as inst_name', 'i.org_code'])
    .where('o.id', '=', outcomeId).executeTakeFirstOrThrow();
  const { list, index } = await allocateStatusIndex(db);
  const id = `urn:uuid:${randomUUID()}`;
  const payload = openBadgeCredential({
    id, issuer: deps.credit.issuer, creator: { code: o.inst_code, name: o.inst_name }, subject_id: o.subject_id,
    achievement: { code: o.achievement_code, name: o.name, description: o.description, kind: o.kind, credits: recognition ? 0 : o.credits, level: o.level, hours: o.hours },
    issued_on: o.issued_on, status: { list_url: statusListUrl(deps.credit.issuer, list), index },
    recognition: recognition ?? undefined,
  });
  if (recognition) {
    // A recognition credential states the credits recognised under the rule, not the outcome's own.
    const r = await db.selectFrom('credit_recognition').select('credits').where('id', '=', recognition.id).executeTakeFirstOrThrow();
    const subject = payload.credentialSubject as { [k: string]: Json };
    subject.creditsEarned = r.credits;
    (subject.achievement as { [k: string]: Json }).creditsAvailable = r.credits;
  }
  const jws = signCompact(deps.credit.signer, payload);
  await db.insertInto('credit_credential').values({
    id, learner_id: o.learner_id, outcome_id: o.id, recognition_id: recognition?.id ?? null, status_list: list, status_index: index, jws,
    issued_at: deps.clock(), issued_by: callerName(caller),
  }).execute();
  await audit(db, deps, caller, 'credit.credential.issue', 'credit_credential', id, o.org_code, { outcome_id: o.id, status_list: list, status_index: index });
  return { credential_id: id, outcome_id: o.id, learner_subject_id: o.subject_id, status_list: list, status_index: index, jws };
}

/**
 * An institution registers a learning outcome for a learner and issues its credential (one
 * transaction): the learner is found or enrolled by pseudonym; nothing identifying is stored.
 */
export async function registerOutcome(deps: CreditDeps, caller: Caller, input: unknown, file?: string): Promise<IssueResponse> {
  const o = parse(outcomeInput, input, file);
  const pseudonym = checkedPseudonym(deps.credit.pseudonymKey, o.learner_id_number);
  const inst = await institutionOf(deps.store.db, o.issuer_org_code);
  await requireScope(deps, caller, 'credit.register', inst.org_code, { type: 'credit_institution', id: inst.code });
  return deps.store.transaction(async (tx) => {
    const learner = await learnerFor(tx.db, deps, caller, pseudonym, o.consent);
    const code = o.achievement.code ?? `H${createHash('sha256').update(o.achievement.name).digest('hex').slice(0, 12)}`;
    const row = await tx.db.insertInto('credit_outcome').values({
      learner_id: learner.id, institution_code: inst.code, kind: o.achievement.kind, achievement_code: code, name: o.achievement.name,
      description: o.achievement.description, level: o.achievement.level, hours: o.achievement.hours, credits: o.achievement.credits,
      evidence: o.achievement.evidence, issued_on: o.issued_on, registered_at: deps.clock(), registered_by: callerName(caller),
    }).returning('id').executeTakeFirstOrThrow();
    await audit(tx.db, deps, caller, 'credit.outcome.register', 'credit_outcome', row.id, inst.org_code, { institution: inst.code, kind: o.achievement.kind, credits: o.achievement.credits });
    return issueFor(tx.db, deps, caller, row.id, null);
  });
}

// ---- recognition workflow: apply → review → recognised (credential issued) or refused

async function recognitionViews(db: Kysely<Database>, where: { learner?: number; id?: number; receiving?: readonly string[] | null }): Promise<RecognitionView[]> {
  let q = db.selectFrom('credit_recognition as r').innerJoin('credit_rule as u', (j) => j.onRef('u.code', '=', 'r.rule_code').onRef('u.version', '=', 'r.rule_version'))
    .leftJoin('credit_credential as c', 'c.recognition_id', 'r.id')
    .select(['r.id', 'r.outcome_id', 'r.rule_code', 'r.rule_version', 'r.receiving_code', 'u.target_programme', 'u.target_course', 'r.credits', 'r.year', 'r.state', 'r.reason', 'c.id as credential_id'])
    .orderBy('r.id');
  if (where.learner !== undefined) q = q.where('r.learner_id', '=', where.learner);
  if (where.id !== undefined) q = q.where('r.id', '=', where.id);
  if (where.receiving) q = q.where('r.receiving_code', 'in', where.receiving.length > 0 ? [...where.receiving] : ['']);
  return (await q.execute()).map((r) => ({ ...r, credential_id: r.credential_id ?? null }));
}

/** Apply to have an outcome recognised under a rule; the rule version in force on `applied_on` is the one that counts. */
export async function applyRecognition(deps: CreditDeps, caller: Caller, input: unknown): Promise<RecognitionView> {
  const a = parse(applyRequest, input);
  const outcome = await deps.store.db.selectFrom('credit_outcome as o').innerJoin('credit_institution as i', 'i.code', 'o.institution_code')
    .select(['o.id', 'o.learner_id', 'o.kind', 'o.achievement_code', 'i.org_code']).where('o.id', '=', a.outcome_id).executeTakeFirst();
  if (!outcome) throw new EduplanError('E_NOT_FOUND', { detail: `outcome ${a.outcome_id}` });
  const versions = (await deps.store.db.selectFrom('credit_rule').selectAll().where('code', '=', a.rule_code).execute()).map(ruleViewOf);
  const rule = ruleInForce(versions, a.rule_code, a.applied_on);
  if (!rule) throw new EduplanError('E_NOT_FOUND', { detail: `no version of conversion rule ${a.rule_code} is in force on ${a.applied_on} / 转换规则 ${a.rule_code} 在 ${a.applied_on} 无有效版本` });
  // The learner's own institution or the receiving one may file the application.
  const receiving = await institutionOf(deps.store.db, rule.receiving_code);
  if (!isSystem(caller)) {
    const at = [outcome.org_code, receiving.org_code];
    let allowed = false;
    for (const org of at) {
      const path = await orgPath(deps.store.db, org);
      if (path && mayDoAt(caller.account.grants, 'credit.register', path)) allowed = true;
    }
    if (!allowed) await requireScope(deps, caller, 'credit.register', outcome.org_code, { type: 'credit_outcome', id: outcome.id });
  }
  const year = Number(a.applied_on.slice(0, 4));
  return deps.store.transaction(async (tx) => {
    const row = await tx.db.insertInto('credit_recognition').values({
      outcome_id: outcome.id, learner_id: outcome.learner_id, rule_code: rule.code, rule_version: rule.version, receiving_code: rule.receiving_code,
      credits: rule.credits, year, state: 'applied', reason: null, applied_at: deps.clock(), applied_by: callerName(caller),
    }).returning('id').executeTakeFirstOrThrow();
    await audit(tx.db, deps, caller, 'credit.recognition.apply', 'credit_recognition', row.id, receiving.org_code, { outcome_id: outcome.id, rule: `${rule.code}@${rule.version}` });
    return (await recognitionViews(tx.db, { id: row.id }))[0] as RecognitionView;
  });
}

/**
 * The receiving institution decides. Recognising checks the rule version the application was
 * filed under against the learner's recognised credits (caps): a recognition that would
 * exceed a cap is refused with E_CREDIT_REFUSED naming the cap, and stays `applied` so the
 * reviewer can refuse it with that reason or the learner apply again next year.
 */
export async function decideRecognition(deps: CreditDeps, caller: Caller, input: unknown): Promise<RecognitionView> {
  const d = parse(decideRequest, input);
  // Authorised before the transaction: a refusal is audited in a transaction of its own.
  const at = await deps.store.db.selectFrom('credit_recognition as r').innerJoin('credit_institution as i', 'i.code', 'r.receiving_code').select(['r.id', 'i.org_code']).where('r.id', '=', d.recognition_id).executeTakeFirst();
  if (!at) throw new EduplanError('E_NOT_FOUND', { detail: `recognition ${d.recognition_id}` });
  await requireScope(deps, caller, 'credit.review', at.org_code, { type: 'credit_recognition', id: at.id });
  return deps.store.transaction(async (tx) => {
    const r = await tx.db.selectFrom('credit_recognition as r').innerJoin('credit_institution as i', 'i.code', 'r.receiving_code').innerJoin('credit_outcome as o', 'o.id', 'r.outcome_id')
      .select(['r.id', 'r.state', 'r.learner_id', 'r.rule_code', 'r.rule_version', 'r.year', 'r.outcome_id', 'i.org_code', 'o.kind', 'o.achievement_code'])
      .where('r.id', '=', d.recognition_id).forUpdate().executeTakeFirst();
    if (!r) throw new EduplanError('E_NOT_FOUND', { detail: `recognition ${d.recognition_id}` });
    if (r.state !== 'applied') throw new EduplanError('E_STATE', { detail: `recognition ${r.id} is already ${r.state} / 该认定申请已${r.state === 'recognised' ? '认定' : '拒绝'}` });
    if (d.decision === 'refuse') {
      if (!d.reason) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'reason', rule: 'required', message_zh: '拒绝认定须说明理由', message_en: 'a refusal needs a reason' }] });
      await tx.db.updateTable('credit_recognition').set({ state: 'refused', reason: d.reason, decided_at: deps.clock(), decided_by: callerName(caller) }).where('id', '=', r.id).execute();
      await audit(tx.db, deps, caller, 'credit.recognition.refuse', 'credit_recognition', r.id, r.org_code, { reason: d.reason });
      return (await recognitionViews(tx.db, { id: r.id }))[0] as RecognitionView;
    }
    const rule = ruleViewOf(await tx.db.selectFrom('credit_rule').selectAll().where('code', '=', r.rule_code).where('version', '=', r.rule_version).executeTakeFirstOrThrow()) as ConversionRule;
    // Serialise decisions for one learner so two reviewers cannot both pass a cap.
    await tx.db.selectFrom('credit_learner').select('id').where('id', '=', r.learner_id).forUpdate().execute();
    const granted = await tx.db.selectFrom('credit_recognition as g').innerJoin('credit_rule as u', (j) => j.onRef('u.code', '=', 'g.rule_code').onRef('u.version', '=', 'g.rule_version'))
      .select(['g.receiving_code', 'u.source_kind', 'g.year', 'g.credits']).where('g.learner_id', '=', r.learner_id).where('g.state', '=', 'recognised').execute();
    const check = checkRecognition(rule, { kind: r.kind, achievement_code: r.achievement_code }, r.year, granted);
    if (!check.ok) {
      throw new EduplanError('E_CREDIT_REFUSED', {
        detail: `${check.message_en} / ${check.message_zh}`,
        problems: [{ path: `recognition ${r.id}`, rule: check.rule, message_zh: check.message_zh, message_en: check.message_en }],
      });
    }
    await tx.db.updateTable('credit_recognition').set({ state: 'recognised', credits: check.credits, decided_at: deps.clock(), decided_by: callerName(caller) }).where('id', '=', r.id).execute();
    await audit(tx.db, deps, caller, 'credit.recognition.recognise', 'credit_recognition', r.id, r.org_code, { credits: check.credits, rule: `${rule.code}@${rule.version}` });
    await issueFor(tx.db, deps, caller, r.outcome_id, { id: r.id, programme: rule.target_programme, course: rule.target_course, rule: `${rule.code}@${rule.version}` });
    return (await recognitionViews(tx.db, { id: r.id }))[0] as RecognitionView;
  });
}

/** The institutions whose records the caller may read (null: every one — the system, or a city-wide grant). */
async function institutionsInScope(deps: ServiceDeps, caller: Caller, insts?: ReadonlyArray<{ code: string; org_code: string }>): Promise<string[] | null> {
  if (isSystem(caller)) return null;
  if (scopeCodes(caller.account.grants, 'credit.read', await rootCodeOr(deps.store.db, '')) === null) return null;
  const all = insts ?? await deps.store.db.selectFrom('credit_institution').select(['code', 'org_code']).execute();
  const mine: string[] = [];
  for (const i of all) {
    const path = await orgPath(deps.store.db, i.org_code);
    if (path && mayDoAt(caller.account.grants, 'credit.read', path)) mine.push(i.code);
  }
  return mine;
}

/** Recognitions waiting at (or decided by) the institutions the caller reviews for. */
export async function listRecognitions(deps: ServiceDeps, caller: Caller): Promise<RecognitionView[]> {
  await requireAction(deps, caller, 'credit.read');
  const insts = await deps.store.db.selectFrom('credit_institution').select(['code', 'org_code']).execute();
  return recognitionViews(deps.store.db, { receiving: await institutionsInScope(deps, caller, insts) });
}

/**
 * The institutions the caller reads for (credit.read in scope), with whether it may register
 * outcomes (credit.register) or review recognitions (credit.review) at each: the workspace
 * offers only what the role can do; every request is checked again.
 */
export async function listInstitutions(deps: ServiceDeps, caller: Caller): Promise<InstitutionView[]> {
  await requireAction(deps, caller, 'credit.read');
  const all = await deps.store.db.selectFrom('credit_institution').select(['code', 'name_zh', 'name_en', 'kind', 'org_code']).orderBy('code').execute();
  const out: InstitutionView[] = [];
  for (const i of all) {
    if (isSystem(caller)) { out.push({ ...i, may_register: true, may_review: true }); continue; }
    const path = await orgPath(deps.store.db, i.org_code);
    if (!path || !mayDoAt(caller.account.grants, 'credit.read', path)) continue;
    out.push({ ...i, may_register: mayDoAt(caller.account.grants, 'credit.register', path), may_review: mayDoAt(caller.account.grants, 'credit.review', path) });
  }
  return out;
}

/** Outcomes registered by the institutions in the caller's scope, newest first, with their own credential; no learner identity. */
export async function listOutcomes(deps: ServiceDeps, caller: Caller): Promise<InstitutionOutcomeView[]> {
  await requireAction(deps, caller, 'credit.read');
  const scope = await institutionsInScope(deps, caller);
  let q = deps.store.db.selectFrom('credit_outcome as o')
    .leftJoin('credit_credential as c', (j) => j.onRef('c.outcome_id', '=', 'o.id').on('c.recognition_id', 'is', null))
    .select(['o.id', 'o.institution_code', 'o.kind', 'o.achievement_code', 'o.name', 'o.level', 'o.credits', 'o.issued_on', 'c.id as credential_id', 'c.revoked_at'])
    .orderBy('o.id', 'desc').limit(500);
  if (scope !== null) q = q.where('o.institution_code', 'in', scope.length > 0 ? scope : ['']);
  return (await q.execute()).map(({ revoked_at, ...o }) => ({ ...o, credential_id: o.credential_id ?? null, revoked: revoked_at !== null && revoked_at !== undefined }));
}

// ---- credentials: revoke, status list, verify

export async function revokeCredential(deps: CreditDeps, caller: Caller, input: unknown): Promise<RevokeResponse> {
  const r = parse(revokeRequest, input);
  const owner = await deps.store.db.selectFrom('credit_credential as c').innerJoin('credit_outcome as o', 'o.id', 'c.outcome_id').innerJoin('credit_institution as i', 'i.code', 'o.institution_code')
    .select(['c.id', 'i.org_code']).where('c.id', '=', r.credential_id).executeTakeFirst();
  if (!owner) throw new EduplanError('E_NOT_FOUND', { detail: `credential ${r.credential_id} / 凭证 ${r.credential_id} 不存在` });
  await requireScope(deps, caller, 'credit.revoke', owner.org_code, { type: 'credit_credential', id: owner.id });
  return deps.store.transaction(async (tx) => {
    const c = await tx.db.selectFrom('credit_credential as c').innerJoin('credit_outcome as o', 'o.id', 'c.outcome_id').innerJoin('credit_institution as i', 'i.code', 'o.institution_code')
      .select(['c.id', 'c.status_list', 'c.status_index', 'c.revoked_at', 'i.org_code']).where('c.id', '=', r.credential_id).forUpdate().executeTakeFirst();
    if (!c) throw new EduplanError('E_NOT_FOUND', { detail: `credential ${r.credential_id} / 凭证 ${r.credential_id} 不存在` });
    if (c.revoked_at !== null) throw new EduplanError('E_STATE', { detail: `credential ${c.id} is already revoked / 该凭证已撤销` });
    const at = deps.clock();
    await tx.db.updateTable('credit_credential').set({ revoked_at: at, revoked_by: callerName(caller), revoke_reason: r.reason }).where('id', '=', c.id).execute();
    await audit(tx.db, deps, caller, 'credit.credential.revoke', 'credit_credential', c.id, c.org_code, { reason: r.reason, status_list: c.status_list, status_index: c.status_index });
    return { credential_id: c.id, revoked_at: at.toISOString(), status_list: c.status_list, status_index: c.status_index };
  });
}

/** The bits of status list `list`: set for every revoked credential in it. */
async function revokedBits(db: Kysely<Database>, list: number): Promise<Uint8Array> {
  const rows = await db.selectFrom('credit_credential').select('status_index').where('status_list', '=', list).where('revoked_at', 'is not', null).execute();
  return bitstringWith(rows.map((r) => r.status_index));
}

/** `encodedList` (Bitstring Status List §2.2): multibase base64url (prefix `u`) of the GZIP-compressed bits. */
export const encodeList = (bits: Uint8Array): string => `u${gzipSync(bits).toString('base64url')}`;
export function decodeList(encoded: string): Uint8Array {
  if (!encoded.startsWith('u')) throw new EduplanError('E_CREDENTIAL_INVALID', { detail: 'encodedList is not multibase base64url (prefix u)' });
  return new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url')));
}

/** The signed status list credential for list `list` (public; the portal serves it as application/vc+jwt). */
export async function statusListJws(deps: CreditDeps, list: number): Promise<string> {
  if (!Number.isInteger(list) || list < 1) throw new EduplanError('E_NOT_FOUND', { detail: `status list ${list}` });
  const exists = await deps.store.db.selectFrom('credit_credential').select('id').where('status_list', '=', list).limit(1).executeTakeFirst();
  if (!exists) throw new EduplanError('E_NOT_FOUND', { detail: `status list ${list}` });
  const bits = await revokedBits(deps.store.db, list);
  const at = deps.clock();
  at.setUTCMilliseconds(0);
  return signCompact(deps.credit.signer, statusListCredential(deps.credit.issuer, statusListUrl(deps.credit.issuer, list), encodeList(bits), at.toISOString().replace('.000Z', 'Z')));
}

const invalid = (zh: string, en: string): VerifyResult => ({ result: 'invalid', reason_zh: zh, reason_en: en });

/**
 * Verify a credential as a third party would: the JWS against the published keys, the
 * payload an OpenBadgeCredential of this issuer, its dates, and its bit in the status list
 * (read through the same signed status list credential the public gets). Public: no caller.
 */
export async function verifyCredential(deps: CreditDeps, jws: string): Promise<VerifyResult> {
  const checked = verifyCompact(jws, keysOf(deps));
  if (!checked.ok) return invalid(checked.zh, checked.en);
  const p = checked.payload;
  const shape = badgeShapeProblem(p, deps.credit.issuer.id);
  if (shape) return invalid(shape.zh, shape.en);
  const now = deps.clock().toISOString();
  if (typeof p.validFrom !== 'string' || new Date(p.validFrom).toISOString() > now) return invalid('凭证尚未生效（validFrom）', 'the credential is not valid yet (validFrom)');
  if (typeof p.validUntil === 'string' && new Date(p.validUntil).toISOString() < now) return invalid('凭证已过期（validUntil）', 'the credential has expired (validUntil)');
  const subject = p.credentialSubject as Record<string, unknown> | undefined;
  const achievement = (subject?.achievement ?? {}) as Record<string, unknown>;
  const base: VerifyResult = {
    result: 'valid', credential_id: typeof p.id === 'string' ? p.id : undefined, issuer: deps.credit.issuer.id,
    achievement: typeof achievement.name === 'string' ? achievement.name : undefined,
    credits: typeof subject?.creditsEarned === 'number' ? subject.creditsEarned : undefined,
  };
  const status = statusOf(p);
  if (!status) return invalid('凭证没有撤销状态条目（credentialStatus）', 'the credential has no revocation status entry (credentialStatus)');
  const prefix = `${deps.credit.issuer.id}/api/credits/status/`;
  const list = status.list_url.startsWith(prefix) ? Number(status.list_url.slice(prefix.length)) : NaN;
  if (!Number.isInteger(list)) return invalid(`状态列表 ${status.list_url} 不属于本学分银行`, `status list ${status.list_url} is not this credit bank's`);
  const listCheck = verifyCompact(await statusListJws(deps, list), keysOf(deps));
  if (!listCheck.ok) return invalid(listCheck.zh, listCheck.en);
  const encoded = (listCheck.payload.credentialSubject as Record<string, unknown> | undefined)?.encodedList;
  if (typeof encoded !== 'string') return invalid('状态列表凭证缺少 encodedList', 'the status list credential has no encodedList');
  const revoked = bitAt(decodeList(encoded), status.index);
  return { ...base, result: revoked ? 'revoked' : 'valid', status_list_credential: status.list_url, status_index: status.index,
    ...(revoked ? { reason_zh: '凭证已被签发机构撤销', reason_en: 'the credential has been revoked by its issuer' } : {}) };
}

// ---- a learner's record: read by an institution (audited) or by the learner with a one-time code

/** A learner's record; `only`: the institutions whose part may be shown (null: all of it). */
async function recordOf(db: Kysely<Database>, learnerId: number, only: readonly string[] | null = null): Promise<LearnerRecord> {
  const l = await db.selectFrom('credit_learner').select(['subject_id', 'consent_at']).where('id', '=', learnerId).executeTakeFirstOrThrow();
  const outcomes = await db.selectFrom('credit_outcome as o').innerJoin('credit_institution as i', 'i.code', 'o.institution_code')
    .select(['o.id', 'o.institution_code', 'i.name_zh as institution_name', 'o.kind', 'o.achievement_code', 'o.name', 'o.level', 'o.hours', 'o.credits', 'o.issued_on'])
    .where('o.learner_id', '=', learnerId).orderBy('o.issued_on').orderBy('o.id').execute()
    .then((rows) => (only === null ? rows : rows.filter((o) => only.includes(o.institution_code))));
  const recognitions = (await recognitionViews(db, { learner: learnerId })).filter((r) => only === null || only.includes(r.receiving_code));
  const visible = new Set(outcomes.map((o) => o.id));
  const recognitionIds = new Set(recognitions.map((r) => r.id));
  const creds = (await db.selectFrom('credit_credential').select(['id', 'outcome_id', 'recognition_id', 'issued_at', 'revoked_at', 'jws']).where('learner_id', '=', learnerId).orderBy('issued_at').orderBy('id').execute())
    .filter((c) => only === null || (c.recognition_id === null ? visible.has(c.outcome_id) : recognitionIds.has(c.recognition_id)));
  return {
    subject_id: l.subject_id,
    consent_at: l.consent_at === null ? null : new Date(l.consent_at).toISOString(),
    outcomes,
    recognitions,
    credentials: creds.map((c) => ({ id: c.id, outcome_id: c.outcome_id, issued_at: new Date(c.issued_at).toISOString(), revoked: c.revoked_at !== null, jws: c.jws })),
    credits_accumulated: outcomes.reduce((s, o) => s + o.credits, 0),
    credits_recognised: recognitions.filter((r) => r.state === 'recognised').reduce((s, r) => s + r.credits, 0),
  };
}

/** An institution (or the city) reads a learner's record by ID number; the read is audited. */
export async function readLearnerRecord(deps: CreditDeps, caller: Caller, input: { learner_id_number: string; institution_code: string }): Promise<LearnerRecord> {
  const pseudonym = checkedPseudonym(deps.credit.pseudonymKey, input.learner_id_number);
  const inst = await institutionOf(deps.store.db, input.institution_code);
  await requireScope(deps, caller, 'credit.read', inst.org_code, { type: 'credit_institution', id: inst.code });
  const only = await institutionsInScope(deps, caller);
  return deps.store.transaction(async (tx) => {
    const l = await tx.db.selectFrom('credit_learner').select('id').where('pseudonym', '=', pseudonym).executeTakeFirst();
    if (!l) throw new EduplanError('E_NOT_FOUND', { detail: 'no learner account for this ID number / 该身份证号尚无学习账户' });
    await audit(tx.db, deps, caller, 'credit.learner_record.read', 'credit_learner', l.id, inst.org_code);
    // An institution or district sees the part of the record held by institutions in its scope; the city all of it.
    return recordOf(tx.db, l.id, only);
  });
}

const codeHash = (code: string): string => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
/** Letters and digits a person reads off a slip without confusing them (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_TTL_MS = 72 * 3600_000;

/**
 * Learner sign-in: an institution the learner visits (in person, with their ID card) hands
 * them a one-time code, valid 72 hours; the learner opens their record and transcript with
 * it once. Only the code's hash is stored. Chosen over passwords because learners are
 * occasional visitors and the institution already checks who they are.
 */
export async function issueLearnerCode(deps: CreditDeps, caller: Caller, input: { learner_id_number: string; institution_code: string }): Promise<{ code: string; expires_at: string }> {
  const pseudonym = checkedPseudonym(deps.credit.pseudonymKey, input.learner_id_number);
  const inst = await institutionOf(deps.store.db, input.institution_code);
  await requireScope(deps, caller, 'credit.register', inst.org_code, { type: 'credit_institution', id: inst.code });
  return deps.store.transaction(async (tx) => {
    const l = await tx.db.selectFrom('credit_learner').select('id').where('pseudonym', '=', pseudonym).executeTakeFirst();
    if (!l) throw new EduplanError('E_NOT_FOUND', { detail: 'no learner account for this ID number / 该身份证号尚无学习账户' });
    let code = '';
    for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(0, CODE_ALPHABET.length)];
    const now = deps.clock();
    const expires = new Date(now.getTime() + CODE_TTL_MS);
    await tx.db.insertInto('credit_learner_code').values({ code_hash: codeHash(code), learner_id: l.id, issued_by: callerName(caller), institution_code: inst.code, issued_at: now, expires_at: expires }).execute();
    await audit(tx.db, deps, caller, 'credit.learner_code.issue', 'credit_learner', l.id, inst.org_code);
    return { code, expires_at: expires.toISOString() };
  });
}

/** The learner opens their record with a one-time code: the record and a signed CLR 2.0 transcript. */
export async function learnerSignIn(deps: CreditDeps, input: { code: string; ip?: string | null }): Promise<LearnerTranscript> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const c = await tx.db.selectFrom('credit_learner_code').selectAll().where('code_hash', '=', codeHash(input.code)).forUpdate().executeTakeFirst();
    if (!c || c.used_at !== null || new Date(c.expires_at).getTime() <= now.getTime()) {
      throw new EduplanError('E_AUTH_FAILED', { detail: 'the code is unknown, used or expired; ask the institution for a new one / 登录码无效、已使用或已过期，请向机构重新领取' });
    }
    await tx.db.updateTable('credit_learner_code').set({ used_at: now }).where('code_hash', '=', c.code_hash).execute();
    await appendAudit(tx.db, now, { actorId: null, actor: 'learner', action: 'credit.learner_record.read', outcome: 'success', objectType: 'credit_learner', objectId: c.learner_id, ip: input.ip ?? null, after: { via: 'one_time_code' } });
    const record = await recordOf(tx.db, c.learner_id);
    return { record, clr_jws: transcriptJws(deps, record) };
  });
}

/** The learner's whole record as a CLR 2.0 credential, signed like the badges. */
export function transcriptJws(deps: CreditDeps, record: LearnerRecord): string {
  const creds = record.credentials.filter((c) => !c.revoked).map((c) => {
    const payload = JSON.parse(Buffer.from(c.jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { [k: string]: Json };
    return { jws: c.jws, payload };
  });
  const at = deps.clock();
  at.setUTCMilliseconds(0);
  return signCompact(deps.credit.signer, clrTranscript(deps.credit.issuer, `urn:uuid:${randomUUID()}`, record.subject_id, at.toISOString().replace('.000Z', 'Z'), creds));
}

// ---- statistics, under disclosure control (statistics.ts; the public reads released copies only)

export { MIN_LEARNERS } from './statistics.ts';

/**
 * Credits accumulated (outcomes registered) and recognised per year, source kind and district
 * of the institution, live, for signed-in readers; a cell with fewer than 10 learners publishes no numbers.
 */
export async function creditStatistics(deps: ServiceDeps, caller: Caller): Promise<CreditStats> {
  await requireAction(deps, caller, 'credit.read');
  return computeCreditStats(deps.store.db);
}
