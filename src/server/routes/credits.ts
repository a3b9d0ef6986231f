/**
 * The credit bank over HTTP (docs/credit-bank.md): public — the signing keys
 * (`/.well-known/jwks.json`), the revocation status lists, verification, the conversion rules
 * and a learner's sign-in with a one-time code; signed in — institutions register outcomes
 * (a credential is issued), apply for and decide recognitions, hand out learner codes, read
 * a learner's record and revoke.
 */
import { z } from 'zod';
import { EduplanError } from '../../core/errors.ts';
import {
  applyRequest, creditStats, decideRequest, institutionOutcomeView, institutionView, issueResponse, learnerCodeRequest, learnerCodeResponse, learnerRecord, learnerSignIn, learnerTranscript,
  outcomeInput, publishedCreditStats, recognitionView, revokeRequest, revokeResponse, ruleView, verifyRequest, verifyResult,
} from '../../contract/credits.ts';
import {
  applyRecognition, creditStatistics, decideRecognition, issueLearnerCode, listInstitutions, listOutcomes, learnerSignIn as signIn, listRecognitions, listRules, publishedKeys,
  readLearnerRecord, registerOutcome, revokeCredential, statusListJws, verifyCredential, type CreditDeps,
} from '../../services/credits/bank.ts';
import { creditDeps } from '../../services/credits/deps.ts';
import { publishedCreditStatistics } from '../../services/credits/statistics.ts';
import type { RouteModule, ServerDeps } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { actorOf, authenticate, clientIp } from '../auth.ts';

const listParams = z.object({ list: z.coerce.number().int().min(1) });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const recordQuery = learnerCodeRequest;

const routes: RouteModule = async (app, deps: ServerDeps) => {
  let built: CreditDeps | null = null;
  const cdeps = (): CreditDeps => {
    const c = deps.config.credential;
    if (!c) throw new EduplanError('E_CONFIG', { detail: 'the credit bank has no signing key: set EDUPLAN_CREDENTIAL_KEY_FILE / 学分银行未配置签名密钥' });
    built ??= creditDeps(deps.store, deps.clock, { keyPem: c.keyPem, publicUrl: c.publicUrl, pseudonymKey: deps.config.pseudonymKey, ...(c.retiredKeys ? { retiredKeys: c.retiredKeys } : {}) });
    return built;
  };

  app.get('/.well-known/jwks.json', openapi({ summary: '凭证签名公钥集 / The credential signing keys (JWKS)', tags: ['credits'] }), async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return publishedKeys(cdeps());
  });
  app.get('/api/credits/status/:list', openapi({ summary: '撤销状态列表凭证（Bitstring Status List，application/vc+jwt）/ The revocation status list credential', tags: ['credits'], params: listParams }), async (req, reply) => {
    const { list } = parseInput(listParams, req.params, 'params');
    const jws = await statusListJws(cdeps(), list);
    reply.header('content-type', 'application/vc+jwt');
    reply.header('cache-control', 'no-cache');
    return jws;
  });
  app.post('/api/credits/verify', openapi({ summary: '验证凭证：签名、签发者、撤销状态 / Verify a credential: signature, issuer, status', tags: ['credits'], body: verifyRequest, response: verifyResult }), async (req) => {
    const { credential } = parseInput(verifyRequest, req.body, 'body');
    return verifyCredential(cdeps(), credential);
  });
  app.get('/api/credits/rules', openapi({ summary: '学分转换规则（全部版本）/ The conversion rules, every version', tags: ['credits'], response: z.object({ rules: z.array(ruleView) }) }), async () => ({ rules: await listRules(cdeps()) }));
  app.get('/api/credits/statistics/released', openapi({ summary: '已发布的学分累积与转换统计（按年、来源、区；少于10人的格不公布数字）/ The released credit statistics', tags: ['credits'], response: publishedCreditStats }), async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return publishedCreditStatistics(deps.store);
  });
  app.post('/api/credits/learner/sign-in', openapi({ summary: '学习者凭一次性登录码查看本人学习档案与 CLR 成绩单 / A learner opens their record and CLR transcript with a one-time code', tags: ['credits'], body: learnerSignIn, response: learnerTranscript }), async (req) => {
    const { code } = parseInput(learnerSignIn, req.body, 'body');
    return signIn(cdeps(), { code, ip: clientIp(req) });
  });

  app.post('/api/credits/outcomes', openapi({ summary: '登记学习成果并签发凭证（机构经办人）/ Register an outcome and issue its credential', tags: ['credits'], body: outcomeInput, response: issueResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    return registerOutcome(cdeps(), actorOf(req), req.body);
  });
  app.get('/api/credits/institutions', openapi({ summary: '本人可见的学分银行机构及可办事项 / The credit-bank institutions in scope, with what the caller may do there', tags: ['credits'], response: z.object({ institutions: z.array(institutionView) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    return { institutions: await listInstitutions(cdeps(), actorOf(req)) };
  });
  app.get('/api/credits/outcomes', openapi({ summary: '本机构登记的学习成果（不含学习者身份）/ Outcomes registered by the institutions in scope (no learner identity)', tags: ['credits'], response: z.object({ outcomes: z.array(institutionOutcomeView) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    return { outcomes: await listOutcomes(cdeps(), actorOf(req)) };
  });
  app.get('/api/credits/recognitions', openapi({ summary: '本机构的学分认定申请 / Recognitions at the institutions in scope', tags: ['credits'], response: z.object({ recognitions: z.array(recognitionView) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    return { recognitions: await listRecognitions(cdeps(), actorOf(req)) };
  });
  app.post('/api/credits/recognitions', openapi({ summary: '申请学分认定 / Apply for a recognition', tags: ['credits'], body: applyRequest, response: recognitionView, auth: true }), async (req) => {
    await authenticate(req, deps);
    return applyRecognition(cdeps(), actorOf(req), req.body);
  });
  app.post('/api/credits/recognitions/:id/decision', openapi({ summary: '审核学分认定：认定或拒绝 / Decide a recognition', tags: ['credits'], params: idParams, body: decideRequest.omit({ recognition_id: true }), response: recognitionView, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    return decideRecognition(cdeps(), actorOf(req), { ...(req.body as object), recognition_id: id });
  });
  app.post('/api/credits/revoke', openapi({ summary: '撤销凭证 / Revoke a credential', tags: ['credits'], body: revokeRequest, response: revokeResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    return revokeCredential(cdeps(), actorOf(req), req.body);
  });
  app.post('/api/credits/learner-codes', openapi({ summary: '为学习者生成一次性登录码 / Hand a learner a one-time sign-in code', tags: ['credits'], body: learnerCodeRequest, response: learnerCodeResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    return issueLearnerCode(cdeps(), actorOf(req), parseInput(learnerCodeRequest, req.body, 'body'));
  });
  app.post('/api/credits/learner-record', openapi({ summary: '查阅学习者档案（机构范围内，记入审计）/ Read a learner record (audited)', tags: ['credits'], body: recordQuery, response: learnerRecord, auth: true }), async (req) => {
    await authenticate(req, deps);
    return readLearnerRecord(cdeps(), actorOf(req), parseInput(recordQuery, req.body, 'body'));
  });
  app.get('/api/credits/statistics', openapi({ summary: '学分累积与转换统计（按年、来源、区；少于10人的格不公布数字）/ Credits accumulated and recognised per year, source and district', tags: ['credits'], response: creditStats, auth: true }), async (req) => {
    await authenticate(req, deps);
    return creditStatistics(cdeps(), actorOf(req));
  });
};

export default routes;
