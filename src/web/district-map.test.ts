import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { districts } from '../core/org/districts.ts';

interface MapFeature {
  type: string;
  properties: { code: string; name_zh: string; name_en: string };
  geometry: { type: string; coordinates: number[][][] };
}
const map = JSON.parse(readFileSync(new URL('../../maps/tianjin-districts.geo.json', import.meta.url), 'utf8')) as {
  type: string;
  features: MapFeature[];
};

/** Mean of a polygon's outer-ring vertices: enough to tell north from south. */
function centre(f: MapFeature): [number, number] {
  const ring = f.geometry.coordinates[0] ?? [];
  const sx = ring.reduce((s, p) => s + (p[0] ?? 0), 0);
  const sy = ring.reduce((s, p) => s + (p[1] ?? 0), 0);
  return [sx / ring.length, sy / ring.length];
}

describe('Tianjin district map (maps/tianjin-districts.geo.json)', () => {
  it('has exactly the 16 GB/T 2260 district codes and names of src/core/org/districts.ts', () => {
    expect(map.type).toBe('FeatureCollection');
    expect(map.features).toHaveLength(16);
    const byCode = new Map(map.features.map((f) => [f.properties.code, f.properties]));
    expect([...byCode.keys()].sort()).toEqual(districts.map((d) => d.code).sort());
    for (const d of districts) {
      expect(byCode.get(d.code)).toEqual({ code: d.code, name_zh: d.name_zh, name_en: d.name_en });
    }
  });

  it('carries no pre-2016 county codes or names (宁河县/静海县/蓟县)', () => {
    const text = JSON.stringify(map);
    for (const old of ['120221', '120223', '120225', '宁河县', '静海县', '蓟县']) expect(text).not.toContain(`"${old}"`);
  });

  it('every feature is a closed, non-trivial polygon inside Tianjin', () => {
    for (const f of map.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = f.geometry.coordinates[0] ?? [];
      expect(ring.length, f.properties.code).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lon, lat] of ring) {
        // Tianjin spans about 116.7–118.1°E, 38.5–40.3°N.
        expect(lon).toBeGreaterThan(116.6);
        expect(lon).toBeLessThan(118.2);
        expect(lat).toBeGreaterThan(38.5);
        expect(lat).toBeLessThan(40.3);
      }
    }
  });

  it('renamed districts sit where they should: 蓟州 northernmost, 静海 south-west, 宁河 east of 宝坻', () => {
    const at = (code: string) => {
      const f = map.features.find((x) => x.properties.code === code);
      if (!f) throw new Error(`missing ${code}`);
      return centre(f);
    };
    const jizhou = at('120119');
    for (const f of map.features) if (f.properties.code !== '120119') expect(centre(f)[1]).toBeLessThan(jizhou[1]);
    const jinghai = at('120118');
    expect(jinghai[1]).toBeLessThan(at('120101')[1]);
    expect(jinghai[0]).toBeLessThan(at('120101')[0]);
    expect(at('120117')[0]).toBeGreaterThan(at('120115')[0]);
  });
});
