/**
 * Licence and citation of the published figures (开放数据许可与引用). Every download and the
 * open-data page carry them: the CSV and SDMX answers as HTTP `Link` headers (RFC 8288
 * `rel="license"`, RFC 8574 `rel="cite-as"`) and the CSV in its `licence` column, the
 * JSON in its `licence` and `citation` fields.
 *
 * CC BY 4.0: the figures may be reused with attribution, as 政府数据开放 portals in China
 * and Open SDG platforms commonly do; a site that publishes under other terms changes it here.
 */

export interface Licence {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly url: string;
}

export const dataLicence: Licence = {
  id: 'CC-BY-4.0',
  name_zh: '知识共享署名 4.0 国际许可协议（CC BY 4.0）',
  name_en: 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
  url: 'https://creativecommons.org/licenses/by/4.0/',
};

export const publisher = { id: 'TJ_EDU', name_zh: '天津市教育委员会', name_en: 'Tianjin Municipal Education Commission' } as const;

export interface Citation { readonly zh: string; readonly en: string }

/**
 * How to cite a dataset: publisher, title, the release (学年与版本) and the permalink. A demo
 * instance says so (its figures are simulated, never official statistics).
 */
export function citation(input: { readonly title_zh: string; readonly title_en: string; readonly release: { readonly year: number; readonly version: number; readonly released_at: string } | null; readonly url: string; readonly demo: boolean }): Citation {
  const r = input.release;
  const zhRelease = r ? `，${r.year}学年第${r.version}版（${r.released_at.slice(0, 10)}发布）` : '';
  const enRelease = r ? `, academic year ${r.year}, version ${r.version} (released ${r.released_at.slice(0, 10)})` : '';
  const demoZh = input.demo ? '【演示数据，非官方统计】' : '';
  const demoEn = input.demo ? '[Demo data, not official statistics] ' : '';
  return {
    zh: `${demoZh}${publisher.name_zh}：《${input.title_zh}》${zhRelease}。${input.url}。许可：${dataLicence.name_zh}。`,
    en: `${demoEn}${publisher.name_en}: “${input.title_en}”${enRelease}. ${input.url}. Licence: ${dataLicence.name_en}.`,
  };
}
