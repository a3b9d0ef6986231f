/**
 * Demo plan-execution files (规划实施演示数据), in the layouts a user imports
 * (docs/data-files.md): the plan's registries (registry-<id>.csv), the units that own its
 * items and their assignments, milestones, entered target values, semi-annual progress
 * reports, and the documents they cite (documents/, each marked as a demo file). Everything is
 * simulated and says so; city-level lists (鲁班工坊, 一流本科专业 …) are sized to the plan's
 * numbers, so a fresh start shows targets met, at risk and missed; coverage registries
 * (劳动实践教室) follow the demo's own schools.
 *
 * Deterministic: drawn from its own fork of the generator, so nothing else moves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CITY_CODE, districts } from '../core/org/districts.ts';
import { periodsOf } from '../core/plan-execution/reporting.ts';
import { planItems } from '../core/plan-execution/items.ts';
import { registryFileName, type Registry } from '../core/plan/registry.ts';
import type { Plan } from '../core/plan/schema.ts';
import {
  DOCUMENTS_DIR, PLAN_MILESTONES_FILE, PLAN_OWNERS_FILE, PLAN_UNITS_FILE, TARGET_VALUES_FILE, TASK_REPORTS_FILE,
  planMilestoneColumns, planOwnerColumns, planUnitColumns, registryFixedColumns, targetValueColumns, taskReportColumns,
} from '../ingest/plan-execution-layout.ts';
import { CsvFileWriter, type Cell } from './csv-writer.ts';
import type { Rng } from './random.ts';
import type { DemoSchool } from './schools.ts';

const DEMO = '（演示）';
const K12 = new Set(['primary', 'junior', 'nine_year', 'complete_secondary', 'senior', 'twelve_year', 'special']);

type Row = Record<string, string | number | null>;

/** City departments (市级部门) that lead the plan's items in the demo; the plan names none. */
const departments: ReadonlyArray<[code: string, zh: string, en: string]> = [
  ['dept-party', '市委教育工委组织处', 'Organisation Division, Municipal Education Work Committee'],
  ['dept-ideology', '市教委思想政治工作处', 'Ideological and Political Work Division'],
  ['dept-pe-arts', '市教委体育卫生与艺术教育处', 'PE, Health and Arts Education Division'],
  ['dept-basic', '市教委基础教育处', 'Basic Education Division'],
  ['dept-vocational', '市教委职业教育与成人教育处', 'Vocational and Adult Education Division'],
  ['dept-higher', '市教委高等教育处', 'Higher Education Division'],
  ['dept-research', '市教委科学技术与研究生处', 'Science, Technology and Postgraduate Division'],
  ['dept-teachers', '市教委教师工作处', 'Teacher Affairs Division'],
  ['dept-it', '市教委信息化工作处', 'Informatisation Division'],
  ['dept-international', '市教委国际交流与合作处', 'International Exchange and Cooperation Division'],
  ['dept-planning', '市教委发展规划处', 'Development Planning Division'],
  ['dept-supervision', '市政府教育督导室', 'Education Supervision Office'],
  ['dept-finance', '市教委财务处', 'Finance Division'],
  ['dept-hr', '市人力资源和社会保障局', 'Municipal Human Resources and Social Security Bureau'],
];

