/**
 * Rebuilds maps/tianjin-districts.geo.json from the npm package echarts-map 3.0.1
 * (see maps/README.md for provenance and licence). Run once by hand:
 *
 *   mkdir /tmp/emap && (cd /tmp/emap && npm pack echarts-map@3.0.1 && tar xzf echarts-map-3.0.1.tgz)
 *   npx tsx maps/build-tianjin.ts /tmp/emap/package/json/province/tianjin.json
 *
 * The package stores ECharts' compressed geometry (zig-zag delta-encoded, scale 1/1024
 * degree); we decode it to plain GeoJSON so any tool can read the file. The 2015–2016
 * county-to-district changes are applied here: 宁河县 120221 → 宁河区 120117,
 * 静海县 120223 → 静海区 120118, 蓟县 120225 → 蓟州区 120119 (国务院批复, GB/T 2260 current codes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { districtByCode } from '../src/core/org/districts.ts';

interface EncodedFeature {
  id: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: string[] | string[][]; encodeOffsets: number[][] | number[][][] };
  properties: { name: string };
}

/** Old county codes replaced by district codes (撤县设区). */
const renamed: Record<string, string> = { '120221': '120117', '120223': '120118', '120225': '120119' };

function decodeRing(encoded: string, offset: readonly number[]): number[][] {
  const ring: number[][] = [];
  let prevX = offset[0] ?? 0;
  let prevY = offset[1] ?? 0;
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / 1024, y / 1024]);
  }
  // GeoJSON (RFC 7946 §3.1.6) wants closed rings.
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([...first]);
  return ring;
}

const source = process.argv[2];
if (!source) {
  console.error('usage: npx tsx maps/build-tianjin.ts <echarts-map>/json/province/tianjin.json');
  process.exit(2);
}
const input = JSON.parse(readFileSync(source, 'utf8')) as { features: EncodedFeature[] };
const features = input.features.map((f) => {
  const code = renamed[f.id] ?? f.id;
  const district = districtByCode.get(code);
  if (!district) throw new Error(`unknown district code ${f.id} (${f.properties.name})`);
  if (f.geometry.type !== 'Polygon') throw new Error(`${code}: expected a Polygon`);
  const rings = f.geometry.coordinates as string[];
  const offsets = f.geometry.encodeOffsets as number[][];
  return {
    type: 'Feature',
    properties: { code, name_zh: district.name_zh, name_en: district.name_en },
    geometry: { type: 'Polygon', coordinates: rings.map((r, i) => decodeRing(r, offsets[i] ?? [0, 0])) },
  };
});
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
const out = fileURLToPath(new URL('./tianjin-districts.geo.json', import.meta.url));
writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.log(`wrote ${features.length} features to ${out}`);
