/**
 * Charts rendered on the server (服务端图表): ECharts' server-side SVG renderer
 * (`renderToSVGString`), so the HTML page, the PDF Chromium prints from it and the DOCX show the
 * same picture. The DOCX embeds the SVG with a PNG fallback (rasterised by resvg), because
 * Word before 2016 and some WPS builds draw only the raster.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { Resvg } from '@resvg/resvg-js';
import type { ChartSpec } from './model.ts';

echarts.use([BarChart, LineChart, MapChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, VisualMapComponent, SVGRenderer]);

export const DISTRICT_MAP = 'tianjin-districts';
let mapRegistered = false;

function registerDistrictMap(): void {
  if (mapRegistered) return;
  const file = fileURLToPath(new URL('../../../maps/tianjin-districts.geo.json', import.meta.url));
  echarts.registerMap(DISTRICT_MAP, JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof echarts.registerMap>[1]);
  mapRegistered = true;
}

/** The chart as a standalone SVG document (fonts named so Chromium and resvg pick a CJK face). */
export function chartSvg(spec: ChartSpec): string {
  if (spec.map) registerDistrictMap();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: chartFont }, ...spec.option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export const chartFont = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'SimHei', sans-serif";

/** PNG of a chart's SVG at twice its size (sharp in print), for the DOCX fallback. */
export function svgToPng(svg: string, width: number): Buffer {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width * 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'WenQuanYi Zen Hei' }, background: '#ffffff' });
  return Buffer.from(r.render().asPng());
}
