/**
 * Forms (报表) and the spreadsheet way in, one owner per use case:
 *
 *   listForms, formDefinition      the catalogue (public: the browser runs the same rules)
 *   formTemplate                   a school's xlsx template, identity pre-filled from the store
 *   validateDraft                  a draft's values against the stored context
 *   uploadWorkbook                 a filled workbook checked whole and stored as the school's draft
 *   checkWorkbook                  the same check without storing (the operator's `eduplan submit`)
 *   markedWorkbook, markRefusal    the workbook back with its problem cells marked
 *
 * An uploaded workbook is read once (hostile-file gate, identity cells, every value cell:
 * all or nothing), the caller's scope is checked once at the school it names, the school
 * is looked up once and the values are validated once, with every problem put back on its
 * cell. This module (and the bench figures, forms-bench.ts) is the only caller of the
 * workbook reader and the xlsx reports.
 */
import { readFile } from 'node:fs/promises';
import { EduplanError } from '../core/errors.ts';
import { formFields, forms, type FormDef } from '../core/forms/index.ts';
import type { Action } from '../core/auth/roles.ts';
import type { FormSchool, FormSummary, TemplateRequest, UploadResponse, ValidateRequest, WorkbookCheckShape } from '../contract/forms.ts';
import type { ValidationResultShape } from '../contract/problem.ts';
import { locateInWorkbook, type SubmissionWorkbook } from '../ingest/submission-workbook.ts';
import { readSubmissionWorkbookOffThread } from '../ingest/xlsx-off-thread.ts';
import { defaultXlsxLimits } from '../ingest/xlsx-zip.ts';
import { buildErrorWorkbook } from '../reports/error-workbook.ts';
import { buildFormTemplate } from '../reports/form-template.ts';
import { requireAction, requireScope } from './authorize.ts';
import type { Actor, Caller, ServiceDeps } from './deps.ts';
import { formOrThrow, requireSchoolFor, validateStored } from './form-context.ts';
import { storeCheckedDraft, storedComments } from './submissions/workflow.ts';

// ---- the catalogue

export function listForms(): FormSummary[] {
  return forms.map((f) => ({
    code: f.code, name_zh: f.name_zh, name_en: f.name_en, schoolType: f.schoolType,
    fields: formFields(f).length,
    rules: { hard: f.rules.filter((r) => r.severity === 'hard').length, soft: f.rules.filter((r) => r.severity === 'soft').length },
    sections: f.sections.map((s) => ({ code: s.code, name_zh: s.name_zh, name_en: s.name_en, source: s.source, fields: s.fields.length })),
  }));
}

/** One form's fields and rules (the rules are data), or E_FORM_UNKNOWN. */
export function formDefinition(input: { code: string }): FormDef {
  return formOrThrow(input.code);
}

// ---- a school's template and draft

/** The school's xlsx template, for whoever may read the school's submissions. */
export async function formTemplate(deps: ServiceDeps, caller: Caller, input: TemplateRequest): Promise<{ file: Buffer; fileName: string }> {
  await requireScope(deps, caller, 'submission.read', input.orgCode, { type: 'form_template', id: input.formCode });
  const form = formOrThrow(input.formCode);
  const org = await requireSchoolFor(deps.store.db, form, input.orgCode);
  const parent = org.parent_code === null ? undefined : await deps.store.db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en']).where('code', '=', org.parent_code).executeTakeFirst();
  const file = await buildFormTemplate({ form, org, parent, year: input.year });
  return { file, fileName: `${form.code}_${org.code}_${input.year}.xlsx` };
}

/** Validate a draft's values with the stored context; the same engine the browser runs. */
export async function validateDraft(deps: ServiceDeps, caller: Caller, input: ValidateRequest): Promise<ValidationResultShape> {
  await requireScope(deps, caller, 'submission.read', input.orgCode, { type: 'form', id: input.formCode });
  const form = formOrThrow(input.formCode);
  const school = await requireSchoolFor(deps.store.db, form, input.orgCode);
  return validateStored(deps.store.db, form, school, input.year, input.values, input.comments ?? {});
}

// ---- uploaded workbooks

/** The largest workbook the reader accepts (the hostile-file gate's limit). */
export const WORKBOOK_MAX_BYTES = defaultXlsxLimits.maxBytes;

/** A workbook the reader accepted, and where its bytes are (to mark them). */
export interface ReadWorkbook {
  readonly workbook: SubmissionWorkbook;
  readonly source: string | Buffer;
}

/** A workbook to check: its bytes or its path, or one already read. */
export interface WorkbookInput {
  readonly file: string | Buffer | ReadWorkbook;
  /** The name problems are reported under (default: the path's base name, or upload.xlsx). */
  readonly fileName?: string | undefined;
  /** Also answer the workbook with its problem cells marked. */
  readonly markErrors?: boolean | undefined;
}

