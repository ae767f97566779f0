import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import { codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import { validateGeometry } from '../geometry/validate';
import type { Area } from './within-area';

/**
 * Areas of interest for coverage: a polygon file, a country from world-atlas
 * (Natural Earth 1:50m admin-0, public domain; npm world-atlas@2), or a US state or Japanese
 * prefecture from the offline basemap (admin-areas.ts). All come back validated and split at
 * ±180, as the store keeps geometries.
 */

let countries: { name: string; geometry: Polygon | MultiPolygon }[] | undefined;

function loadCountries() {
  if (countries) return countries;
  // In the Electron bundle (CommonJS) import.meta.url is undefined: resolve from the bundle's file.
  const require = createRequire((import.meta.url as string | undefined) ?? __filename);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
  const fc = feature(topo, topo.objects.countries) as unknown as GeoJSON.FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  countries = fc.features.filter((f) => f.geometry).map((f) => ({ name: f.properties.name, geometry: f.geometry }));
  return countries;
}

/** Every country name world-atlas knows (for help texts and suggestions). */
export function countryNames(): string[] {
  return loadCountries().map((c) => c.name).sort();
}

/** The outline of a country by its Natural Earth name ("Japan", "United States of America"), case-insensitive. */
export function countryArea(name: string): Area {
  const want = name.trim().toLowerCase();
  const list = loadCountries();
  const hit = list.find((c) => c.name.toLowerCase() === want) ?? aliasHit(list, want);
  if (!hit) {
    const near = list.filter((c) => c.name.toLowerCase().includes(want.slice(0, 4))).map((c) => c.name);
    throw codedError('USAGE', near.length ? coded('aoi.unknownCountry', { name, suggestions: near.slice(0, 5).join(', ') }) : coded('aoi.unknownCountryExample', { name }));
  }
  const r = validateGeometry(hit.geometry, { file: 'world-atlas countries-50m' });
  if (!r.geometry || r.problems.length) throw new OutcropError('INTERNAL', `world-atlas outline of ${hit.name} is not valid: ${r.problems[0]?.message}`);
  return r.geometry as Area;
}

const ALIASES: Record<string, string> = { usa: 'united states of america', us: 'united states of america', 'united states': 'united states of america', uk: 'united kingdom', 日本: 'japan' };

function aliasHit(list: { name: string; geometry: Area }[], want: string) {
  const a = ALIASES[want];
  return a ? list.find((c) => c.name.toLowerCase() === a) : undefined;
}

export { areaFromGeoJson, readAreaFile } from '../formats/geojson/small-file';
export { prefectureArea, prefectureBounds, prefectureLabel, prefectureList, stateArea, stateBounds, stateLabel, stateList, type PrefectureInfo, type StateInfo } from './admin-areas';
