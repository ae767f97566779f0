import { Command, Option } from 'commander';
import Papa from 'papaparse';
import { OutcropError } from '../errors';
import { parseCommodity } from '../model/vocab/commodities';
import { matchDepositType, DEPOSIT_TYPES } from '../model/vocab/deposit-types';
import { parseDevStatus } from '../model/vocab/statuses';
import type { BBox, FeatureFilter } from '../store/read';
import type { Project } from '../store/project';
import { err } from './context';

/** Add the shared attribute filters to a command. */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--commodity <list>', 'deposits with any of these commodities (symbols or names, comma-separated), e.g. Li,Co or "rare earths"'))
    .addOption(new Option('--main-only', 'match --commodity against main commodities only'))
    .addOption(new Option('--status <list>', 'development status: occurrence, prospect, past-producer, producer, plant'))
    .addOption(new Option('--type <list>', 'deposit type codes, e.g. porphyry-cu,li-brine'))
    .addOption(new Option('--country <list>', 'country names as stored, e.g. Japan,"United States"; quote a name with a comma: \'"Korea, Republic of",Japan\''))
    .addOption(new Option('--agency <list>', 'recording agency (provenance), e.g. USGS,GSJ (quote a name with a comma, as for --country)'))
    .addOption(new Option('--team <list>', 'field team: surveys of these teams, and the deposits recorded in them'))
    .addOption(new Option('--bbox <w,s,e,n>', 'bounding box in degrees (west > east crosses the antimeridian)'));
}

/**
 * A comma-separated list, read as one CSV line: a value holding a comma is quoted, as in
 * `--country '"Korea, Republic of",Japan'` (the shell's own quotes go, the inner ones stay).
 */
const list = (s: string | undefined) =>
  s ? (Papa.parse<string[]>(s, { delimiter: ',', quoteChar: '"' }).data[0] ?? []).map((x) => x.trim()).filter(Boolean) : undefined;

export function filterFromOptions(o: Record<string, any>): FeatureFilter {
  const f: FeatureFilter = {};
  const commodities = list(o.commodity);
  if (commodities) {
    f.commodity = commodities.map((c) => {
      const code = parseCommodity(c);
      if (!code) throw new OutcropError('USAGE', `--commodity: "${c}" is not a known commodity (use a symbol like Li or a name like lithium)`);
      return code;
    });
  }
  if (o.mainOnly) f.mainCommodityOnly = true;
  const statuses = list(o.status);
  if (statuses) {
    f.status = statuses.map((s) => {
      const st = parseDevStatus(s);
      if (!st) throw new OutcropError('USAGE', `--status: "${s}" is not a development status (occurrence, prospect, past-producer, producer, plant)`);
      return st;
    });
  }
  const types = list(o.type);
  if (types) {
    const codes = new Set(DEPOSIT_TYPES.map((t) => t.code as string));
    f.depositType = types.map((t) => {
      const code = codes.has(t) ? t : matchDepositType(t);
      if (!code) throw new OutcropError('USAGE', `--type: "${t}" is not a deposit type code (see docs/data-model.md)`);
      return code;
    });
  }
  const countries = list(o.country);
  if (countries) f.country = countries;
  const agencies = list(o.agency);
  if (agencies) f.agency = agencies;
  const teams = list(o.team);
  if (teams) f.team = teams;
  if (o.bbox) f.bbox = parseBBox(o.bbox);
  return f;
}

export function parseBBox(s: string): BBox {
  const parts = s.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x))) {
    throw new OutcropError('USAGE', `--bbox must be four numbers west,south,east,north; got "${s}"`);
  }
  const [w, so, e, n] = parts;
  if (Math.abs(w) > 180 || Math.abs(e) > 180) throw new OutcropError('USAGE', `--bbox longitudes must be within −180…180; got ${w} and ${e}`);
  if (Math.abs(so) > 90 || Math.abs(n) > 90 || so > n) throw new OutcropError('USAGE', `--bbox latitudes must be within −90…90 with south ≤ north; got ${so} and ${n}`);
  return [w, so, e, n];
}

/**
 * Say on stderr which --country, --agency or --team names match nothing stored: names match
 * exactly, and a name holding a comma is cut in two unless quoted, so an empty result may be
 * a typing slip rather than an answer.
 */
export function noteUnmatchedNames(project: Project, f: FeatureFilter): void {
  const checks: [string, string[] | undefined, string][] = [
    ['--country', f.country, 'SELECT 1 FROM deposits WHERE country = ? UNION ALL SELECT 1 FROM surveys WHERE country = ? LIMIT 1'],
    ['--agency', f.agency, 'SELECT 1 FROM deposits WHERE agency = ? UNION ALL SELECT 1 FROM surveys WHERE agency = ? LIMIT 1'],
    ['--team', f.team, 'SELECT 1 FROM surveys WHERE team = ? AND ? IS NOT NULL LIMIT 1'],
  ];
  for (const [flag, values, sql] of checks) {
    const stmt = values?.length ? project.db.prepare(sql) : undefined;
    for (const v of values ?? []) {
      if (stmt!.get(v, v) === undefined) err(`note: ${flag} "${v}" matches nothing stored (names match exactly; quote a name that holds a comma: '"Korea, Republic of",Japan')`);
    }
  }
}
