import type { Command } from 'commander';
import { OutcropError } from '../../errors';
import { writeFileAtomically } from '../../formats/atomic-write';
import { countryArea, prefectureArea, prefectureLabel, readAreaFile, stateArea, stateLabel } from '../../spatial/coverage-aoi';
import { checkCoverageDates, surveyCoverage, type CoverageGroupBy, type CoverageResult } from '../../spatial/coverage';
import { Project } from '../../store/project';
import { cancelOnSigint, err, out } from '../context';

const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export function coverageCommand(program: Command): void {
  program
    .command('coverage')
    .description('how much of an area the stored surveys cover: union, km², %, gaps and overlaps between agencies/countries/methods')
    .argument('<project.gpkg>', 'the project')
    .option('--aoi <file>', 'area of interest: a GeoJSON file of polygons')
    .option('--encoding <name>', '--aoi: text encoding of the file, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .option('--country <name>', 'area of interest: a country by its Natural Earth name (e.g. Japan, "United States of America")')
    .option('--state <name|code>', 'area of interest: a US state (or DC, a territory) by name or postal code (e.g. Nevada, NV)')
    .option('--prefecture <name>', 'area of interest: a Japanese prefecture by name in English or Japanese, or JIS code (e.g. Hokkaido, 北海道, 1)')
    .option('--by <field>', 'group by agency | country | method and report overlaps between groups')
    .option('--agency <list>', 'only surveys by these agencies (comma-separated)')
    .option('--survey-country <list>', 'only surveys with these countries')
    .option('--method <list>', 'only surveys using these methods, e.g. geophysics,geochemistry')
    .option('--from <date>', 'only surveys still running on or after this date (YYYY[-MM[-DD]])')
    .option('--to <date>', 'only surveys started on or before this date')
    .option('--gaps <out.geojson>', 'write the uncovered parts of the AOI')
    .option('--overlaps <out.geojson>', 'write the overlaps between groups (needs --by)')
    .option('--json', 'print the result as JSON instead of a table')
    .addHelpText(
      'after',
      '\nAreas are geodesic (spherical, WGS84 mean radius; within ~0.5 % of ellipsoidal).\n' +
        'State and prefecture outlines are the offline basemap\'s (US Census 1:10m; GSI Global Map Japan,\n' +
        'generalised): an inland state\'s area is within ~0.2 % of the Census figure, a prefecture\'s within 0.75 % of GSI\'s full outline.\n' +
        '\nExamples:\n  $ outcrop coverage project.gpkg --aoi nm-box.geojson --by agency --gaps gaps.geojson\n' +
        '  $ outcrop coverage project.gpkg --country Japan --by method --json\n' +
        '  $ outcrop coverage project.gpkg --state NV --agency USGS --from 2020 --to 2025-06-30\n' +
        '  $ outcrop coverage project.gpkg --prefecture 北海道 --by agency --gaps hokkaido-gaps.geojson --overlaps ov.geojson',
    )
    .action(async (file: string, o: Record<string, any>) => {
      const aoiFlags = (['aoi', 'country', 'state', 'prefecture'] as const).filter((k) => o[k] !== undefined);
      if (aoiFlags.length > 1) throw new OutcropError('USAGE', `give one area of interest (--aoi, --country, --state or --prefecture), not ${aoiFlags.map((k) => `--${k}`).join(' and ')}`);
      if (o.by && !['agency', 'country', 'method'].includes(o.by)) throw new OutcropError('USAGE', `--by must be agency, country or method, got "${o.by}"`);
      if (o.overlaps && !o.by) throw new OutcropError('USAGE', '--overlaps needs --by agency|country|method');
      if (o.gaps && !aoiFlags.length) throw new OutcropError('USAGE', '--gaps needs an area of interest (--aoi, --country, --state or --prefecture)');
      checkCoverageDates(o.from, o.to);
      const aoi = o.aoi
        ? await readAreaFile(o.aoi, { encoding: o.encoding })
        : o.country !== undefined
          ? countryArea(o.country)
          : o.state !== undefined
            ? stateArea(o.state)
            : o.prefecture !== undefined
              ? prefectureArea(o.prefecture)
              : undefined;
      const aoiLabel: string | null = o.aoi ?? o.country ?? (o.state !== undefined ? stateLabel(o.state) : o.prefecture !== undefined ? prefectureLabel(o.prefecture) : null);
      const project = Project.open(file, { readonly: true });
      const ac = cancelOnSigint();
      let r: CoverageResult;
      try {
        r = surveyCoverage(project, {
          aoi,
          by: o.by as CoverageGroupBy | undefined,
          filter: { agency: list(o.agency), country: list(o.surveyCountry), method: list(o.method), from: o.from, to: o.to },
          signal: ac.signal,
        });
      } finally {
        project.close();
      }
      if (o.gaps) await writeJson(o.gaps, { type: 'FeatureCollection', features: r.gaps ? [{ type: 'Feature', properties: { area_km2: r.gapsKm2 }, geometry: r.gaps }] : [] });
      if (o.overlaps) {
        await writeJson(o.overlaps, {
          type: 'FeatureCollection',
          features: r.overlaps.map((x) => ({ type: 'Feature', properties: { a: x.a, b: x.b, area_km2: x.areaKm2 }, geometry: x.geometry })),
        });
      }
      if (o.json) {
        out(JSON.stringify({ aoi: aoiLabel, ...r, union: undefined, gaps: undefined, groups: r.groups.map((g) => ({ ...g, union: undefined })), overlaps: r.overlaps.map((x) => ({ ...x, geometry: undefined })) }, null, 2));
        return;
      }
      out(printTable(r, o.by, aoiLabel));
      err(`${r.surveyCount} surveys`);
    });
}

async function writeJson(path: string, v: unknown): Promise<void> {
  await writeFileAtomically(path, (w) => w.write(JSON.stringify(v) + '\n'));
}

const km = (x: number | null) => (x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));

function printTable(r: CoverageResult, by: string | undefined, aoiLabel: string | null): string {
  const lines: string[] = [];
  lines.push(`surveys            ${r.surveyCount}`);
  if (r.aoiKm2 !== null) lines.push(`area of interest   ${km(r.aoiKm2)} km²${aoiLabel ? `  ${aoiLabel}` : ''}`);
  lines.push(`covered            ${km(r.coveredKm2)} km²${r.coveredPct !== null ? `  (${r.coveredPct.toFixed(2)} %)` : ''}`);
  if (r.gapsKm2 !== null) lines.push(`not covered        ${km(r.gapsKm2)} km²`);
  if (by) {
    lines.push('', `${by.padEnd(60)} surveys  covered km²`);
    for (const g of r.groups) lines.push(`${g.key.slice(0, 60).padEnd(60)} ${String(g.surveyCount).padStart(7)}  ${km(g.areaKm2).padStart(10)}`);
    lines.push('', 'overlaps between groups (km²)');
    if (!r.overlaps.length) lines.push('  none');
    for (const x of r.overlaps) lines.push(`  ${x.a} ∩ ${x.b}: ${km(x.areaKm2)}`);
  }
  return lines.join('\n');
}
