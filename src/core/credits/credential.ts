/**
 * Credentials of the credit bank as data: an Open Badges 3.0 `OpenBadgeCredential` per
 * recognised or registered outcome, the Bitstring Status List credential that revokes them,
 * and the CLR 2.0 `ClrCredential` transcript of a learner's record. All three are W3C
 * Verifiable Credentials 2.0 (`validFrom`, the v2 context) and are secured by the service as
 * a compact JWS (VC-JOSE-COSE §3.1.1: the credential is the JWS payload, `typ` vc+jwt).
 *
 * Privacy: `credentialSubject.id` is the learner's random `urn:uuid:` subject identifier —
 * never the ID number, its HMAC pseudonym or the name (OB 3.0 §B.1.1 AchievementSubject: the
 * `id` or an `identifier` names the recipient; a random identifier is allowed).
 */
import type { SourceKind } from './rules.ts';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const CLR_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
export const OB_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** Who signs: the credit bank (its public URL is its id; the JWKS lives under it). */
export interface IssuerProfile {
  readonly id: string;
  readonly name: string;
}

export interface AchievementInput {
  /** Code of the course or certificate at its institution. */
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly kind: SourceKind;
  readonly credits: number;
  /** Level of the learning-outcome framework (学习成果框架等级), when known. */
  readonly level: number | null;
  readonly hours: number | null;
}

export interface StatusEntry {
  readonly list_url: string;
  readonly index: number;
}

export interface BadgeInput {
  readonly id: string;
  readonly issuer: IssuerProfile;
  /** The institution that awarded the outcome (its code and name). */
  readonly creator: { readonly code: string; readonly name: string };
  readonly subject_id: string;
  readonly achievement: AchievementInput;
  /** YYYY-MM-DD the outcome was awarded. */
  readonly issued_on: string;
  readonly status: StatusEntry;
  /** A recognition this credential records: credits towards a course of a programme. */
  readonly recognition?: { readonly programme: string; readonly course: string; readonly rule: string } | undefined;
}

/** OB 3.0 achievementType for each source kind (OB 3.0 §B.2.2 AchievementType enumeration). */
const achievementType: Readonly<Record<SourceKind, string>> = {
  academic_course: 'Course',
  vocational_certificate: 'Certificate',
  non_formal: 'Course',
  mooc: 'Course',
};

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The `id` of an achievement: stable for the same course or certificate at the same institution. */
export const achievementId = (issuer: IssuerProfile, creatorCode: string, code: string): string =>
  `${issuer.id}/credits/achievements/${encodeURIComponent(creatorCode)}/${encodeURIComponent(code)}`;

export function openBadgeCredential(b: BadgeInput): { [k: string]: Json } {
  const a = b.achievement;
  const achievement: { [k: string]: Json } = {
    id: achievementId(b.issuer, b.creator.code, a.code),
    type: ['Achievement'],
    achievementType: achievementType[a.kind],
    name: a.name,
    description: a.description === '' ? a.name : a.description,
    criteria: { narrative: a.hours === null ? `${a.name}` : `${a.name}（${a.hours} 学时 / hours）` },
    humanCode: a.code,
    creditsAvailable: a.credits,
    creator: { id: `${b.issuer.id}/credits/institutions/${encodeURIComponent(b.creator.code)}`, type: ['Profile'], name: b.creator.name },
  };
  if (a.level !== null) {
    achievement.alignment = [{
      type: ['Alignment'], targetName: `天津市终身教育学习成果框架 第${a.level}级 / Tianjin learning-outcome framework, level ${a.level}`,
      targetUrl: `${b.issuer.id}/credits/framework#level-${a.level}`, targetFramework: 'Tianjin lifelong-learning outcome framework', targetCode: String(a.level),
    }];
  }
  const subject: { [k: string]: Json } = {
    id: b.subject_id,
    type: ['AchievementSubject'],
    achievement,
    creditsEarned: a.credits,
  };
  if (b.recognition) {
    subject.result = [{ type: ['Result'], value: `${b.recognition.programme} / ${b.recognition.course} (${b.recognition.rule})` }];
  }
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: b.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: b.issuer.id, type: ['Profile'], name: b.issuer.name },
    validFrom: `${b.issued_on}T00:00:00Z`,
    name: a.name,
    credentialSubject: subject,
    credentialStatus: statusEntry(b.status),
    credentialSchema: [{ id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

function statusEntry(s: StatusEntry): { [k: string]: Json } {
  return { id: `${s.list_url}#${s.index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(s.index), statusListCredential: s.list_url };
}

/** The status list credential (Bitstring Status List v1.0 §2.2) for `encodedList` (multibase base64url of the GZIP'd bits). */
export function statusListCredential(issuer: IssuerProfile, listUrl: string, encodedList: string, validFrom: string): { [k: string]: Json } {
  return {
    '@context': [VC_CONTEXT],
    id: listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuer.id,
    validFrom,
    credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
  };
}

/** A CLR 2.0 transcript: the learner's credentials (each the signed JWS, as CLR §4.1 allows `EnvelopedVerifiableCredential`-style compact forms) with their achievements. */
export function clrTranscript(issuer: IssuerProfile, id: string, subjectId: string, validFrom: string, credentials: ReadonlyArray<{ readonly jws: string; readonly payload: { [k: string]: Json } }>): { [k: string]: Json } {
  const achievements: Json[] = [];
  for (const c of credentials) {
    const subject = c.payload.credentialSubject;
    if (subject && typeof subject === 'object' && !Array.isArray(subject) && subject.achievement) achievements.push(subject.achievement);
  }
  return {
    '@context': [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
    id,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer: { id: issuer.id, type: ['Profile'], name: issuer.name },
    validFrom,
    name: '终身学习成果记录 / Lifelong learning record',
    credentialSubject: {
      id: subjectId,
      type: ['ClrSubject'],
      achievement: achievements,
      verifiableCredential: credentials.map((c) => ({ '@context': [VC_CONTEXT], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${c.jws}` })),
    },
  };
}

/** What verification found wrong with a payload's shape (null when it is an OpenBadgeCredential from `issuerId`). */
export function badgeShapeProblem(payload: unknown, issuerId: string): { zh: string; en: string } | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { zh: '内容不是 JSON 对象', en: 'the payload is not a JSON object' };
  const p = payload as Record<string, unknown>;
  const types = Array.isArray(p.type) ? p.type : [p.type];
  if (!types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential')) return { zh: '不是 OpenBadgeCredential', en: 'not an OpenBadgeCredential' };
  const issuer = p.issuer;
  const id = typeof issuer === 'string' ? issuer : issuer && typeof issuer === 'object' ? (issuer as Record<string, unknown>).id : undefined;
  if (id !== issuerId) return { zh: `签发者 ${String(id)} 不是本学分银行（${issuerId}）`, en: `issuer ${String(id)} is not this credit bank (${issuerId})` };
  return null;
}

/** The status entry of a credential payload, or null when it has none. */
export function statusOf(payload: Record<string, unknown>): { list_url: string; index: number } | null {
  const s = payload.credentialStatus;
  if (!s || typeof s !== 'object' || Array.isArray(s)) return null;
  const e = s as Record<string, unknown>;
  const index = Number(e.statusListIndex);
  if (typeof e.statusListCredential !== 'string' || !Number.isInteger(index) || index < 0) return null;
  return { list_url: e.statusListCredential, index };
}
