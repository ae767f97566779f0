import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Point, Polygon } from 'geojson';
import { distance } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/store/project';
import { importFile } from '../../../src/import/import-file';
import { emptyDepositFields } from '../../../src/model/defaults';
import { parseCommodityList } from '../../../src/model/vocab/commodities';
import { compareSites, type CandidateSite } from '../../../src/compare/compare-sites';
import { DEFAULT_COMMODITY_WEIGHTS, DEFAULT_OTHER_CRITICAL, defaultWeights, type Weights } from '../../../src/compare/weights';
import { depositCriteria } from '../../../src/compare/criteria';
import { depositRaws, groupDeposits } from '../../../src/compare/deposit-groups';
import { commodityEntry } from '../../../src/model/vocab/commodities';
import { comparisonToHtml } from '../../../src/compare/report-html';
import { comparisonToCsv } from '../../../src/compare/report-csv';
import { readSharedJson, sharedPath } from '../../helpers/data';

// Real data: USGS major deposits, REE deposits, Earth MRI focus sites, NI 43-101 sites, Japan sites (5,502 points).
const FILES = ['usgs-major-deposits-world.geojson', 'usgs-ree-deposits-world.geojson', 'earthmri-focus-sites-us.geojson', 'ni43101-report-sites-world.geojson', 'japan-sites.geojson'];
const source = FILES.flatMap((f) => readSharedJson('deposits', f).features as Feature<Point>[]);
/** Approx_Lon/Approx_Lat of a site in the USGS lithium Site.csv (no quoted commas before those columns in these rows). */
function lithiumSite(siteId: string): [number, number] {
  const text = readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', 'Site.csv'), 'utf8');
  const header = text.split(/\r?\n/)[0].split(',');
  const row = text.split(/\r?\n/).find((l) => l.split(',')[1] === siteId)!.split(',');
  return [Number(row[header.indexOf('Approx_Lon')]), Number(row[header.indexOf('Approx_Lat')])];
}
const hishikari = source.find((f) => f.properties!.name === 'Hishikari')!;

const SITES: CandidateSite[] = [
  { id: 'mp', name: 'Mountain Pass area', geometry: { type: 'Point', coordinates: [-115.53, 35.48] }, permitStage: 'operating' },
  // USGS lithium deposits of the US (2019), Site.csv NV00144 "Clayton Valley brine operation".
  { id: 'cv', name: 'Clayton Valley, Nevada', geometry: { type: 'Point', coordinates: lithiumSite('NV00144') }, permitStage: 'granted' },
  { id: 'hk', name: 'Near Hishikari', geometry: { type: 'Point', coordinates: [hishikari.geometry.coordinates[0] + 0.05, hishikari.geometry.coordinates[1]] }, permitStage: 'exploration-licence' },
  { id: 'x', name: '<script>alert(1)</script>', geometry: { type: 'Polygon', coordinates: [[[-116, 35], [-115, 35], [-115, 36], [-116, 36], [-116, 35]]] } },
];
const R = 50;

/** Brute-force priority of a source feature: the highest default weight among its commodities. */
function priorityOf(f: Feature): number {
  const codes = parseCommodityList(String(f.properties?.commodities ?? '')).codes;
  return Math.max(0, ...codes.map((c) => {
    if (c in DEFAULT_COMMODITY_WEIGHTS) return DEFAULT_COMMODITY_WEIGHTS[c];
    const e = commodityEntry(c);
    if (e?.group && e.group in DEFAULT_COMMODITY_WEIGHTS) return DEFAULT_COMMODITY_WEIGHTS[e.group];
    return e && (e.criticalUS || e.criticalJP) ? DEFAULT_OTHER_CRITICAL : 0;
  }));
}

