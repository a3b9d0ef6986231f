/**
 * Filling the planning office's narratives (叙述占位符求值): each placeholder of
 * src/core/reports/template.ts replaced by the figure it names, formatted as the report prints
 * numbers (src/core/reports/format.ts), from the report's snapshot of released figures.
 */
import { formatMaybe, formatValue, type Lang } from '../../core/reports/format.ts';
import { parseTemplate, renderTemplate, type Placeholder, type Vocabulary } from '../../core/reports/template.ts';
import { statusNames } from '../../core/progress/explain.ts';
import { targetStatusNames } from '../../core/plan-execution/judge.ts';
import type { ReportData } from '../../contract/reports.ts';

/** What a narrative of this report may name. */
export function vocabularyOf(data: Pick<ReportData, 'targets' | 'plan' | 'year'>): Vocabulary {
  return {
    codes: new Set(data.targets.map((t) => t.id)),
    registries: new Set(countTargets(data.targets).keys()),
    years: { min: data.plan.baseline_year, max: data.year },
  };
}

/** Per registry, its plain count target (no filter): what `{{registry_count id}}` prints. */
function countTargets(targets: ReportData['targets']): Map<string, ReportData['targets'][number]> {
  const m = new Map<string, ReportData['targets'][number]>();
  for (const t of targets) {
    if (t.data_path === 'registry' && t.path.rule === 'count' && t.path.registry && !t.path.filter && !m.has(t.path.registry)) m.set(t.path.registry, t);
  }
  return m;
}

export function resolver(data: ReportData, lang: Lang): (p: Placeholder) => string {
  const targets = new Map(data.targets.map((t) => [t.id, t]));
  const counts = countTargets(data.targets);
  const noData = formatMaybe(null, '', lang);
  return (p) => {
    switch (p.kind) {
      case 'as_of': return String(data.year);
      case 'registry_count': {
        const t = counts.get(p.registry);
        // Counts are released for the report's year; an earlier year reads that year's series point when the indicator path has one.
        if (!t || t.value === null || (p.year !== null && p.year !== data.year)) return noData;
        return formatValue(t.value, t.value_unit, lang);
      }
      default: break;
    }
    const t = targets.get(p.code);
    if (!t) return noData;
    switch (p.kind) {
      case 'value': {
        const series = data.series[p.code];
        if (p.year !== null && series) {
          const at = [...series].filter((s) => s.year <= (p.year ?? data.year) && s.value !== null).pop();
          return at ? formatValue(at.value as number, t.unit, lang) : noData;
        }
        if (p.year !== null && p.year !== data.year) return noData;
        return formatMaybe(t.value, t.value_unit, lang);
      }
      case 'value_year': return t.value_year === null ? noData : String(t.value_year);
      case 'baseline': return t.baseline ? formatValue(t.baseline.value, t.unit, lang) : noData;
      case 'target': return formatValue(t.target, t.unit, lang);
      case 'status': {
        if (t.kind === 'indicator') return statusNames[t.progress_status][lang];
        return targetStatusNames[t.status][lang];
      }
    }
  };
}

/** The narrative of a section in the edition's language, placeholders filled; null when there is none. */
export function narrativeText(data: ReportData, section: string, lang: Lang): string | null {
  const n = data.narratives.find((x) => x.section === section);
  if (!n) return null;
  const english = lang === 'en' && n.text_en.trim() !== '';
  const text = english || lang === 'zh' ? (english ? n.text_en : n.text_zh) : n.text_zh;
  if (text.trim() === '') return null;
  const { segments } = parseTemplate(text, vocabularyOf(data));
  const filled = renderTemplate(segments, resolver(data, english ? 'en' : 'zh'));
  // Narratives are written in Chinese; one without an English version is shown as written, said so.
  return lang === 'en' && !english ? `(This section's narrative is available in Chinese only.)\n${filled}` : filled;
}