/** Which department leads each task area, and who works with it (districts where they deliver). */
const areaLeads: Readonly<Record<string, [lead: string, co: string[]]>> = {
  party_leadership: ['dept-party', ['dept-ideology']],
  moral_education: ['dept-ideology', ['dept-pe-arts']],
  innovation_service: ['dept-research', ['dept-higher']],
  basic_education: ['dept-basic', ['dept-supervision']],
  vocational_education: ['dept-vocational', ['dept-hr']],
  higher_education: ['dept-higher', ['dept-research']],
  lifelong_learning: ['dept-vocational', []],
  teachers: ['dept-teachers', ['dept-hr']],
  informatisation: ['dept-it', []],
  cooperation_opening: ['dept-international', []],
  governance: ['dept-planning', ['dept-finance']],
};
const projectLeads: Readonly<Record<number, string>> = {
  1: 'dept-ideology', 2: 'dept-pe-arts', 3: 'dept-pe-arts', 4: 'dept-ideology', 5: 'dept-research', 6: 'dept-basic', 7: 'dept-basic', 8: 'dept-basic', 9: 'dept-basic',
  10: 'dept-vocational', 11: 'dept-higher', 12: 'dept-vocational', 13: 'dept-teachers', 14: 'dept-teachers', 15: 'dept-vocational', 16: 'dept-higher', 17: 'dept-it', 18: 'dept-planning', 19: 'dept-international',
};
/** 专栏 the districts deliver in (学前普及普惠, 义务教育优质均衡): each district is a co-unit and reports. */
const districtProjects = new Set([6, 7]);

const districtUnit = (code: string): string => `district-${code}`;

class Docs {
  readonly files = new Map<string, string>();
  add(name: string, title: string, body: string): string {
    this.files.set(name, `${title}${DEMO}\n\n本文件为演示数据，内容为模拟生成，不是真实文件。\nDemo file: simulated content, not a real document.\n\n${body}\n`);
    return name;
  }
}

async function writeCsv(path: string, columns: readonly string[], rows: readonly Row[]): Promise<number> {
  const w = new CsvFileWriter(path);
  await w.row(columns);
  for (const r of rows) await w.row(columns.map((c): Cell => r[c] ?? null));
  await w.close();
  return rows.length;
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng.next() * list.length)] as T;

