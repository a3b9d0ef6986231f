/**
 * The workspace's home (数据填报工作台): what the signed-in role does — a school reporter's
 * forms, a district reviewer's list, the city's completeness and locking. Every page asks
 * the API, which checks role and scope on each object; the UI only hides what a role
 * cannot do.
 */
import { useEffect, useState } from 'react';
import { Link, useLang } from '../nav.tsx';
import { pick } from '../i18n.ts';
import { stateNames, type SubmissionState } from '../../core/workflow/submission.ts';
import { wsApi, type ListItem, type OrgUnit } from './api.ts';
import { CityProgress } from './city-progress.tsx';
import { academicYearOf } from './model.ts';
import { hasRole, SubmissionTable, YearPicker } from './parts.tsx';
import { ErrorBox, SessionGate, useSession } from './session.tsx';
import { ws } from './strings.ts';
import { su } from './student-upload/strings.ts';
import { rl } from './releases/strings.ts';
import { rt } from '../evaluation/strings.ts';
import { pt } from '../plan/strings.ts';
import { cr } from '../credits/strings.ts';

export function WorkspacePage(props: { year?: number | undefined }) {
  return <SessionGate><WorkspaceHome year={props.year ?? academicYearOf(new Date())} /></SessionGate>;
}

function WorkspaceHome(props: { year: number }) {
  const lang = useLang();
  const { me } = useSession();
  const school = me.grants.find((g) => g.role === 'school_reporter');
  return (
    <>
      <h1 tabIndex={-1}>{ws(lang, 'homeTitle')}</h1>
      <YearPicker year={props.year} path="/workspace" />
      {(hasRole(me, 'district_reviewer') || hasRole(me, 'city_admin')) && (
        <ul className="ws-links">
          <li><Link to={`/workspace/releases?year=${props.year}`} testId="open-releases">{rl(lang, 'navReleases')}</Link></li>
          <li><Link to="/workspace/student-records" testId="open-student-upload">{su(lang, 'navStudentUpload')}</Link></li>
          <li><Link to="/workspace/plan" testId="open-plan-workspace">{pt(lang, 'toWorkspace')}</Link></li>
          <li><Link to="/workspace/registries" testId="open-registries">{pt(lang, 'registriesLink')}</Link></li>
          {hasRole(me, 'city_admin') && <li><Link to="/workspace/reports" testId="open-reports-workspace">{rt(lang, 'wsTitle')}</Link></li>}
        </ul>
      )}
      {['credit_officer', 'district_reviewer', 'city_admin'].some((r) => hasRole(me, r)) && (
        <ul className="ws-links"><li><Link to="/workspace/credits" testId="open-credit-workspace">{cr(lang, 'wsLink')}</Link></li></ul>
      )}
      {school && <SchoolHome orgCode={school.orgCode} year={props.year} />}
      {hasRole(me, 'district_reviewer') && <ReviewList year={props.year} />}
      {hasRole(me, 'city_admin') && <CityProgress year={props.year} />}
      {!school && !hasRole(me, 'district_reviewer') && !hasRole(me, 'city_admin') && !hasRole(me, 'credit_officer') && <p>{ws(lang, 'noRole')}</p>}
    </>
  );
}

function SchoolHome(props: { orgCode: string; year: number }) {
  const lang = useLang();
  const [schools, setSchools] = useState<OrgUnit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // A school reporter held at a district (a district system) reports for all its schools;
    // school codes (学校标识码) do not start with the district's code, so a school is looked up by code.
    const atDistrict = /^\d{6}$/.test(props.orgCode);
    wsApi.orgUnits(atDistrict ? { level: 'school', parent: props.orgCode } : { level: 'school', code: props.orgCode }).then(setSchools, setError);
  }, [props.orgCode]);
  return (
    <section>
      <h2>{ws(lang, 'yourForms')}</h2>
      <ErrorBox error={error} />
      <ul data-testid="school-forms">
        {(schools ?? []).filter((s) => s.school_type).map((s) => (
          <li key={s.code}>
            <Link to={`/workspace/schools/${s.code}/annual.${s.school_type ?? ''}/${props.year}`} testId="open-school-form">
              {pick(lang, s.name_zh, s.name_en)} — {ws(lang, 'openForm')} {props.year}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewList(props: { year: number }) {
  const lang = useLang();
  const [state, setState] = useState<SubmissionState | ''>('');
  const [rows, setRows] = useState<ListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRows(null);
    wsApi.list({ year: props.year, ...(state ? { state } : {}) }).then(setRows, setError);
  }, [props.year, state]);
  return (
    <section>
      <h2>{ws(lang, 'reviewTitle')}</h2>
      <p className="lead">{ws(lang, 'reviewIntro')}</p>
      <label>{ws(lang, 'filterState')}{' '}
        <select className="ws-select" value={state} onChange={(e) => setState(e.target.value as SubmissionState | '')} data-testid="state-filter">
          <option value="">{ws(lang, 'all')}</option>
          {(Object.keys(stateNames) as SubmissionState[]).map((s) => <option key={s} value={s}>{stateNames[s][lang]}</option>)}
        </select>
      </label>
      <ErrorBox error={error} />
      <SubmissionTable rows={rows} testId="review-list" />
    </section>
  );
}
