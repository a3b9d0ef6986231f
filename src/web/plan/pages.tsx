/**
 * The public 规划实施 section: the 11 task areas and 19 专栏 with their targets' status
 * (stacked bars, with the same figures as a table), and one page per 专栏 with its targets,
 * milestones and the accepted progress reports with their evidence. Released figures only
 * (GET /api/tasks, /api/projects/:id); zh and en.
 */
import { useMemo } from 'react';
import { EChart, palette, type ChartOption } from '../charts.tsx';
import { DataTable, LoadState, useData, type Column } from '../components.tsx';
import { formatNumber, releaseText } from '../format.ts';
import { pick, type Lang } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { planApi, type MilestoneRow, type ProjectDetail, type ReportRow, type TaskRow } from './api.ts';
import type { TargetRow } from '../../contract/plan-execution.ts';
import { dataPathLabel, reachedShare, statusesByArea, targetStatusLabel, targetStatusOrder, targetStatusSymbol, targetText, taskStatusLabel, valueText, type TargetStatusName } from './model.ts';
import { pt } from './strings.ts';
import './plan.css';

/** Status colours: text on tint ≥ 4.5:1, bars ≥ 3:1 against white (WCAG 1.4.3, 1.4.11). */
const statusColour: Record<TargetStatusName, string> = { achieved: '#1e7b34', on_track: '#1f5fa8', at_risk: '#a35f00', not_achieved: '#b3261e', no_data: '#6b6b6b' };

export function TargetStatusBadge({ status }: { status: string }) {
  const lang = useLang();
  return <span className={`badge tbadge tbadge-${status}`} data-status={status} data-testid="target-status"><span aria-hidden="true">{targetStatusSymbol(status)}</span> {targetStatusLabel(status, lang)}</span>;
}

function TaskStatusBadge({ status }: { status: TaskRow['status'] }) {
  const lang = useLang();
  return <span className={`badge task-${status}`} data-status={status} data-testid="task-status">{taskStatusLabel(status, lang)}</span>;
}

const ownerText = (t: TaskRow, lang: Lang): string => (t.owners.lead ? pick(lang, t.owners.lead.name_zh, t.owners.lead.name_en) : pt(lang, 'unassigned'));

function areaChart(rows: ReturnType<typeof statusesByArea>, lang: Lang): ChartOption {
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: palette.text } },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: palette.text } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => pick(lang, r.title_zh, r.title_en)), axisLabel: { color: palette.text, width: 220, overflow: 'truncate' } },
    series: targetStatusOrder.map((s) => ({
      name: targetStatusLabel(s, lang), type: 'bar', stack: 'targets', itemStyle: { color: statusColour[s] }, data: rows.map((r) => r.counts[s]),
    })),
  };
}

