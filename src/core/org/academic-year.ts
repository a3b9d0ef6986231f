/**
 * Academic years (学年). Statistics are taken on 1 September (教育事业统计 时点),
 * so academic year 2023 = 2023-09-01 .. 2024-08-31 and its statistics describe the
 * schools as of 2023-09-01. Plan targets say "2025" meaning academic year 2025.
 */
export interface AcademicYear {
  readonly year: number;
  /** ISO date of the statistics day (统计时点). */
  readonly statisticsDate: string;
  readonly start: string;
  readonly end: string;
  readonly label_zh: string;
  readonly label_en: string;
}

export function academicYear(year: number): AcademicYear {
  if (!Number.isInteger(year) || year < 1949 || year > 2100) {
    throw new RangeError(`academic year must be an integer between 1949 and 2100, got ${year}`);
  }
  return {
    year,
    statisticsDate: `${year}-09-01`,
    start: `${year}-09-01`,
    end: `${year + 1}-08-31`,
    label_zh: `${year}—${year + 1}学年`,
    label_en: `${year}/${String(year + 1).slice(2)}`,
  };
}

/** The academic year a calendar date (YYYY-MM-DD) falls in. */
export function academicYearOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not an ISO date: ${isoDate}`);
  const y = Number(m[1]);
  const month = Number(m[2]);
  return month >= 9 ? y : y - 1;
}

/** Whole years of age on the statistics day (the convention for 适龄人口 and grade-age checks). */
export function ageOnStatisticsDay(birthIsoDate: string, year: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthIsoDate);
  if (!m) throw new RangeError(`not an ISO date: ${birthIsoDate}`);
  const by = Number(m[1]);
  const bm = Number(m[2]);
  const bd = Number(m[3]);
  let age = year - by;
  if (bm > 9 || (bm === 9 && bd > 1)) age -= 1;
  return age;
}

/**
 * Whole years of age reached by the end of the academic year (31 August of `year + 1`):
 * the age a child has at a screening held some time during the year at the latest.
 */
export function ageAtEndOfAcademicYear(birthIsoDate: string, year: number): number {
  const onNextStatisticsDay = ageOnStatisticsDay(birthIsoDate, year + 1);
  // Born on 1 September: that birthday falls on the next statistics day, not inside this year.
  return birthIsoDate.endsWith('-09-01') ? onNextStatisticsDay - 1 : onNextStatisticsDay;
}
