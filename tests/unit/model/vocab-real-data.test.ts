/**
 * The vocabularies against every value in the real data (../shared/data, see its README):
 * every commodity string must be recognised (as a commodity or as a known non-commodity),
 * deposit types are counted, vague ones must stay unmapped. The distinct lists are printed
 * with OUTCROP_PRINT_VOCAB=1, which is how the vocabularies were built.
 */
import { parse } from 'csv-parse/sync';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchDepositType, parseCommodityList, parseDevStatus, parseSurveyMethods } from '../../../src/model/vocab';
import { hasSharedData, sharedPath } from '../../helpers/data';

const PRINT = process.env.OUTCROP_PRINT_VOCAB === '1';

interface Sample {
  source: string;
  commodities: unknown;
  depositType?: string;
  siteType?: string;
}

describe.skipIf(!hasSharedData)('vocabularies on the real data', () => {
  const samples: Sample[] = [];

  beforeAll(() => {
    const csv = parse(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))), { columns: true }) as Record<string, string>[];
    for (const r of csv) samples.push({ source: r.dataset, commodities: r.commodities, depositType: r.deposit_type, siteType: r.site_type });
    for (const f of readdirSync(sharedPath('deposits')).filter((n) => n.endsWith('.geojson'))) {
      const fc = JSON.parse(readFileSync(sharedPath('deposits', f), 'utf8'));
      for (const ft of fc.features) samples.push({ source: f, commodities: ft.properties.commodities, depositType: ft.properties.deposit_type });
    }
    for (const f of ['Site.csv', 'Loc_Pt.csv']) {
      const rows = parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', f)), { columns: true, bom: true }) as Record<string, string>[];
      for (const r of rows) samples.push({ source: f, commodities: r.Commodity });
    }
    const models = parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', 'Dep_Model.csv')), { columns: true, bom: true }) as Record<string, string>[];
    for (const r of models) samples.push({ source: 'Dep_Model.csv', commodities: '', depositType: r.DpMd_NoNm });
  }, 60_000);

  it('reads all the files', () => {
    expect(samples.length).toBe(110_459 + 3161 + 578 + 683 + 873 + 207 + 21 + 61 + 27);
  });

  it('recognises every commodity string (zero unknown)', () => {
    const unknown = new Map<string, number>();
    const ignored = new Map<string, number>();
    const distinct = new Set<string>();
    let withCodes = 0;
    let exact = 0;
    let nonEmpty = 0;
    for (const s of samples) {
      if (typeof s.commodities !== 'string' || s.commodities.trim() === '') continue;
      nonEmpty++;
      for (const t of s.commodities.split('; ')) distinct.add(t);
      const r = parseCommodityList(s.commodities);
      for (const u of r.unknown) unknown.set(u, (unknown.get(u) ?? 0) + 1);
      for (const u of r.ignored) ignored.set(u, (ignored.get(u) ?? 0) + 1);
      if (r.codes.length) withCodes++;
      if (r.exact) exact++;
    }
    console.log(
      `commodities: ${distinct.size} distinct strings in ${nonEmpty} non-empty lists; ` +
        `${withCodes} lists give at least one code, ${exact} map exactly; ` +
        `${ignored.size} distinct non-commodity terms ignored; ${unknown.size} unknown`,
    );
    if (PRINT) for (const [t, n] of [...ignored].sort((a, b) => b[1] - a[1])) console.log(`ignored ${JSON.stringify(t)} ${n}`);
    expect([...unknown.keys()]).toEqual([]);
    expect(withCodes / nonEmpty).toBeGreaterThan(0.99);
  });

  it('maps the deposit types that name a class, and only those', () => {
    const distinct = new Map<string, number>();
    for (const s of samples) if (s.depositType?.trim()) distinct.set(s.depositType, (distinct.get(s.depositType) ?? 0) + 1);
    let mapped = 0;
    let rowsMapped = 0;
    let rowsUnmapped = 0;
    const unmapped: Array<[string, number]> = [];
    for (const [t, n] of distinct) {
      if (matchDepositType(t)) {
        mapped++;
        rowsMapped += n;
      } else {
        unmapped.push([t, n]);
        rowsUnmapped += n;
      }
    }
    console.log(
      `deposit types: ${distinct.size} distinct values; ${mapped} map onto a code (${rowsMapped} records), ` +
        `${unmapped.length} stay unmapped (${rowsUnmapped} records)`,
    );
    if (PRINT) for (const [t, n] of unmapped.sort((a, b) => b[1] - a[1])) console.log(`unmapped ${JSON.stringify(t)} ${n}`);
    expect(mapped).toBeGreaterThan(390);
    for (const vague of ['Hydrothermal', 'Surficial', 'Sedimentary', 'Igneous', 'Metamorphic', 'Unclassified', 'Vein']) {
      expect(distinct.has(vague), vague).toBe(true);
      expect(matchDepositType(vague), vague).toBeUndefined();
    }
  });

  it('reads the MRDS-style statuses in MinMod site_type', () => {
    const seen = new Map<string, string | null | undefined>();
    for (const s of samples) if (s.siteType) seen.set(s.siteType, parseDevStatus(s.siteType));
    expect(seen.get('Past Producer')).toBe('past-producer');
    expect(seen.get('Producer')).toBe('producer');
    expect(seen.get('Occurrences')).toBe('occurrence');
    expect(seen.get('Plant')).toBe('plant');
    expect(seen.get('Unknown')).toBeNull();
    expect(seen.get('Mine')).toBeUndefined(); // producer or past producer: not guessed
  });

  it('reads every Earth MRI program value as a survey method', () => {
    const fc = JSON.parse(readFileSync(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), 'utf8'));
    for (const f of fc.features) {
      const r = parseSurveyMethods(f.properties.program);
      expect(r.unknown, JSON.stringify(f.properties.program)).toEqual([]);
      expect(r.methods.length).toBeGreaterThan(0);
    }
  });
});
