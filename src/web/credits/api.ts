/** The credit bank's API as its pages call it (src/server/routes/credits.ts), with the contract's types. */
import type {
  CreditStats, InstitutionOutcomeView, InstitutionView, IssueResponse, LearnerTranscript, OutcomeInput, PublishedCreditStats, RecognitionView, RuleView,
} from '../../contract/credits.ts';
import { call } from '../workspace/api.ts';

export type { CreditStats, InstitutionOutcomeView, InstitutionView, IssueResponse, LearnerTranscript, OutcomeInput, PublishedCreditStats, RecognitionView, RuleView };

export const creditApi = {
  institutions: async () => (await call<{ institutions: InstitutionView[] }>('GET', '/api/credits/institutions')).institutions,
  outcomes: async () => (await call<{ outcomes: InstitutionOutcomeView[] }>('GET', '/api/credits/outcomes')).outcomes,
  rules: async () => (await call<{ rules: RuleView[] }>('GET', '/api/credits/rules')).rules,
  recognitions: async () => (await call<{ recognitions: RecognitionView[] }>('GET', '/api/credits/recognitions')).recognitions,
  register: (input: OutcomeInput) => call<IssueResponse>('POST', '/api/credits/outcomes', input),
  apply: (outcomeId: number, ruleCode: string, appliedOn: string) => call<RecognitionView>('POST', '/api/credits/recognitions', { outcome_id: outcomeId, rule_code: ruleCode, applied_on: appliedOn }),
  decide: (id: number, decision: 'recognise' | 'refuse', reason?: string) =>
    call<RecognitionView>('POST', `/api/credits/recognitions/${id}/decision`, { decision, ...(reason ? { reason } : {}) }),
  learnerCode: (idNumber: string, institutionCode: string) => call<{ code: string; expires_at: string }>('POST', '/api/credits/learner-codes', { learner_id_number: idNumber, institution_code: institutionCode }),
  learnerSignIn: (code: string) => call<LearnerTranscript>('POST', '/api/credits/learner/sign-in', { code }, { quiet401: true }),
  publishedStatistics: () => call<PublishedCreditStats>('GET', '/api/credits/statistics/released'),
};

/** Offer `text` as a file download (a credential or transcript, `application/vc+jwt`). */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'application/vc+jwt' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