export function PlanPage({ year }: { year?: number | undefined }) {
  const lang = useLang();
  const loaded = useData(`plan:${year ?? ''}`, async (signal) => {
    const [tasks, targets] = await Promise.all([planApi.tasks(year, signal), planApi.targets(year, signal)]);
    return { tasks, targets };
  });
  const byArea = useMemo(() => (loaded.state === 'ok' ? statusesByArea(loaded.data.tasks.tasks) : []), [loaded]);
  const option = useMemo(() => areaChart(byArea, lang), [byArea, lang]);
  const areaColumns: Column<ReturnType<typeof statusesByArea>[number]>[] = [
    { key: 'area', header: pt(lang, 'area'), rowHeader: true, render: (r) => pick(lang, r.title_zh, r.title_en), exportValue: (r) => pick(lang, r.title_zh, r.title_en) },
    ...targetStatusOrder.map((s): Column<ReturnType<typeof statusesByArea>[number]> => ({ key: s, header: targetStatusLabel(s, lang), numeric: true, render: (r) => r.counts[s], exportValue: (r) => r.counts[s] })),
    { key: 'total', header: pt(lang, 'targetsTotal'), numeric: true, render: (r) => r.total, exportValue: (r) => r.total },
  ];
  return (
    <>
      <h1 tabIndex={-1}>{pt(lang, 'planTitle')}</h1>
      <p className="lead">{pt(lang, 'planIntro')}</p>
      <p><Link to="/workspace/plan">{pt(lang, 'toWorkspace')}</Link></p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? (
        <>
          <section aria-labelledby="plan-summary">
            <h2 id="plan-summary">{pt(lang, 'summary')}（{loaded.data.targets.year}）</h2>
            <ul className="status-summary" data-testid="plan-summary">
              {targetStatusOrder.map((s) => <li key={s} data-status={s} data-count={loaded.data.targets.summary[s]}><TargetStatusBadge status={s} /> × {loaded.data.targets.summary[s]}</li>)}
            </ul>
            <EChart option={option} height={Math.max(240, byArea.length * 34 + 60)} label={pt(lang, 'targetsByAreaChart')} testId="plan-area-chart" />
            <DataTable testId="plan-area-table" title={pt(lang, 'targetsByArea')} columns={areaColumns} rows={byArea} />
          </section>
          <section aria-labelledby="plan-areas">
            <h2 id="plan-areas">{pt(lang, 'areas')}</h2>
            <ol className="plan-areas" data-testid="plan-areas">
              {loaded.data.tasks.tasks.filter((t) => t.kind === 'area').map((a) => (
                <li key={a.code} data-code={a.code} data-testid="plan-area">
                  <h3>{a.source} {pick(lang, a.title_zh, a.title_en)}</h3>
                  <p className="small">{pt(lang, 'leadUnit')}：{ownerText(a, lang)} · {pt(lang, 'taskStatus')}：<TaskStatusBadge status={a.status} /> · {pt(lang, 'targetsTotal')} {a.targets.total}</p>
                  <ul className="plan-projects">
                    {loaded.data.tasks.tasks.filter((p) => p.kind === 'project' && p.area === a.code).map((p) => (
                      <li key={p.code} data-testid="plan-project-link" data-code={p.code}>
                        <Link to={`/plan/projects/${p.number}`}>{p.source} {pick(lang, p.title_zh, p.title_en)}</Link>
                        {' '}<span className="small muted">{targetStatusLabel('achieved', lang)} {p.targets.achieved}/{p.targets.total}{p.milestones.overdue > 0 ? ` · ${pt(lang, 'overdue')} ${p.milestones.overdue}` : ''}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="plan-all-targets">
            <h2 id="plan-all-targets">{pt(lang, 'allTargets')}</h2>
            <p className="small muted">{pt(lang, 'allTargetsIntro')}</p>
            <DataTable testId="plan-targets" title={`${pt(lang, 'allTargets')}（${loaded.data.targets.year}）`} columns={targetColumns(lang)} rows={loaded.data.targets.targets} />
          </section>
        </>
      ) : null}
    </>
  );
}

export function targetColumns(lang: Lang): Column<TargetRow>[] {
  return [
    { key: 'source', header: pt(lang, 'source'), render: (r) => r.source, exportValue: (r) => r.source },
    { key: 'text', header: pt(lang, 'target'), rowHeader: true, render: (r) => pick(lang, r.text_zh, r.text_en), exportValue: (r) => pick(lang, r.text_zh, r.text_en) },
    { key: 'goal', header: pt(lang, 'goal'), render: (r) => targetText(r, lang), exportValue: (r) => targetText(r, lang) },
    { key: 'value', header: pt(lang, 'value'), numeric: true, render: (r) => valueText(r, lang), exportValue: (r) => r.value },
    { key: 'value_year', header: pt(lang, 'valueYear'), numeric: true, render: (r) => r.value_year ?? '', exportValue: (r) => r.value_year },
    { key: 'status', header: pt(lang, 'status'), render: (r) => <TargetStatusBadge status={r.status} />, exportValue: (r) => targetStatusLabel(r.status, lang) },
    { key: 'data_path', header: pt(lang, 'dataPath'), render: (r) => dataPathLabel(r.data_path, lang), exportValue: (r) => r.data_path },
  ];
}

function reachedChart(targets: readonly TargetRow[], lang: Lang): ChartOption {
  const rows = targets.map((t) => ({ t, share: reachedShare(t) })).filter((x) => x.share !== null);
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 150, axisLabel: { color: palette.text, formatter: '{value}%' } },
    yAxis: { type: 'category', inverse: true, data: rows.map((x) => pick(lang, x.t.text_zh, x.t.text_en)), axisLabel: { color: palette.text, width: 240, overflow: 'truncate' } },
    series: [{
      type: 'bar', name: pt(lang, 'reachedChart'),
      data: rows.map((x) => ({ value: Math.round((x.share as number) * 1000) / 10, itemStyle: { color: statusColour[x.t.status as TargetStatusName] ?? palette.bar } })),
      markLine: { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: palette.target, width: 2 }, data: [{ xAxis: 100 }] },
    }],
  };
}

function MilestoneTable({ rows }: { rows: MilestoneRow[] }) {
  const lang = useLang();
  if (rows.length === 0) return <p className="muted">{pt(lang, 'noMilestones')}</p>;
  const columns: Column<MilestoneRow>[] = [
    { key: 'year', header: pt(lang, 'valueYear'), numeric: true, render: (m) => m.year, exportValue: (m) => m.year },
    { key: 'text', header: pt(lang, 'milestone'), rowHeader: true, render: (m) => pick(lang, m.text_zh, m.text_en), exportValue: (m) => pick(lang, m.text_zh, m.text_en) },
    { key: 'due', header: pt(lang, 'due'), render: (m) => m.due, exportValue: (m) => m.due },
    { key: 'done', header: pt(lang, 'doneOn'), render: (m) => (m.done_on ?? (m.overdue ? <strong className="overdue">{pt(lang, 'overdue')}</strong> : pt(lang, 'notDone'))), exportValue: (m) => m.done_on ?? (m.overdue ? pt(lang, 'overdue') : pt(lang, 'notDone')) },
  ];
  return <DataTable testId="project-milestones" title={pt(lang, 'milestones')} columns={columns} rows={rows} />;
}

function Evidence({ files }: { files: ReportRow['evidence'] }) {
  if (files.length === 0) return null;
  return <ul className="evidence">{files.map((f) => <li key={f.sha256}>{f.name} <code className="sha" title="SHA-256">{f.sha256.slice(0, 12)}…</code></li>)}</ul>;
}

function Reports({ rows }: { rows: ReportRow[] }) {
  const lang = useLang();
  return (
    <section aria-labelledby="project-reports">
      <h2 id="project-reports">{pt(lang, 'reports')}</h2>
      <p className="small muted">{pt(lang, 'reportsPublicNote')}</p>
      {rows.length === 0 ? <p className="muted" data-testid="no-reports">{pt(lang, 'noReports')}</p> : (
        <ul className="reports" data-testid="project-reports">
          {rows.map((r) => (
            <li key={r.id} data-unit={r.unit.code} data-period={r.period}>
              <p><strong>{pick(lang, r.unit.name_zh, r.unit.name_en)}</strong> · {r.period} · <TaskStatusBadge status={r.status} /></p>
              <p>{pick(lang, r.narrative_zh, r.narrative_en)}</p>
              {r.reason ? <p className="small">{pt(lang, 'reason')}：{r.reason}</p> : null}
              <Evidence files={r.evidence} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProjectPage({ id, year }: { id: string; year?: number | undefined }) {
  const lang = useLang();
  const loaded = useData(`project:${id}:${year ?? ''}`, (signal) => planApi.project(id, year, signal));
  return (
    <>
      <p className="breadcrumb"><Link to="/plan">{pt(lang, 'backToPlan')}</Link></p>
      {/* One heading across loading and loaded, so the focus moved to it on navigation stays there. */}
      <h1 tabIndex={-1} data-testid="project-title">{loaded.state === 'ok' ? `${loaded.data.project.source} ${pick(lang, loaded.data.project.title_zh, loaded.data.project.title_en)}` : `${pt(lang, 'project')} ${id}`}</h1>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? <ProjectBody d={loaded.data} lang={lang} /> : null}
    </>
  );
}

function ProjectBody({ d, lang }: { d: ProjectDetail; lang: Lang }) {
  const p = d.project;
  const option = useMemo(() => reachedChart(d.targets, lang), [d.targets, lang]);
  const release = d.targets.map((t) => t.release).find((r) => r !== null) ?? null;
  return (
    <>
      <dl className="summary" data-testid="project-owners">
        <div><dt>{pt(lang, 'area')}</dt><dd>{pick(lang, p.task_area_title_zh, p.task_area_title_en)}</dd></div>
        <div><dt>{pt(lang, 'leadUnit')}</dt><dd>{ownerText(p, lang)}</dd></div>
        <div><dt>{pt(lang, 'coUnits')}</dt><dd>{p.owners.co.length === 0 ? '—' : formatNumber(p.owners.co.length, lang)}</dd></div>
        <div><dt>{pt(lang, 'taskStatus')}</dt><dd><TaskStatusBadge status={p.status} />{p.status_period ? <span className="small muted"> {p.status_period}</span> : null}</dd></div>
      </dl>
      {release ? <p className="small muted">{releaseText(release, lang)}</p> : null}
      <details>
        <summary>{pt(lang, 'projectText')}</summary>
        {lang === 'zh' ? <ul>{p.items_zh.map((s, i) => <li key={i}>{s}</li>)}</ul> : <p>{p.text_en}</p>}
      </details>
      <section aria-labelledby="project-targets">
        <h2 id="project-targets">{pt(lang, 'targets')}（{d.year}）</h2>
        {d.targets.length > 0 ? (
          <>
            <EChart option={option} height={Math.max(160, d.targets.length * 34 + 40)} label={pt(lang, 'reachedChart')} testId="project-reached-chart" />
            <p className="small muted">{pt(lang, 'reachedNote')}</p>
          </>
        ) : null}
        <DataTable testId="project-targets" title={`${pt(lang, 'targets')} — ${p.source}`} columns={targetColumns(lang)} rows={d.targets} />
      </section>
      <section aria-labelledby="project-milestones-h">
        <h2 id="project-milestones-h">{pt(lang, 'milestones')}</h2>
        <MilestoneTable rows={d.milestones} />
      </section>
      <Reports rows={d.reports} />
    </>
  );
}

/**
 * The section as one lazily loaded component: moving between the overview and a 专栏 does not
 * suspend, so the focus the shell moves to the new page's heading lands on it.
 */
export function PlanSection(props: { project?: string | undefined; year?: number | undefined }) {
  return props.project === undefined ? <PlanPage year={props.year} /> : <ProjectPage id={props.project} year={props.year} />;
}
