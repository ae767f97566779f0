import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { DepositFields } from '../../../src/model/deposit';
import { emptyDepositFields, emptySurveyFields } from '../../../src/model/defaults';
import { Project as ProjectStore, type Project } from '../../../src/store/project';
import { afterAll, beforeAll } from 'vitest';

// ../shared/data beside the repository (resolved from this file so scripts/bench-tiles.ts,
// run by tsx as ESM, can load the same data).
const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const sharedPath = (...parts: string[]) => SHARED_DATA + parts.join('/');
const readSharedJson = (...parts: string[]) => JSON.parse(readFileSync(sharedPath(...parts), 'utf8'));

/**
 * Real data for the tile tests, read directly (not through the import pipeline, which is being
 * rebuilt): the 110k located MinMod sites and the Earth MRI / Japanese prefecture polygons.
 */
export interface Site {
  lng: number;
  lat: number;
  name: string;
  /** Commodity codes in source order (mapped from names like "Gold" or symbols like "Au"). */
  codes: string[];
  country: string | null;
  /** Filled in once inserted. */
  id?: string;
}

// Names and symbols seen in the MinMod `commodities` column → Outcrop codes. Terms not listed
// (rock names, "Construction", "Crushed" …) are dropped, as the real importer would flag them.
const NAME_TO_CODE: Record<string, string> = {
  gold: 'Au', silver: 'Ag', copper: 'Cu', nickel: 'Ni', chromium: 'Cr', chromite: 'Cr', cobalt: 'Co',
  zinc: 'Zn', lead: 'Pb', iron: 'Fe', aluminum: 'Al', aluminium: 'Al', manganese: 'Mn', platinum: 'Pt',
  palladium: 'Pd', iridium: 'Ir', rhodium: 'Rh', ruthenium: 'Ru', osmium: 'Os', tungsten: 'W',
  molybdenum: 'Mo', mercury: 'Hg', antimony: 'Sb', arsenic: 'As', uranium: 'U', thorium: 'Th',
  lithium: 'Li', tin: 'Sn', titanium: 'Ti', vanadium: 'V', beryllium: 'Be', bismuth: 'Bi', cadmium: 'Cd',
  gallium: 'Ga', germanium: 'Ge', indium: 'In', niobium: 'Nb', tantalum: 'Ta', zirconium: 'Zr',
  tellurium: 'Te', selenium: 'Se', lanthanum: 'La', cerium: 'Ce', neodymium: 'Nd', praseodymium: 'Pr',
  samarium: 'Sm', gadolinium: 'Gd', dysprosium: 'Dy', terbium: 'Tb', europium: 'Eu', yttrium: 'Y',
  scandium: 'Sc', 'rare earths': 'REE', 'rare earth elements': 'REE', ree: 'REE', pge: 'PGE',
  graphite: 'graphite', fluorite: 'fluorspar', fluorspar: 'fluorspar', barite: 'barite',
  phosphate: 'phosphate', potash: 'potash', mica: 'mica', feldspar: 'feldspar', 'sand and gravel': 'sand-gravel',
  stone: 'stone', silica: 'silica', gypsum: 'gypsum', magnesium: 'Mg', potassium: 'K', phosphorus: 'P',
  boron: 'B', strontium: 'Sr', fluorine: 'F', sulfur: 'S', barium: 'Ba', cesium: 'Cs', rubidium: 'Rb',
};
const SYMBOLS = new Set(Object.values(NAME_TO_CODE));

export function toCodes(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(';')) {
    const t = raw.trim();
    if (!t) continue;
    const code = SYMBOLS.has(t) ? t : NAME_TO_CODE[t.toLowerCase()];
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

export function readMinmodSites(): Site[] {
  const text = gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz')));
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const sites: Site[] = [];
  for (const r of rows) {
    const lng = Number(r.longitude);
    const lat = Number(r.latitude);
    if (r.longitude === '' || r.latitude === '' || !Number.isFinite(lng) || !Number.isFinite(lat)) continue;
    if (Math.abs(lng) > 180 || Math.abs(lat) > 90) continue;
    sites.push({ lng, lat, name: r.name || 'unnamed', codes: toCodes(r.commodities ?? ''), country: r.country || null });
  }
  return sites;
}

export function siteFields(s: Site): DepositFields {
  return {
    ...emptyDepositFields(s.name),
    commoditiesMain: s.codes as DepositFields['commoditiesMain'],
    country: s.country,
  };
}

/** Insert the sites in one operation through the store's write path; sets each site's id. */
export async function insertSites(project: Project, sites: Site[]): Promise<void> {
  await project.write('test', 'load MinMod sites', (w) => {
    for (const s of sites) s.id = w.insertDeposit(siteFields(s), { type: 'Point', coordinates: [s.lng, s.lat] });
  });
}

export interface SurveySource {
  id?: string;
  name: string;
  agency: string | null;
  geometry: Polygon | MultiPolygon;
}

export function readSurveySources(): SurveySource[] {
  const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<MultiPolygon>[];
  const pref = readSharedJson('polygons', 'japan-prefectures.geojson').features as Feature<Polygon | MultiPolygon>[];
  return [
    ...mri.map((f) => ({ name: String(f.properties?.pname), agency: 'USGS', geometry: f.geometry })),
    ...pref.map((f) => ({ name: String(f.properties?.nam), agency: 'GSI', geometry: f.geometry })),
  ];
}

export async function insertSurveys(project: Project, surveys: SurveySource[]): Promise<void> {
  await project.write('test', 'load surveys', (w) => {
    for (const s of surveys) s.id = w.insertSurvey({ ...emptySurveyFields(s.name), agency: s.agency }, s.geometry);
  });
}

export function decodeTile(buf: Buffer): VectorTile {
  return new VectorTile(new PbfReader(buf));
}

/**
 * Independent Web-Mercator forward formula for the checks (y = ln(tan φ + sec φ), Snyder 1987
 * eq. 7-2), not the one under test; latitudes clamped to the square's edge like EPSG:3857.
 */
export function mercator(lng: number, lat: number): [number, number] {
  const maxLat = (Math.atan(Math.sinh(Math.PI)) * 180) / Math.PI;
  const phi = (Math.max(-maxLat, Math.min(maxLat, lat)) * Math.PI) / 180;
  const y = (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
  return [(lng + 180) / 360, Math.max(0, Math.min(1, y))];
}

/** The project of one test file: made with `fill` before its tests, closed and removed after. */
export interface TestProject {
  project: Project;
  /** Its .gpkg path (to open a second connection). */
  file: string;
}

export function useTestProject(prefix: string, fill: (p: Project) => Promise<void>): TestProject {
  const t = {} as TestProject;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `outcrop-${prefix}-`));
    t.file = join(dir, 'p.gpkg');
    t.project = ProjectStore.open(t.file, { create: true });
    await fill(t.project);
  });
  afterAll(() => {
    t.project?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return t;
}
