/**
 * Org units (机构): a region's administrative units (its levels are data: ./levels.ts) and
 * schools/kindergartens. School types follow the 教育事业统计 办学类型 groups that eduplan needs.
 */
import { z } from 'zod';
import { orgLevelCodeSchema } from './levels.ts';

/** An `org_level.code` (0017): which codes exist is the region's data, checked at import. */
export type OrgLevel = string;

/** 办学类型 (simplified to what the plan's indicators and assessments distinguish). */
export const schoolTypes = [
  'kindergarten', // 幼儿园
  'primary', // 小学
  'junior', // 初级中学
  'nine_year', // 九年一贯制学校
  'complete_secondary', // 完全中学 (初中+高中)
  'senior', // 高级中学
  'twelve_year', // 十二年一贯制学校
  'vocational', // 中等职业学校
  'special', // 特殊教育学校
  'higher_ed', // 普通高等学校
] as const;
export type SchoolType = (typeof schoolTypes)[number];

/** 学段 */
export const stages = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'special', 'higher'] as const;
export type Stage = (typeof stages)[number];

export const stagesByType: Readonly<Record<SchoolType, readonly Stage[]>> = {
  kindergarten: ['preschool'],
  primary: ['primary'],
  junior: ['junior'],
  nine_year: ['primary', 'junior'],
  complete_secondary: ['junior', 'senior'],
  senior: ['senior'],
  twelve_year: ['primary', 'junior', 'senior'],
  vocational: ['vocational'],
  special: ['special'],
  higher_ed: ['higher'],
};

export const schoolTypeNames: Readonly<Record<SchoolType, { zh: string; en: string }>> = {
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  primary: { zh: '小学', en: 'Primary school' },
  junior: { zh: '初级中学', en: 'Junior secondary school' },
  nine_year: { zh: '九年一贯制学校', en: 'Nine-year school' },
  complete_secondary: { zh: '完全中学', en: 'Complete secondary school' },
  senior: { zh: '高级中学', en: 'Senior secondary school' },
  twelve_year: { zh: '十二年一贯制学校', en: 'Twelve-year school' },
  vocational: { zh: '中等职业学校', en: 'Secondary vocational school' },
  special: { zh: '特殊教育学校', en: 'Special education school' },
  higher_ed: { zh: '普通高等学校', en: 'Higher education institution' },
};

/** Compulsory education (义务教育) = primary + junior stages. */
export function servesCompulsory(type: SchoolType): boolean {
  const s = stagesByType[type];
  return s.includes('primary') || s.includes('junior');
}

/** Basic education (基础教育) = preschool through senior secondary, incl. special. */
export function isBasicEducation(type: SchoolType): boolean {
  return type !== 'vocational' && type !== 'higher_ed';
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/**
 * One row of `org-units.csv` — the schema shared by the importer, the API and docs.
 * Administrative units: 6-digit GB/T 2260 code. Schools: 10-digit 学校标识码-style code.
 * Which level needs a parent and which a school_type is the region's level model's to say:
 * src/ingest/import-files.ts checks both against it.
 */
export const orgUnitSchema = z.object({
    code: z.string().regex(/^(\d{6}|\d{10})$/, '6-digit GB/T 2260 code or 10-digit school code'),
    name_zh: z.string().min(1),
    name_en: z.string().default(''),
    level: orgLevelCodeSchema,
    parent_code: z.string().regex(/^\d{6}$/).nullable(),
    school_type: z.enum(schoolTypes).nullable(),
    ownership: z.enum(['public', 'private']).nullable(),
    /** 普惠性 (only meaningful for private kindergartens; public ones are inclusive by definition). */
    inclusive: z.boolean().nullable(),
    urban_rural: z.enum(['urban', 'town', 'rural']).nullable(),
    opened: isoDate.nullable(),
    closed: isoDate.nullable(),
    /** Who the district calls when the school has not reported (填报联系人); optional. */
    contact_name: z.string().trim().max(100).nullable().default(null),
    /** Their telephone, as written (digits, spaces, + - ( ) and 转 for an extension); optional. */
    contact_phone: z.string().trim().regex(/^[0-9+\-() 转]{3,40}$/, 'telephone: digits, spaces, + - ( ), at most 40').nullable().default(null),
});
export type OrgUnit = z.infer<typeof orgUnitSchema>;
