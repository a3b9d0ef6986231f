/**
 * The assessment as a file (评估结果表): the official-style workbook (xlsx), the printable
 * page (HTML) or that page printed by the system's Chromium (PDF). The one owner of the
 * export: the workspace download and `eduplan assess export` both call `exportAssessment`,
 * and only it calls the reports.
 */
import type { DistrictResult, ExportedFile, ExportFormat, ExportRequest } from '../../contract/assessments.ts';
import { assessmentRoles } from '../../core/standards/balanced/workflow.ts';
import type { Caller, ServiceDeps } from '../deps.ts';
import { requireAssessmentRole } from './access.ts';
import { assessDistrict } from './district.ts';

const contentTypes: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

// The reports load on demand: exceljs and playwright are heavy, and most requests never export.
async function render(r: DistrictResult, format: ExportFormat): Promise<Buffer> {
  if (format === 'xlsx') {
    const x = await import('../../reports/assessment-xlsx.ts');
    return r.kind === 'balanced' ? x.balancedWorkbook(r) : x.preschoolWorkbook(r);
  }
  const h = await import('../../reports/assessment-html.ts');
  const html = r.kind === 'balanced' ? h.balancedHtml(r) : h.preschoolHtml(r);
  return format === 'html' ? Buffer.from(html, 'utf8') : (await import('../../reports/assessment-pdf.ts')).htmlToPdf(html);
}

/** Readers of the district, as for the JSON. `what_if` (优质均衡, default true) adds the 整改测算 sheets and sections. */
export async function exportAssessment(deps: ServiceDeps, caller: Caller, q: ExportRequest): Promise<ExportedFile> {
  await requireAssessmentRole(deps, caller, q.district, assessmentRoles.read);
  const r = await assessDistrict(deps.store, { kind: q.kind, district: q.district, year: q.year, ...(q.what_if === undefined ? {} : { whatIf: q.what_if }) });
  return {
    bytes: await render(r, q.format),
    content_type: contentTypes[q.format],
    file_name: `assessment_${q.kind}_${q.district}_${q.year}.${q.format}`,
    title: `${r.district_name_zh}${r.year}学年${q.kind === 'balanced' ? '优质均衡' : '普及普惠'}督导评估.${q.format}`,
  };
}