/** What a checked workbook holds, its located problems and, when asked, the marked copy. */
export type WorkbookCheck = WorkbookCheckShape & { readonly marked?: Buffer };

/**
 * Read a workbook in a worker thread (a hostile file never holds the event loop): the
 * bounded-xlsx gate, identity cells, every value cell — all or nothing;
 * throws E_IMPORT_FILE_TYPE, E_IMPORT_TOO_LARGE or E_IMPORT_INVALID listing every bad cell.
 * Touches no data (the operator's CLI reads before it opens the database).
 */
export async function readWorkbook(input: { file: string | Buffer; fileName?: string | undefined }): Promise<ReadWorkbook> {
  const workbook = await readSubmissionWorkbookOffThread(input.file, input.fileName === undefined ? {} : { fileName: input.fileName });
  return { workbook, source: input.file };
}

const bytesOf = (source: string | Buffer): Promise<Buffer> => (typeof source === 'string' ? readFile(source) : Promise.resolve(source));

/**
 * Check the caller may do `action` at all — before a byte of the workbook is read, so an
 * account that may not (say, a read-only analyst uploading) costs no parsing —, read it
 * (unless already read), check the caller may do `action` at the school the workbook names
 * — known only after reading its identity cells —, and validate its values against the
 * stored context with every problem put back on its cell.
 */
async function checked(deps: ServiceDeps, caller: Caller, action: Action, input: WorkbookInput): Promise<{ read: ReadWorkbook; form: FormDef; school: FormSchool; check: WorkbookCheck }> {
  await requireAction(deps, caller, action);
  const read = typeof input.file === 'string' || Buffer.isBuffer(input.file) ? await readWorkbook({ file: input.file, fileName: input.fileName }) : input.file;
  const wb = read.workbook;
  await requireScope(deps, caller, action, wb.orgCode, { type: 'form', id: wb.formCode });
  const form = formOrThrow(wb.formCode);
  const school = await requireSchoolFor(deps.store.db, form, wb.orgCode);
  const r = await validateStored(deps.store.db, form, school, wb.year, wb.values, wb.comments);
  const validation = { hard: locateInWorkbook(r.hard, wb), soft: locateInWorkbook(r.soft, wb), unexplained: locateInWorkbook(r.unexplained, wb) };
  const check: WorkbookCheck = {
    orgCode: wb.orgCode, formCode: wb.formCode, year: wb.year, fileName: wb.fileName, values: wb.values, comments: wb.comments, signoffs: wb.signoffs,
    ready: validation.hard.length === 0 && validation.unexplained.length === 0, validation,
    ...(input.markErrors ? { marked: await buildErrorWorkbook(await bytesOf(read.source), { hard: validation.hard, soft: validation.soft }) } : {}),
  };
  return { read, form, school, check };
}

/**
 * Check a filled workbook without storing it: for whoever may read the school's
 * submissions, and the operator's console.
 */
export async function checkWorkbook(deps: ServiceDeps, caller: Caller, input: WorkbookInput): Promise<WorkbookCheck> {
  return (await checked(deps, caller, 'submission.read', input)).check;
}

/**
 * Upload a filled workbook: checked whole, then stored as the school's draft through the
 * submission workflow (audited), whatever its problems — the school fixes them in the form
 * or uploads again. Only an account that may edit the school's submission may upload.
 */
export async function uploadWorkbook(deps: ServiceDeps, actor: Actor, input: WorkbookInput): Promise<UploadResponse & { readonly marked?: Buffer }> {
  const { form, school, check } = await checked(deps, actor, 'submission.edit', input);
  const submission = await storeCheckedDraft(deps, actor, { form, school, year: check.year, values: check.values, comments: storedComments(check.comments) });
  return {
    orgCode: check.orgCode, formCode: check.formCode, year: check.year, signoffs: check.signoffs, ready: check.ready,
    validation: check.validation, submission,
    ...(check.marked ? { marked: check.marked } : {}),
  };
}

/**
 * The marked copy of a workbook the reader refused cell by cell (problems on their rows),
 * or null for a refusal that cannot be marked: hostile, oversized or wrong-type files.
 */
export async function markRefusal(file: string | Buffer, err: unknown): Promise<Buffer | null> {
  if (!(err instanceof EduplanError) || err.code !== 'E_IMPORT_INVALID' || !err.problems.some((p) => p.row !== undefined)) return null;
  return buildErrorWorkbook(await bytesOf(file), { hard: err.problems });
}

/** The same workbook with its problem cells marked: the validation's, or the reader's refusal's. */
export async function markedWorkbook(deps: ServiceDeps, caller: Caller, input: { file: Buffer; fileName?: string | undefined }): Promise<Buffer> {
  try {
    const check = await checkWorkbook(deps, caller, { ...input, markErrors: true });
    return check.marked as Buffer;
  } catch (err) {
    const marked = await markRefusal(input.file, err);
    if (marked === null) throw err;
    return marked;
  }
}