let dir: string;
let project: Project;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-compare-'));
  project = Project.open(join(dir, 'p.gpkg'), { create: true });
  for (const f of FILES) await importFile(project, sharedPath('deposits', f));
  await importFile(project, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { skipInvalid: true });
  // A processing plant for the infrastructure criterion, 20 km east of Mountain Pass (0.2196° of longitude at 35.48°N ≈ 19.9 km).
  await project.write('test', 'plant', (w) => w.insertDeposit({ ...emptyDepositFields('Test separation plant'), status: 'plant', commoditiesMain: ['REE'] }, { type: 'Point', coordinates: [-115.31, 35.48] }));
}, 120_000);
afterAll(() => {
  project.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compareSites on real deposits', () => {
  it('counts deposits within R km like a brute-force turf.distance loop', () => {
    const c = compareSites(project, SITES.slice(0, 3), { radiusKm: R, infrastructure: { kind: 'deposits', label: 'plant', filter: { status: ['plant'] } } });
    SITES.slice(0, 3).forEach((site, i) => {
      const p = (site.geometry as Point).coordinates;
      const near = source.filter((f) => distance(p, f.geometry.coordinates, { units: 'kilometers' }) <= R);
      const extraPlant = i === 0 ? 1 : 0; // the plant added above is 19.9 km from Mountain Pass
      expect(c.contexts[i].deposits.length).toBe(near.length + extraPlant);
      const weighted = near.reduce((s, f) => s + priorityOf(f), 0) + (i === 0 ? DEFAULT_COMMODITY_WEIGHTS.REE : 0);
      expect(c.scores[i].criteria.find((k) => k.key === 'deposits')!.raw).toBeCloseTo(weighted, 3);
      expect(c.contexts[i].priorities.filter((p) => p > 0).length).toBe(near.filter((f) => priorityOf(f) > 0).length + extraPlant);
    });
    expect(c.contexts[0].deposits.length).toBeGreaterThan(3); // Mountain Pass has real REE neighbours
    expect(c.contexts[1].deposits.length).toBeGreaterThan(0);
    expect(c.contexts[2].deposits.length).toBeGreaterThan(0);
    const infra = c.scores[0].criteria.find((k) => k.key === 'infrastructure')!;
    expect(infra.raw).toBeCloseTo(distance([-115.53, 35.48], [-115.31, 35.48], { units: 'kilometers' }), 2);
    // every contribution is weight × normalised and the score their sum
    for (const s of c.scores) {
      for (const k of s.criteria) expect(k.contribution).toBeCloseTo(k.weight * k.normalised, 12);
      expect(s.score).toBeCloseTo(s.criteria.reduce((a, k) => a + k.contribution, 0), 12);
    }
    expect(new Set(c.scores.map((s) => s.rank)).size).toBeGreaterThan(1);
  });

  it('hard exclusion zone excludes; penalty mode only lowers the score', () => {
    const park = { name: 'Mojave National Preserve (test box)', geometry: { type: 'Polygon', coordinates: [[[-115.8, 35.3], [-115.3, 35.3], [-115.3, 35.6], [-115.8, 35.6], [-115.8, 35.3]]] } as Polygon };
    const hard = compareSites(project, SITES.slice(0, 3), { exclusions: [park] });
    expect(hard.scores[0].excluded).toBe(true);
    expect(hard.scores[0].rank).toBe(3);
    const base = compareSites(project, SITES.slice(0, 3));
    const w = { ...base.weights, exclusionMode: 'penalty' as const };
    const pen = compareSites(project, SITES.slice(0, 3), { exclusions: [park], weights: w });
    expect(pen.scores[0].excluded).toBe(false);
    expect(pen.scores[0].criteria.find((k) => k.key === 'exclusion')!.raw).toBe(1);
  });

  it('polygon sites count deposits inside; coverage is a fraction of the site', () => {
    const c = compareSites(project, SITES);
    const poly = SITES[3].geometry as Polygon;
    const inside = source.filter((f) => {
      const [x, y] = f.geometry.coordinates;
      return x >= -116 && x <= -115 && y >= 35 && y <= 36;
    });
    expect(c.contexts[3].deposits.length).toBe(inside.length + 1); // + the test plant
    for (const s of c.scores) {
      const cov = s.criteria.find((k) => k.key === 'coverage')!.raw!;
      expect(cov).toBeGreaterThanOrEqual(0);
      expect(cov).toBeLessThanOrEqual(1);
    }
    expect(poly.coordinates[0]).toHaveLength(5); // not mutated
  });

  it('an empty radius is fine, an empty site list is a usage error, an aborted signal stops', () => {
    const lonely = compareSites(project, [{ id: 'sea', name: 'Mid-Pacific', geometry: { type: 'Point', coordinates: [-150, 0] } }]);
    expect(lonely.contexts[0].deposits).toHaveLength(0);
    expect(() => compareSites(project, [])).toThrow(/no sites/);
    const ac = new AbortController();
    ac.abort();
    expect(() => compareSites(project, SITES, { signal: ac.signal })).toThrow();
  });

  it('a site across the antimeridian (Fiji) assesses a split circle', () => {
    const c = compareSites(project, [{ id: 'fj', name: 'Fiji', geometry: { type: 'Point', coordinates: [179.95, -17] } }]);
    expect(c.contexts[0].assessedArea.type).toBe('MultiPolygon');
  });
});

