/**
 * Forms (报表) and the spreadsheet way in: the request and response shapes shared by
 * src/services/forms.ts, the routes (/api/forms…), `eduplan forms …` / `eduplan submit`,
 * the workspace and the xlsx reports. One zod schema per shape; the types are inferred.
 */
import { z } from 'zod';
import type { ElementKind } from '../core/elements/catalogue.ts';
import { schoolTypes } from '../core/org/types.ts';
import { formComments, formValues, schoolCode, validationResult, year } from './problem.ts';
import { submission } from './submissions.ts';

const elementKinds = ['count', 'area_m2', 'money_yuan', 'flag'] as const satisfies readonly ElementKind[];

// ---- the catalogue (public: the browser runs the same rule engine on it)

export const formCodeParams = z.object({ code: z.string().min(1).max(64) });

export const formSummary = z.object({
  code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  schoolType: z.enum(schoolTypes),
  fields: z.number().int(),
  rules: z.object({ hard: z.number().int(), soft: z.number().int() }),
  sections: z.array(z.object({ code: z.string(), name_zh: z.string(), name_en: z.string(), source: z.string(), fields: z.number().int() })),
});
export type FormSummary = z.infer<typeof formSummary>;
export const formList = z.object({ forms: z.array(formSummary) });

const field = z.object({
  code: z.string(), label_zh: z.string(), label_en: z.string(), kind: z.enum(elementKinds),
  unit_zh: z.string(), unit_en: z.string(), required: z.boolean(), integer: z.boolean(), min: z.number(), max: z.number(),
});
const ruleBase = {
  id: z.string(), severity: z.enum(['hard', 'soft']), message_zh: z.string(), message_en: z.string(), fix_zh: z.string(), fix_en: z.string(),
  at: z.array(z.string()).optional().describe('Cells the problem is reported on'),
};
const rule = z.discriminatedUnion('kind', [
  z.object({ ...ruleBase, kind: z.literal('check'), expr: z.string() }),
  z.object({ ...ruleBase, kind: z.literal('change'), target: z.string(), maxPct: z.number(), minBase: z.number() }),
  z.object({ ...ruleBase, kind: z.literal('outlier'), target: z.string(), threshold: z.number(), minPeers: z.number().int() }),
]);
/** A form as data (src/core/forms `FormDef`): sections of fields, and the rules over them. */
export const formDefinition = z.object({
  code: z.string(), name_zh: z.string(), name_en: z.string(), schoolType: z.enum(schoolTypes),
  sections: z.array(z.object({ code: z.string(), name_zh: z.string(), name_en: z.string(), source: z.string(), fields: z.array(field) })),
  rules: z.array(rule),
});
export const formResponse = z.object({ form: formDefinition });

// ---- a school's template, validating a draft, uploading a workbook

export const templateQuery = z.object({ org: schoolCode.describe('学校代码 school code'), year });
export type TemplateRequest = { formCode: string; orgCode: string; year: number };

/** The school a form is filled for, as the template and the validation context need it. */
export const formSchool = z.object({
  code: z.string(),
  name_zh: z.string(),
  parent_code: z.string().nullable(),
  school_type: z.enum(schoolTypes),
});
export type FormSchool = z.infer<typeof formSchool>;

export const validateRequest = z.object({
  orgCode: schoolCode,
  year: z.number().int().min(2000).max(2100),
  values: formValues,
  comments: formComments.optional(),
});
export type ValidateRequest = z.infer<typeof validateRequest> & { formCode: string };

/** The three sign-offs as the workbook carries them (any may be blank). */
export const workbookSignoffs = z.object({ preparer: z.string().optional(), reviewer: z.string().optional(), head: z.string().optional() });

/** A workbook checked against the stored context without storing it (`eduplan submit --json`). */
export const workbookCheck = z.object({
  orgCode: z.string(),
  formCode: z.string(),
  year: z.number().int(),
  fileName: z.string(),
  values: formValues,
  comments: z.record(z.string(), z.string()),
  signoffs: workbookSignoffs,
  ready: z.boolean().describe('No hard problem, and every soft one explained'),
  validation: validationResult.describe('Problems located on the workbook\'s cells (sheet, row, column)'),
});
export type WorkbookCheckShape = z.infer<typeof workbookCheck>;

/** POST /api/forms/upload: the workbook checked whole and stored as the school's draft. */
export const uploadResponse = z.object({
  orgCode: z.string(),
  formCode: z.string(),
  year: z.number().int(),
  signoffs: workbookSignoffs,
  ready: z.boolean().describe('No hard problem, and every soft one explained'),
  validation: validationResult.describe('Problems located on the workbook\'s cells (sheet, row, column)'),
  submission,
});
export type UploadResponse = z.infer<typeof uploadResponse>;