/** Entries of each registry, sized to the plan's targets (some met, some not). */
function registryRows(id: string, rng: Rng, schools: readonly DemoSchool[], docs: Docs, registry: Registry): Row[] {
  const doc = (year: number, what: string): string => docs.add(`${id.replace(/_/g, '-')}-${year}.txt`, `${registry.name_zh}${year}年认定文件`, `${what}\n认定年份：${year}`);
  const rows: Row[] = [];
  const add = (code: string, fields: Row, year: number): void => { rows.push({ entry_code: code, ...fields, document: doc(year, `关于公布${year}年${registry.name_zh}名单的通知`) }); };
  const districtOf = (i: number): string => (districts[i % districts.length] as { code: string }).code;
  switch (id) {
    case 'luban_workshops': {
      // 17 by 2020 (the plan's baseline), 10 of them in Africa by 2025; one more in Africa still being built.
      const list: Array<[string, string, string, number, string]> = [
        ['TH', '泰国', 'asia', 2016, 'operating'], ['GB', '英国', 'europe', 2016, 'operating'], ['IN', '印度', 'asia', 2017, 'operating'], ['ID', '印度尼西亚', 'asia', 2017, 'operating'],
        ['PK', '巴基斯坦', 'asia', 2018, 'operating'], ['KH', '柬埔寨', 'asia', 2018, 'operating'], ['PT', '葡萄牙', 'europe', 2018, 'operating'], ['DJ', '吉布提', 'africa', 2019, 'operating'],
        ['KE', '肯尼亚', 'africa', 2019, 'operating'], ['ZA', '南非', 'africa', 2019, 'operating'], ['ML', '马里', 'africa', 2019, 'operating'], ['NG', '尼日利亚', 'africa', 2020, 'operating'],
        ['EG', '埃及', 'africa', 2020, 'operating'], ['UG', '乌干达', 'africa', 2020, 'operating'], ['MG', '马达加斯加', 'africa', 2020, 'operating'], ['CI', '科特迪瓦', 'africa', 2020, 'operating'],
        ['ET', '埃塞俄比亚', 'africa', 2020, 'operating'], ['RU', '俄罗斯', 'europe', 2022, 'operating'], ['UZ', '乌兹别克斯坦', 'asia', 2022, 'operating'], ['TJ', '塔吉克斯坦', 'asia', 2023, 'operating'],
        ['TZ', '坦桑尼亚', 'africa', 2024, 'building'],
      ];
      for (const [cc, country, continent, year, status] of list) {
        add(`LB-${year}-${cc}`, { name_zh: `${country}鲁班工坊${DEMO}`, country, continent, partner_institution: `${country}合作职业院校${DEMO}`, chinese_institution: `天津市职业院校${pick(rng, ['甲', '乙', '丙', '丁'])}${DEMO}`, opened_year: year, closed_year: null, status }, year);
      }
      return rows;
    }
    case 'campus_football': {
      let n = 0;
      const perYear: Record<number, number> = { 2015: 120, 2016: 60, 2017: 45, 2018: 40, 2019: 25, 2020: 20, 2021: 55, 2022: 50, 2023: 45, 2024: 40 };
      for (const [y, count] of Object.entries(perYear)) for (let i = 0; i < count; i++) {
        n += 1;
        add(`FB-S-${y}-${String(i + 1).padStart(3, '0')}`, { name_zh: `足球特色学校${n}号${DEMO}`, kind: 'characteristic_school', level: 'national', district: districtOf(n), school: null, designated_year: Number(y), revoked_year: n % 97 === 0 && Number(y) < 2023 ? 2023 : null }, Number(y));
      }
      for (const [i, y] of [2019, 2020, 2021, 2023, 2024].entries()) add(`FB-C-${y}-${i + 1}`, { name_zh: `“满天星”训练营${i + 1}号${DEMO}`, kind: 'mantianxing_camp', level: 'national', district: districtOf(i * 3), school: null, designated_year: y, revoked_year: null }, y);
      return rows;
    }
    case 'student_art_troupes': {
      const forms = ['choir', 'orchestra', 'folk_music', 'dance', 'drama', 'opera', 'fine_arts'];
      for (let i = 0; i < 486; i++) {
        const year = i < 360 ? 2012 + (i % 9) : 2021 + (i % 5);
        rows.push({ entry_code: `AT-${String(i + 1).padStart(4, '0')}`, name_zh: `学生艺术团${i + 1}号${DEMO}`, art_form: forms[i % forms.length] ?? 'choir', district: districtOf(i), school: null, founded_year: year, dissolved_year: i % 61 === 0 && year < 2022 ? 2022 : null, document: null });
      }
      return rows;
    }
    case 'arts_events': {
      // No showcase in 2022 (a year without one: the every-year target is missed).
      for (const y of [2020, 2021, 2023, 2024, 2025]) add(`AE-S-${y}`, { name_zh: `${y}年大中小学生艺术专项展示${DEMO}`, kind: 'showcase', held_year: y }, y);
      for (const y of [2020, 2023]) add(`AE-F-${y}`, { name_zh: `${y}年综合性艺术展演${DEMO}`, kind: 'festival', held_year: y }, y);
      return rows;
    }
    case 'labour_practice_spaces': {
      for (const s of schools) {
        const school = K12.has(s.type);
        const college = s.type === 'vocational' || s.type === 'higher_ed';
        if (!school && !college) continue;
        const u = rng.next();
        // Most schools built one during the plan period; some earlier; some not yet.
        if (u > (school ? 0.93 : 0.86)) continue;
        const year = u < 0.3 ? 2019 + Math.floor(u * 6) : 2021 + Math.floor((u - 0.3) * 7.5);
        rows.push({ entry_code: `LS-${s.code}`, school: s.code, kind: school ? 'classroom' : 'workshop', rooms: 1 + Math.floor(rng.next() * 3), opened_year: Math.min(2025, year), closed_year: null, document: null });
      }
      return rows;
    }
    case 'labour_education_bases': {
      const sectors = ['agriculture', 'industry', 'science', 'ecology', 'culture', 'tourism', 'manufacturing'];
      for (let i = 0; i < 5; i++) add(`LB-C-${i + 1}`, { name_zh: `市级劳动教育基地${i + 1}号${DEMO}`, level: 'city', sector: null, district: districtOf(i * 4), designated_year: 2021 + Math.min(i, 2), revoked_year: null }, 2021 + Math.min(i, 2));
      for (let i = 0; i < 15; i++) add(`LB-D-${districtOf(i)}`, { name_zh: `区级劳动教育基地（${i + 1}）${DEMO}`, level: 'district', sector: null, district: districtOf(i), designated_year: 2021 + (i % 4), revoked_year: null }, 2021 + (i % 4));
      for (let i = 0; i < 47; i++) add(`LB-I-${String(i + 1).padStart(2, '0')}`, { name_zh: `行业劳动实践教育基地${i + 1}号${DEMO}`, level: 'industry', sector: sectors[i % sectors.length] ?? 'industry', district: districtOf(i), designated_year: 2021 + (i % 5), revoked_year: null }, 2021 + (i % 5));
      return rows;
    }
    case 'discipline_clusters': {
      const industries = ['intelligent_tech', 'biomedicine', 'new_energy_materials', 'aerospace', 'equipment', 'automobile', 'petrochemical'];
      for (let i = 0; i < 38; i++) add(`DC-${String(i + 1).padStart(2, '0')}`, { name_zh: `服务产业特色学科群${i + 1}号${DEMO}`, lead_university: `天津高校${(i % 12) + 1}号${DEMO}`, tier: i < 18 ? 'key' : 'cultivation', industry: industries[i % industries.length] ?? 'equipment', approved_year: i < 20 ? 2021 : 2022 + (i % 2), withdrawn_year: null }, i < 20 ? 2021 : 2022 + (i % 2));
      return rows;
    }
    case 'university_science_parks': {
      for (let i = 0; i < 8; i++) add(`SP-${i + 1}`, { name_zh: `大学科技园${i + 1}号${DEMO}`, university: `天津高校${i + 1}号${DEMO}`, tier: i === 0 ? 'national' : i < 5 ? 'city' : 'incubating', recognised_year: i === 0 ? 2018 : 2021 + (i % 5), revoked_year: null }, i === 0 ? 2018 : 2021 + (i % 5));
      return rows;
    }
    case 'modern_industry_colleges': {
      for (let i = 0; i < 11; i++) add(`MC-${i + 1}`, { name_zh: `现代产业学院${i + 1}号${DEMO}`, university: `天津高校${(i % 9) + 1}号${DEMO}`, approved_year: 2021 + (i % 4), withdrawn_year: null }, 2021 + (i % 4));
      return rows;
    }
    case 'brand_high_schools': {
      const high = schools.filter((s) => s.type === 'senior' || s.type === 'complete_secondary' || s.type === 'twelve_year');
      if (high.length === 0) return rows;
      for (let i = 0; i < 9; i++) { const s = high[i % high.length] as DemoSchool; add(`BH-${i + 1}`, { kind: 'brand_high_school', school: s.code, subject: null, designated_year: 2021 + (i % 4), revoked_year: null }, 2021 + (i % 4)); }
      const subjects = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '政治', '信息技术', '艺术', '体育'];
      for (let i = 0; i < 60; i++) {
        const s = high[(i * 7) % high.length] as DemoSchool;
        const year = i < 54 ? 2014 + (i % 6) : 2021 + (i % 4);
        add(`SB-${String(i + 1).padStart(2, '0')}`, { kind: 'subject_course_base', school: s.code, subject: subjects[i % subjects.length] ?? '语文', designated_year: year, revoked_year: null }, year);
      }
      return rows;
    }
    case 'vocational_excellence': {
      const plan: Array<[string, number, number]> = [['advanced_higher_vocational', 12, 2021], ['advanced_secondary_vocational', 9, 2021], ['double_high', 7, 2019], ['first_class_vocational_university', 2, 2022], ['innovation_platform', 3, 2022], ['it_innovation_college', 2, 2022]];
      for (const [kind, count, from] of plan) for (let i = 0; i < count; i++) {
        const y = from + (i % 4);
        add(`VE-${kind}-${i + 1}`, { name_zh: `${kind === 'double_high' ? '“双高计划”建设院校' : '职业教育标杆'}${i + 1}号${DEMO}`, kind, institution: `天津职业院校${i + 1}号${DEMO}`, designated_year: Math.min(2025, y), revoked_year: null }, Math.min(2025, y));
      }
      return rows;
    }
    case 'high_level_disciplines': {
      for (let i = 0; i < 41; i++) add(`HD-${String(i + 1).padStart(2, '0')}`, { name_zh: `高水平学科${i + 1}号${DEMO}`, university: `天津高校${(i % 15) + 1}号${DEMO}`, tier: i < 12 ? 'top' : 'high_level', selected_year: 2021 + (i % 3), withdrawn_year: null }, 2021 + (i % 3));
      return rows;
    }
    case 'double_first_class': {
      for (let i = 0; i < 5; i++) add(`DF-U-${i + 1}`, { kind: 'university', name_zh: `“双一流”建设高校${i + 1}号${DEMO}`, university: `天津高校${i + 1}号${DEMO}`, included_year: 2017, removed_year: null }, 2017);
      for (let i = 0; i < 14; i++) add(`DF-D-${i + 1}`, { kind: 'discipline', name_zh: `“双一流”建设学科${i + 1}号${DEMO}`, university: `天津高校${(i % 5) + 1}号${DEMO}`, included_year: i < 12 ? 2017 : 2022, removed_year: null }, i < 12 ? 2017 : 2022);
      return rows;
    }
    case 'distinctive_universities': {
      for (let i = 0; i < 6; i++) add(`DU-M-${i + 1}`, { university: `市属本科高校${i + 1}号${DEMO}`, kind: 'municipal', recognised_year: 2022 + (i % 4) }, 2022 + (i % 4));
      for (let i = 0; i < 2; i++) add(`DU-C-${i + 1}`, { university: `共建高校${i + 1}号${DEMO}`, kind: 'cobuilt', recognised_year: 2023 + i }, 2023 + i);
      return rows;
    }
    case 'first_class_undergraduate': {
      const batches: Array<['programme' | 'course', number, number]> = [['programme', 2019, 60], ['programme', 2020, 51], ['programme', 2021, 70], ['programme', 2022, 35], ['course', 2020, 111], ['course', 2023, 80]];
      for (const [kind, year, count] of batches) for (let i = 0; i < count; i++) {
        rows.push({ entry_code: `FC-${kind === 'programme' ? 'P' : 'C'}-${year}-${String(i + 1).padStart(3, '0')}`, kind, name_zh: `${kind === 'programme' ? '一流本科专业' : '一流本科课程'}${year}-${i + 1}${DEMO}`, university: `天津高校${(i % 20) + 1}号${DEMO}`, batch_year: year, withdrawn_year: null, document: docs.add(`first-class-undergraduate-${kind}-${year}.txt`, `${year}年国家级一流本科${kind === 'programme' ? '专业建设点' : '课程'}名单`, `批次：${year}`) });
      }
      return rows;
    }
    case 'backbone_teachers': {
      const totals: Record<string, number[]> = { city: [600, 660], district: [7600, 7800], school: [12100, 12000] };
      for (const [level, [first, second]] of Object.entries(totals)) {
        for (const [bi, year] of [2021, 2024].entries()) {
          const total = bi === 0 ? (first ?? 0) : (second ?? 0);
          const weights = districts.map((d) => d.population2020);
          const sum = weights.reduce((a, b) => a + b, 0);
          let left = total;
          districts.forEach((d, i) => {
            const n = i === districts.length - 1 ? left : Math.round((total * (weights[i] ?? 0)) / sum);
            left -= n;
            if (n > 0) add(`BT-${level}-${year}-${d.code}`, { district: d.code, level, teachers: n, designated_year: year, expires_year: null }, year);
          });
        }
      }
      return rows;
    }
    case 'jinmen_talents': {
      const per: Array<['principal' | 'head_teacher' | 'teacher', number]> = [['principal', 10], ['head_teacher', 20], ['teacher', 30]];
      for (let year = 2021; year <= 2025; year++) for (const [category, about] of per) {
        const total = about + Math.round((rng.next() - 0.5) * about * 0.3);
        // Split across three districts of the year.
        const ds = [0, 1, 2].map((k) => districtOf(year * 3 + k));
        let left = total;
        ds.forEach((d, k) => {
          const n = k === 2 ? left : Math.floor(total / 3);
          left -= n;
          add(`JM-${year}-${category}-${d}`, { category, district: d, people: n, selected_year: year }, year);
        });
      }
      return rows;
    }
    case 'vocational_teacher_programmes': {
      const per: Array<['navigator_principal' | 'craftsman_talent' | 'skilled_craftsman', number]> = [['navigator_principal', 20], ['craftsman_talent', 200], ['skilled_craftsman', 550]];
      for (let year = 2021; year <= 2025; year++) for (const [programme, n] of per) add(`VT-${year}-${programme}`, { programme, institution: `天津职业院校联合承办${DEMO}`, people: n + Math.round((rng.next() - 0.5) * n * 0.1), year }, year);
      return rows;
    }
    case 'higher_ed_talent_programmes': {
      const per: Array<[string, number]> = [['discipline_leader', 100], ['young_reserve', 100], ['midcareer_innovator', 160], ['social_science_outstanding', 20], ['social_science_senior', 5], ['young_innovation', 262]];
      for (let year = 2021; year <= 2025; year++) for (const [programme, n] of per) add(`HT-${year}-${programme}`, { programme, institution: `天津市属高校${DEMO}`, people: n, year }, year);
      return rows;
    }
    case 'elderly_universities': {
      districts.slice(0, 14).forEach((d, i) => add(`EU-${d.code}`, { name_zh: `${d.name_zh}示范性老年大学${DEMO}`, district: d.code, designated_year: 2021 + (i % 5), revoked_year: null }, 2021 + (i % 5)));
      return rows;
    }
    default:
      return rows;
  }
}

