import { describe, expect, it } from 'vitest';
import { pinyinInitials, prepare, search, type SearchDoc } from './search.ts';

const docs: SearchDoc[] = [
  { kind: 'indicator', id: 'compulsory_retention_rate', title_zh: '义务教育巩固率', title_en: 'Compulsory education retention rate', link: '/indicators/compulsory_retention_rate' },
  { kind: 'indicator', id: 'myopia_rate', title_zh: '儿童青少年总体近视率', title_en: 'Overall myopia rate of children and adolescents', link: '/indicators/myopia_rate' },
  { kind: 'district', id: '120101', title_zh: '和平区', title_en: 'Heping', link: '/districts/120101' },
  { kind: 'school', id: '1201010001', title_zh: '和平区第一中心小学', title_en: 'Heping No.1 Central Primary', detail_zh: '和平区', detail_en: 'Heping', link: '/districts/120101' },
  { kind: 'column', id: 'p19_luban_workshops', title_zh: '鲁班工坊建设', title_en: 'Luban Workshops', link: '/plan/projects/p19_luban_workshops' },
];
const ids = (q: string): string[] => search(prepare(docs), q).map((h) => h.id);

describe('site search', () => {
  it('pinyin initials of Chinese text, with Latin letters and digits kept', () => {
    expect(pinyinInitials('义务教育巩固率')).toBe('ywjyggl');
    expect(pinyinInitials('和平区第1中学')).toBe('hpqd1zx');
  });

  it('finds by Chinese substring, English word (any case), code and pinyin initials', () => {
    expect(ids('巩固')).toEqual(['compulsory_retention_rate']);
    expect(ids('MYOPIA')).toEqual(['myopia_rate']);
    expect(ids('myopia_rate')).toEqual(['myopia_rate']);
    expect(ids('ywjy')).toEqual(['compulsory_retention_rate']);
    expect(ids('lbgf')).toEqual(['p19_luban_workshops']);
  });

  it('every word must match; the district comes before its school for 和平区', () => {
    expect(ids('和平区')).toEqual(['120101', '1201010001']);
    expect(ids('和平 小学')).toEqual(['1201010001']);
    expect(ids('和平 巩固')).toEqual([]);
  });

  it('an empty query finds nothing; full-width Latin matches half-width', () => {
    expect(ids('   ')).toEqual([]);
    expect(ids('ＭＹＯＰＩＡ')).toEqual(['myopia_rate']);
  });
});
