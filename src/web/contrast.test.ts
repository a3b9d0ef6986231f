/**
 * WCAG 2.1 AA contrast (1.4.3 text ≥ 4.5:1; 1.4.11 focus indicator and chart marks ≥ 3:1),
 * checked on the colours the stylesheet and the charts actually use.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { palette } from './chart-palette.ts';

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');

function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG 2.1 contrast ratio (definition of "contrast ratio"). */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

function cssVar(name: string): string {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})`).exec(css);
  if (!m?.[1]) throw new Error(`--${name} not in styles.css`);
  return m[1];
}

describe('colour contrast', () => {
  it('the formula matches WCAG reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('text, muted text and links on white and on the panel are ≥ 4.5:1', () => {
    for (const fg of ['text', 'muted', 'link']) {
      for (const bg of ['bg', 'panel']) expect(contrast(cssVar(fg), cssVar(bg)), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast('#ffffff', cssVar('header')), 'header text').toBeGreaterThanOrEqual(4.5);
  });

  it('every status badge: text on its tint ≥ 4.5:1', () => {
    const badges = [...css.matchAll(/\.badge-([a-z_]+)[^{]*\{\s*background:\s*(#[0-9a-f]{6});\s*color:\s*(#[0-9a-f]{6});/g)];
    expect(badges.length).toBeGreaterThanOrEqual(6);
    for (const [, name, bg, fg] of badges) expect(contrast(fg ?? '', bg ?? ''), name).toBeGreaterThanOrEqual(4.5);
  });

  it('the focus outline is ≥ 3:1 against white; chart marks are ≥ 3:1 against white', () => {
    expect(contrast(cssVar('focus'), '#ffffff')).toBeGreaterThanOrEqual(3);
    for (const c of [palette.observed, palette.trajectory, palette.target, palette.bar]) expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    expect(contrast(palette.text, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