/** Values the owners enter for `entered` targets, per year; targets absent here are left unentered (no survey measures them). */
const enteredSeries: Readonly<Record<string, { from: number; values: readonly number[]; method: string }>> = {
  pe_daily_exercise_hours: { from: 2020, values: [0.8, 0.85, 0.88, 0.93, 0.97, 1.02], method: '学生体育锻炼时间抽样调查' },
  sunshine_sports_coverage: { from: 2020, values: [92, 94, 96, 97, 99, 100], method: '阳光体育运动开展情况统计' },
  preschool_districts_applied_2021: { from: 2021, values: [4], method: '普及普惠督导评估申报名单' },
  preschool_districts_applied_2022: { from: 2022, values: [6], method: '普及普惠督导评估申报名单' },
  preschool_districts_certified_2023: { from: 2023, values: [12, 15, 16], method: '普及普惠督导评估认定名单' },
  new_teaching_instruments: { from: 2021, values: [680000, 1360000, 2030000, 2710000, 3380000], method: '教学仪器配置统计（累计）' },
  disabled_children_compulsory_enrolment: { from: 2020, values: [95, 95.5, 96, 96.4, 96.8, 97.1], method: '残疾儿童少年入学情况统计' },
  elderly_education_participation: { from: 2020, values: [38, 41, 43, 46, 48.5, 51.2], method: '老年教育参与情况抽样调查' },
  compulsory_places_added: { from: 2021, values: [34000, 70000, 103000, 136000, 168000], method: '新增义务教育学位统计（累计）' },
  districts_in_quality_monitoring: { from: 2021, values: [16, 16, 16, 16, 16], method: '国家义务教育质量监测样本区名单' },
  ministry_cobuilt_universities: { from: 2021, values: [5, 5, 5, 5, 5], method: '部市共建协议' },
  continuing_education_model_courses: { from: 2021, values: [20, 45, 68, 90, 112], method: '课程思政示范课程认定名单（累计）' },
  town_elderly_schools_coverage: { from: 2020, values: [85, 88, 91, 94, 96, 98], method: '街镇老年学校设置统计' },
  school_video_surveillance_coverage: { from: 2020, values: [90, 93, 96, 98, 99.5, 100], method: '校园视频监控系统建设统计' },
};

