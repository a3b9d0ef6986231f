/**
 * The assessment as a printable HTML page (the PDF is this page printed by Chromium):
 * verdict, the resource tables per level with standards, weighted means and CVs, the
 * what-if, and the entered items. Every text is HTML-escaped.
 */
import type { BalancedDistrictResult, ItemResult, LevelWithWhatIf, PreschoolDistrictResult } from '../contract/assessments.ts';

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const n = (x: number | null, d = 2): string => (x === null ? '—' : String(Number(x.toFixed(d))));
const statusZh: Record<string, string> = { met: '达标', not_met: '未达标', missing: '未录入', no_evidence: '缺佐证', pass: '达标', fail: '不达标', incomplete: '资料不全' };

const css = `
  @page { size: A4 landscape; margin: 14mm; }
  body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; font-size: 10pt; color: #111; }
  h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; }
  h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #333; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; page-break-inside: auto; }
  th, td { border: 1px solid #555; padding: 1.2mm 1.6mm; text-align: center; }
  th { background: #d9e1f2; }
  td.l { text-align: left; }
  .unmet { background: #ffeb9c; } .floor { background: #ffc7ce; }
  .verdict { font-size: 13pt; font-weight: bold; }
  .pass { color: #0a6b2b; } .fail { color: #b00020; } .incomplete { color: #8a5a00; }
  ul { margin: 0; padding-left: 5mm; }
  .note { font-size: 8.5pt; color: #444; }
`;

function levelHtml(r: LevelWithWhatIf): string {
  const levelZh = r.level === 'primary' ? '小学' : '初中';
  const inds = Object.entries(r.indicators);
  const rows = r.schools.map((s) => `<tr><td>${esc(s.code)}</td><td class="l">${esc(s.name_zh ?? '')}</td><td>${s.enrolment}</td>${inds.map(([k]) => {
    const f = s.shortfalls.find((x) => x.indicator === k);
    return `<td class="${f ? (f.below_floor ? 'floor' : 'unmet') : ''}">${n(s.values[k as keyof typeof s.values] ?? 0, 3)}</td>`;
  }).join('')}<td>${s.met}</td><td>${s.pass ? '达标' : '<b>不达标</b>'}</td></tr>`).join('');
  const foot = (label: string, cells: string[]): string => `<tr><th colspan="3">${esc(label)}</th>${cells.map((c) => `<th>${c}</th>`).join('')}<th colspan="2"></th></tr>`;
  const wi = r.what_if ? `<h2>${levelZh}整改测算（${r.what_if.pass_after ? '完成后达标' : '完成后仍不达标'}）</h2>
    <table><tr><th>学校</th><th>指标</th><th>需增加</th><th>资源</th><th>指标值</th><th>原因</th></tr>${r.what_if.changes.map((c) => `<tr><td class="l">${esc(c.name_zh ?? c.code)}（${esc(c.code)}）</td><td class="l">${esc(r.indicators[c.indicator].name_zh)}</td><td>${n(c.add)}</td><td class="l">${esc(c.resource_zh)}</td><td>${n(c.value_before, 3)} → ${n(c.value_after, 3)}</td><td>${c.reasons.map((x) => (x === 'cv' ? '差异系数' : '学校达标')).join('、')}</td></tr>`).join('')}</table>` : '';
  return `<h2>${levelZh}资源配置（${r.pass ? '达标' : '不达标'}：学校达标 ${r.schools_pass ? '是' : '否'}，差异系数达标 ${r.cv_pass ? '是' : '否'}）</h2>
  <table><tr><th>代码</th><th>学校</th><th>在校生</th>${inds.map(([, i]) => `<th>${esc(i.name_zh)}（${esc(i.unit_zh)}）</th>`).join('')}<th>达标项数</th><th>结论</th></tr>${rows}
  ${foot('标准值', inds.map(([, i]) => n(i.threshold)))}${foot('加权均值', inds.map(([, i]) => n(i.mean)))}${foot('差异系数', inds.map(([, i]) => `${n(i.cv, 4)}${i.cv_pass ? '' : ' ✗'}`))}${foot('限值', inds.map(([, i]) => n(i.cv_limit)))}</table>
  <p class="note">黄色：未达到标准；红色：低于标准的85%。差异系数按在校生数加权、逐项判定。${r.excluded.length ? `不纳入评估：${r.excluded.map((e) => `${esc(e.name_zh ?? e.code)}（${esc(e.reason_zh)}）`).join('；')}` : ''}</p>${wi}`;
}

function itemsHtml(items: readonly ItemResult[]): string {
  return `<h2>评估项</h2><table><tr><th>编号</th><th>评估内容</th><th>标准</th><th>填报</th><th>结论</th><th>佐证材料</th><th>专家意见</th><th>可信度</th></tr>${items.map((i) => {
    const std = i.comparator ? `${i.comparator} ${i.threshold}` : i.kind === 'absent' ? '未发生' : '定性';
    const val = i.value ?? (i.met === null ? '' : i.met ? '是' : '否');
    return `<tr><td>${esc(i.code)}</td><td class="l">${i.veto ? '【否决项】' : ''}${esc(i.name_zh)}</td><td>${esc(std)}</td><td>${esc(val)}</td><td class="${i.status === 'met' ? '' : i.status === 'not_met' ? 'floor' : 'unmet'}">${esc(statusZh[i.status])}</td><td class="l">${esc(i.evidence.map((e) => e.name).join('；'))}</td><td class="l">${esc(i.expert_comment ?? '')}</td><td>${esc(i.confidence)}</td></tr>`;
  }).join('')}</table>`;
}

function page(heading: string, r: BalancedDistrictResult | PreschoolDistrictResult, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(heading)}</title><style>${css}</style></head><body>
  <h1>${esc(heading)}</h1>
  <p>依据：${esc(r.document)}　流程：${esc(r.workflow.state_zh)}${r.workflow.certified_on ? `（认定日期 ${esc(r.workflow.certified_on)}）` : ''}</p>
  <p class="verdict ${r.verdict}">评估结论：${esc(statusZh[r.verdict])}</p>
  <ul>${r.explanation_zh.slice(1).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
  ${body}</body></html>`;
}

export function balancedHtml(r: BalancedDistrictResult): string {
  return page(`${r.district_name_zh}${r.year}学年县域义务教育优质均衡发展督导评估结果`, r, `${levelHtml(r.levels.primary)}${levelHtml(r.levels.junior)}${itemsHtml(r.items)}`);
}

export function preschoolHtml(r: PreschoolDistrictResult): string {
  const rows = r.computed.map((c) => `<tr><td class="l">${esc(c.name_zh)}</td><td class="l">${esc(c.formula_zh)}</td><td>${c.numerator}</td><td>${c.denominator ?? '—'}</td><td>${c.value === null ? '—' : c.key === 'teacher_child_ratio' ? `1:${(1 / c.value).toFixed(1)}` : `${(c.value * 100).toFixed(1)}%`}</td><td>${esc(`${c.comparator} ${c.threshold_label}`)}</td><td class="${c.status === 'met' ? '' : 'floor'}">${esc(statusZh[c.status])}</td></tr>`).join('');
  return page(`${r.district_name_zh}${r.year}学年县域学前教育普及普惠督导评估结果`, r, `<h2>普及普惠水平</h2><table><tr><th>指标</th><th>计算方法</th><th>分子</th><th>分母</th><th>数值</th><th>标准</th><th>结论</th></tr>${rows}</table>${itemsHtml(r.items)}`);
}