describe('reports', () => {
  it('HTML: self-contained, escaped, parseable', () => {
    const c = compareSites(project, SITES, { radiusKm: R });
    const html = comparisonToHtml(c, { project: 'p.gpkg' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // No URL at all outside escaped data text (deposit names do not carry URLs here).
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)=/);
    // Parseable: every element closes in order (a stack parser over the tags; void and self-closed elements skipped).
    const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
    const stack: string[] = [];
    for (const m of html.replace(/<!DOCTYPE html>/, '').matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(\/?)>/g)) {
      const [, closing, name, selfClosed] = m;
      if (VOID.has(name) || selfClosed) continue;
      if (closing) expect(stack.pop(), `</${name}> at ${m.index}`).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
    // No stray "<" left in text: everything that is not a tag was escaped.
    expect(html.replace(/<!DOCTYPE html>/, '').replace(/<\/?[a-zA-Z][a-zA-Z0-9]*\b[^<>]*>/g, '')).not.toMatch(/[<>]/);
    expect(html.match(/<svg /g)).toHaveLength(SITES.length);
    expect(html).toMatch(/stable|max change/);
  });

  it('CSV: one row per site and criterion, formula-safe', () => {
    const c = compareSites(project, [...SITES, { id: 'f', name: '=HYPERLINK("x")', geometry: { type: 'Point', coordinates: [0, 0] } }]);
    const csv = comparisonToCsv(c);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 5 * 7);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('deposit groups (the commodity sensitivity re-scores from them)', () => {
  it('give the deposit criteria depositCriteria gives, for other commodity weights and site targets', async () => {
    // The real sets carry few tonnages: a far-off cluster with estimates of each kind (named commodity, none, kt).
    await project.write('test', 'estimates', (w) => {
      const at = (i: number): Point => ({ type: 'Point', coordinates: [-140 + i * 0.01, -40] });
      w.insertDeposit({ ...emptyDepositFields('E1'), commoditiesMain: ['Cu'], status: 'producer', resources: [{ tonnage: 12, tonnageUnit: 'Mt' }] }, at(0));
      w.insertDeposit({ ...emptyDepositFields('E2'), commoditiesMain: ['Cu'], status: 'prospect', resources: [{ tonnage: 800, tonnageUnit: 'kt', commodity: 'Li' }] }, at(1));
      w.insertDeposit({ ...emptyDepositFields('E3'), commoditiesMain: ['Au', 'Cu'], resources: [{ tonnage: 3, commodity: 'Au' }, { tonnage: 5e6, tonnageUnit: 't' }] }, at(2));
    });
    const sites: CandidateSite[] = [...SITES, { id: 'e', name: 'estimates', geometry: { type: 'Point', coordinates: [-140, -40] } }];
    const c = compareSites(project, sites, { radiusKm: 150 });
    expect(c.contexts[sites.length - 1].deposits.length).toBe(3);
    const base = defaultWeights();
    const variants: Weights[] = [
      base,
      { ...base, commodities: { ...base.commodities, Cu: base.commodities.Cu * 0.8 } },
      { ...base, commodities: { ...base.commodities, REE: base.commodities.REE * 1.2 } },
      { ...base, otherCritical: base.otherCritical * 1.2 },
      { ...base, otherCritical: 0 },
    ];
    let compared = 0;
    c.contexts.forEach((ctx) => {
      for (const targets of [[], ['REE'], ['Au', 'Cu']]) {
        const groups = groupDeposits(ctx.deposits, base, targets);
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(ctx.deposits.length);
        for (const w of variants) {
          const want = Object.fromEntries(depositCriteria(ctx.deposits, w, 'here', targets).map((k) => [k.key, k.raw]));
          const got = depositRaws(groups, w);
          expect(got.deposits).toBeCloseTo(want.deposits!, 9);
          expect(got.development).toBe(want.development);
          expect(got.resources).toBeCloseTo(want.resources!, 9);
          compared++;
        }
      }
    });
    expect(compared).toBe(sites.length * 3 * variants.length);
    // Shared lists fold many deposits into one group (Mountain Pass at 150 km: hundreds of deposits).
    expect(c.contexts[0].deposits.length).toBeGreaterThan(groupDeposits(c.contexts[0].deposits, base).length);
  });
});