const narratives: Readonly<Record<'on_track' | 'at_risk' | 'delayed' | 'done', string>> = {
  on_track: '按年度工作要点推进，主要节点如期完成。',
  at_risk: '部分工作进度慢于计划，已制定追赶措施。',
  delayed: '受客观因素影响，进度滞后，正在调整安排。',
  done: '本项任务已完成，成果已通过验收。',
};
const reasons: readonly string[] = ['资金拨付晚于预期', '项目审批周期较长', '场地建设受施工周期影响', '配套政策尚待出台', '疫情防控影响线下活动'];

export interface PlanExecutionDemo { readonly files: string[]; readonly rows: number }

export async function writePlanExecutionFiles(opts: { plan: Plan; schools: readonly DemoSchool[]; rng: Rng; outDir: string }): Promise<PlanExecutionDemo> {
  const { plan, schools, rng, outDir } = opts;
  const docs = new Docs();
  const files: string[] = [];
  let rows = 0;
  const out = async (name: string, columns: readonly string[], data: readonly Row[]): Promise<void> => {
    const path = join(outDir, name);
    rows += await writeCsv(path, columns, data);
    files.push(path);
  };

  // Units: the departments and the 16 districts.
  await out(PLAN_UNITS_FILE, planUnitColumns.map((c) => c.name), [
    ...departments.map(([code, zh, en]) => ({ code, name_zh: `${zh}${DEMO}`, name_en: en, kind: 'department', org_code: CITY_CODE })),
    ...districts.map((d) => ({ code: districtUnit(d.code), name_zh: `${d.name_zh}教育局`, name_en: `${d.name_en} District Education Bureau`, kind: 'district', org_code: d.code })),
  ]);

  // Owners: every task area and 专栏 (sub-tasks follow their area's).
  const owners: Row[] = [];
  const ownerOf = new Map<string, { lead: string; co: string[] }>();
  for (const a of plan.task_areas) {
    const [lead, co] = areaLeads[a.code] ?? ['dept-planning', []];
    owners.push({ item: a.code, lead_unit: lead, co_units: co.join(';'), frequency: 'semiannual' });
    ownerOf.set(a.code, { lead, co });
  }
  for (const p of plan.projects) {
    const lead = projectLeads[p.number] ?? 'dept-planning';
    const co = districtProjects.has(p.number) ? districts.map((d) => districtUnit(d.code)) : [];
    owners.push({ item: p.code, lead_unit: lead, co_units: co.join(';'), frequency: 'semiannual' });
    ownerOf.set(p.code, { lead, co });
  }
  await out(PLAN_OWNERS_FILE, planOwnerColumns.map((c) => c.name), owners);

  // Registries.
  const reg = rng.fork('registries');
  for (const r of plan.registries) {
    const data = registryRows(r.id, reg.fork(r.id), schools, docs, r);
    await out(registryFileName(r.id), [registryFixedColumns[0]?.name ?? 'entry_code', ...r.fields.map((f) => f.key), 'document'], data);
  }

  // Entered target values, each with its evidence.
  const values: Row[] = [];
  const measures = new Map<string, string>();
  for (const t of [...plan.projects.flatMap((p) => p.targets), ...plan.text_targets]) if (t.data_path.kind === 'entered') measures.set(t.data_path.measure ?? t.code, t.code);
  for (const [measure, s] of Object.entries(enteredSeries)) {
    const target = measures.get(measure);
    if (!target) continue;
    s.values.forEach((v, i) => {
      const year = s.from + i;
      values.push({ target, year, value: v, evidence: docs.add(`value-${measure.replace(/_/g, '-')}-${year}.txt`, `${year}年${s.method}`, `指标：${measure}\n数值：${v}`), note: `${s.method}${DEMO}` });
    });
  }
  await out(TARGET_VALUES_FILE, targetValueColumns.map((c) => c.name), values);

  // Milestones: one per 专栏 and year, from the 专栏's own sentences.
  const ms = rng.fork('milestones');
  const milestones: Row[] = [];
  for (const p of plan.projects) {
    for (let year = plan.period.start; year <= plan.period.end; year++) {
      const sentence = (p.items_zh[(year - plan.period.start) % p.items_zh.length] ?? p.title_zh).replace(/[。；]$/, '');
      const text = sentence.length > 60 ? `${sentence.slice(0, 58)}…` : sentence;
      const u = ms.next();
      // Earlier years mostly done (a few late or still open); the last year still running.
      const done = year < plan.period.end && u < 0.85 ? (u < 0.7 ? `${year}-12-${String(10 + Math.floor(u * 20)).padStart(2, '0')}` : `${year + 1}-02-${String(1 + Math.floor(u * 20)).padStart(2, '0')}`) : null;
      const code = `${year}-1`;
      milestones.push({ item: p.code, code, year, text_zh: `${year}年：${text}`, text_en: `${year}: milestone of ${p.title_en}`, due: `${year}-12-31`, done_on: done, evidence: done ? docs.add(`milestone-${p.code.replace(/_/g, '-')}-${code}.txt`, `${p.title_zh}${year}年节点完成情况`, text) : null, note: null });
    }
  }
  await out(PLAN_MILESTONES_FILE, planMilestoneColumns.map((c) => c.name), milestones);

  // Semi-annual reports of every owner of the task areas and 专栏, 2021H1–2025H1; some late, a few missing or returned.
  const rr = rng.fork('reports');
  const reports: Row[] = [];
  const periods = periodsOf('semiannual', plan.period.start, plan.period.end).filter((p) => p.code !== `${plan.period.end}H2`);
  for (const item of planItems(plan).filter((i) => i.kind !== 'subtask')) {
    const o = ownerOf.get(item.code);
    if (!o) continue;
    for (const unit of [o.lead, ...o.co]) {
      for (const [pi, period] of periods.entries()) {
        const u = rr.next();
        if (u < 0.04) continue; // missing
        const last = pi === periods.length - 1;
        const status = u < 0.1 ? 'delayed' : u < 0.25 ? 'at_risk' : last && u > 0.9 ? 'done' : 'on_track';
        const lateDays = u > 0.92 ? 5 + Math.floor(rr.next() * 30) : -Math.floor(rr.next() * 10);
        const submitted = new Date(`${period.due}T00:00:00Z`);
        submitted.setUTCDate(submitted.getUTCDate() + lateDays);
        const state = last ? 'submitted' : u > 0.97 ? 'returned' : 'accepted';
        const evidence = period.code.endsWith('H2') || status === 'done' ? docs.add(`report-${item.code.replace(/[_.]/g, '-')}-${unit}-${period.code}.txt`, `${item.title_zh}${period.code}进展报告附件`, `报告单位：${unit}`) : null;
        reports.push({
          item: item.code, unit, period: period.code, status, reason: status === 'at_risk' || status === 'delayed' ? pick(rr, reasons) : null,
          narrative_zh: `${period.code}：${item.title_zh}。${narratives[status as keyof typeof narratives]}${DEMO}`, narrative_en: `${period.code}: ${item.title_en}. Progress as planned unless stated (demo).`,
          evidence, state, submitted_on: submitted.toISOString().slice(0, 10), review_note: state === 'returned' ? '请补充佐证材料和量化进展' : null,
        });
      }
    }
  }
  await out(TASK_REPORTS_FILE, taskReportColumns.map((c) => c.name), reports);

  // The documents cited, last (their names are settled).
  const docDir = join(outDir, DOCUMENTS_DIR);
  mkdirSync(docDir, { recursive: true });
  for (const [name, text] of [...docs.files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    writeFileSync(join(docDir, name), text, 'utf8');
    files.push(join(docDir, name));
  }
  return { files, rows };
}
