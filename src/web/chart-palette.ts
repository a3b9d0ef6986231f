/** Chart colours (kept apart from charts.tsx so tests can check them without loading ECharts). */
/** Palette with at least 3:1 contrast against white for graphical objects (WCAG 1.4.11). */
export const palette = {
  observed: '#1f5fa8',
  trajectory: '#7a4c00',
  target: '#b3261e',
  bar: '#1f5fa8',
  mapLow: '#dbe9f6',
  mapHigh: '#08306b',
  text: '#1b1b1b',
  muted: '#555555',
};

