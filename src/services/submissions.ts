/**
 * The submission workflow (填报—审核—锁定), one owner per use case:
 *
 *   saveDraft, submit, approve, returnSubmission, lock, reopen   the steps (./submissions/workflow.ts)
 *   getSubmission, listSubmissions, history                      reading them (./submissions/reads.ts)
 *   completeness, setDeadline                                    completeness and timeliness per district (./submissions/completeness.ts)
 *
 * Each is `(deps, actor, input)` (src/services/deps.ts) with the shapes of
 * src/contract/submissions.ts, and decides itself what the account may do (role, scope,
 * separation of duties). Writes accept an `Idempotency-Key` (./submissions/idempotency.ts):
 * district systems that push data retry and get the first answer back, never a second write.
 * An uploaded workbook becomes a draft through forms.uploadWorkbook (src/services/forms.ts).
 */
export { approve, lock, reopen, returnSubmission, saveDraft, submit, type SaveDraftInput } from './submissions/workflow.ts';
export { getSubmission, history, listSubmissions } from './submissions/reads.ts';
export { completeness, setDeadline } from './submissions/completeness.ts';
export { requestHash, type Idempotency, type Outcome } from './submissions/idempotency.ts';
