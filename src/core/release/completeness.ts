/**
 * Completeness before a release (发布前完整性), pure. A statistical office publishes a
 * year's figures once enough of the expected returns are in; eduplan's rule is DHIS2's
 * reporting rate applied per form: of the schools expected to report a form (open on
 * 1 September of the academic year, of the form's school type), the share whose figures
 * are in. A form below its threshold (default 95 %) blocks a release unless the city gives
 * a reason to release anyway; both the shares and the reason are kept with the release.
 */

/** The share a form needs when the city has set none. */
export const DEFAULT_RELEASE_THRESHOLD = 0.95;

export interface ExpectedSchool {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly district_code: string;
  readonly form_code: string;
  /** Its figures for the year are in (approved or locked submission, or the city's import). */
  readonly reported: boolean;
  readonly contact_name: string | null;
  readonly contact_phone: string | null;
  readonly submission_state: string | null;
}

export interface FormInfo { readonly code: string; readonly name_zh: string; readonly name_en: string }
export interface DistrictInfo { readonly code: string; readonly name_zh: string; readonly name_en: string }

export interface FormShare {
  readonly form_code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly expected: number;
  readonly reported: number;
  readonly share: number | null;
  readonly threshold: number;
  readonly met: boolean;
}

export interface DistrictShare {
  readonly district_code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly expected: number;
  readonly reported: number;
  readonly share: number | null;
  readonly missing: ReadonlyArray<Omit<ExpectedSchool, 'district_code' | 'reported'>>;
}

export interface Completeness {
  readonly forms: readonly FormShare[];
  readonly districts: readonly DistrictShare[];
  /** Every form with expected schools meets its threshold. */
  readonly complete: boolean;
}

/**
 * Shares per form and per district, with the missing schools listed per district (code
 * order). A form nobody is expected to report is left out; a district with no expected
 * school is listed with share null.
 */
export function completeness(
  schools: readonly ExpectedSchool[],
  formsInfo: readonly FormInfo[],
  districtsInfo: readonly DistrictInfo[],
  thresholds: Readonly<Record<string, number>>,
): Completeness {
  const formCounts = new Map<string, { expected: number; reported: number }>();
  const districtCounts = new Map<string, { expected: number; reported: number; missing: Array<Omit<ExpectedSchool, 'district_code' | 'reported'>> }>();
  for (const d of districtsInfo) districtCounts.set(d.code, { expected: 0, reported: 0, missing: [] });
  for (const s of schools) {
    const f = formCounts.get(s.form_code) ?? { expected: 0, reported: 0 };
    f.expected += 1;
    if (s.reported) f.reported += 1;
    formCounts.set(s.form_code, f);
    const d = districtCounts.get(s.district_code);
    if (!d) continue;
    d.expected += 1;
    if (s.reported) d.reported += 1;
    else d.missing.push({ code: s.code, name_zh: s.name_zh, name_en: s.name_en, form_code: s.form_code, contact_name: s.contact_name, contact_phone: s.contact_phone, submission_state: s.submission_state });
  }
  const forms: FormShare[] = [];
  for (const info of formsInfo) {
    const c = formCounts.get(info.code);
    if (!c || c.expected === 0) continue;
    const threshold = thresholds[info.code] ?? DEFAULT_RELEASE_THRESHOLD;
    const share = c.reported / c.expected;
    // Compared in whole schools, not floating shares: 95 % of 20 schools is exactly 19.
    const met = c.reported >= Math.ceil(threshold * c.expected - 1e-9);
    forms.push({ form_code: info.code, name_zh: info.name_zh, name_en: info.name_en, expected: c.expected, reported: c.reported, share, threshold, met });
  }
  const districts: DistrictShare[] = districtsInfo.map((info) => {
    const c = districtCounts.get(info.code) ?? { expected: 0, reported: 0, missing: [] };
    return {
      district_code: info.code, name_zh: info.name_zh, name_en: info.name_en, expected: c.expected, reported: c.reported,
      share: c.expected > 0 ? c.reported / c.expected : null,
      missing: [...c.missing].sort((a, b) => a.code.localeCompare(b.code)),
    };
  });
  return { forms, districts, complete: forms.every((f) => f.met) };
}
