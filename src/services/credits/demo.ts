/** Loading the credit bank's demo data (src/demo/credits.ts) through the ordinary use cases, on a demo's first start. */
import { EduplanError } from '../../core/errors.ts';
import type { CreditDemo } from '../../demo/credits.ts';
import type { SystemCaller } from '../deps.ts';
import { applyRecognition, decideRecognition, defineRule, registerInstitution, registerOutcome, revokeCredential, type CreditDeps } from './bank.ts';

export interface CreditDemoSummary {
  readonly outcomes: number;
  readonly recognised: number;
  readonly refused: number;
  /** Of the refusals, those a rule's cap made. */
  readonly refusedByCap: number;
  readonly revoked: number;
}

export async function loadCreditDemo(deps: CreditDeps, caller: SystemCaller, demo: CreditDemo): Promise<CreditDemoSummary> {
  for (const i of demo.institutions) await registerInstitution(deps, caller, i);
  for (const r of demo.rules) await defineRule(deps, caller, r);
  const issued = [];
  for (const o of demo.outcomes) issued.push(await registerOutcome(deps, caller, o));
  let recognised = 0;
  let refused = 0;
  let refusedByCap = 0;
  for (const a of demo.applications) {
    const outcome = issued[a.outcome];
    if (!outcome) continue;
    const app = await applyRecognition(deps, caller, { outcome_id: outcome.outcome_id, rule_code: a.rule, applied_on: a.on });
    try {
      await decideRecognition(deps, caller, { recognition_id: app.id, decision: a.decide, reason: a.reason ?? '演示 demo' });
      recognised += a.decide === 'recognise' ? 1 : 0;
      refused += a.decide === 'refuse' ? 1 : 0;
    } catch (err) {
      // A cap refuses it: the reviewer records the refusal with the rule's reason, as a person would.
      if (!(err instanceof EduplanError) || err.code !== 'E_CREDIT_REFUSED') throw err;
      await decideRecognition(deps, caller, { recognition_id: app.id, decision: 'refuse', reason: err.problems[0]?.message_zh ?? err.code });
      refused += 1;
      refusedByCap += 1;
    }
  }
  for (const i of demo.revoked) {
    const c = issued[i];
    if (c) await revokeCredential(deps, caller, { credential_id: c.credential_id, reason: '演示：证书信息有误后撤销 / demo: revoked after an error in the certificate' });
  }
  return { outcomes: issued.length, recognised, refused, refusedByCap, revoked: demo.revoked.length };
}
