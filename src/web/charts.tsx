/**
 * ECharts, imported piece by piece through `echarts/core` to keep the bundle small:
 * line (series + sparklines), bar (district comparison), map (choropleth). SVG renderer:
 * crisp at any zoom and text stays text.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, MapChart,
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent,
  SVGRenderer,
]);

export const TIANJIN_MAP = 'tianjin-districts';

let mapLoaded: Promise<void> | null = null;
/**
 * The district boundaries (maps/, ~21 KB gzipped) are fetched only by pages that draw the
 * map, in their own long-cacheable chunk.
 */
export function loadTianjinMap(): Promise<void> {
  mapLoaded ??= import('../../maps/tianjin-districts.geo.json', { with: { type: 'json' } }).then((m) => {
    echarts.registerMap(TIANJIN_MAP, m.default as Parameters<typeof echarts.registerMap>[1]);
  });
  return mapLoaded;
}

export type ChartOption = echarts.EChartsCoreOption;

export { palette } from './chart-palette.ts';

export function EChart(props: {
  option: ChartOption;
  height: number;
  /** Short description for screen readers; the full figures are in the table beside the chart. */
  label: string;
  testId?: string;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'svg' });
    chart.current = c;
    const onResize = () => c.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  return (
    <div
      ref={ref}
      className={props.className ?? 'chart'}
      style={{ height: props.height }}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
