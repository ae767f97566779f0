import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { BadInputError, OutcropError } from '../../errors';
import { writeFileAtomically } from '../../formats/atomic-write';
import { readTextFile, type TextInputOptions } from '../../formats/open-input';
import { candidateOf, compareSites, type CandidateSite, type Comparison, type ExclusionZone } from '../../compare/compare-sites';
import { PLANTS_LAYER, readInfrastructureFile, storedInfrastructure, type InfrastructureLayer } from '../../compare/infrastructure';
import { comparisonToCsv } from '../../compare/report-csv';
import { comparisonToHtml } from '../../compare/report-html';
import { defaultWeights, parseWeightsJson } from '../../compare/weights';
import { areaFromGeoJson } from '../../spatial/coverage-aoi';
import { Project } from '../../store/project';
import { addPermitReview, getSite, insertSites, listSites, permitHistory, type Site } from '../../store/sites';
import { PERMIT_STAGES, type PermitStage } from '../../compare/roles';
import { readSitesFile } from '../../store/sites-file';
import { referenceZones } from '../../store/reference-layers';
import { cancelOnSigint, err, out } from '../context';

export function compareCommand(program: Command): void {
  program
    .command('compare')
    .description('rank candidate sites on deposits nearby, infrastructure, survey coverage, exclusion zones and permitting, with every step explained')
    .argument('<project.gpkg>', 'the project')
    .requiredOption('--sites <file|ids>', 'a GeoJSON file of sites (Points/Polygons with "name") or stored site ids, comma-separated')
    .option('--weights <weights.json>', 'criterion and commodity weights over the defaults, e.g. {"criteria":{"deposits":0.4},"commodities":{"Li":1}}')
    .option('--radius-km <n>', 'radius around point sites, km', '50')
    .option('--exclusions <file|layers>', 'GeoJSON of exclusion zones (protected areas), or stored exclusion layers by name, comma-separated (see "outcrop layers"); each zone\'s "name" is reported')
    .option('--exclusion-mode <mode>', 'hard (exclude the site) or penalty (lower its score); overrides the weights file')
    .option('--infrastructure <file|layer>', 'GeoJSON of roads/ports/power lines…, or a stored infrastructure layer by name (see "outcrop layers"); default: deposits with status "plant" (processing plants)')
    .option('--report <out.html>', 'write a self-contained HTML report (maps, method, tables, sensitivity)')
    .option('--csv <out.csv>', 'write one row per site and criterion')
    .option('--save', 'store the sites of --sites <file> in the project (layer "sites") before comparing')
    .option('--json', 'print the full result as JSON')
    .option('--encoding <name>', 'text encoding of the input files (sites, weights, exclusions, infrastructure), e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .addHelpText(
      'after',
      '\nScore = Σ weight × min–max normalised value across the compared sites; ranks with ±20 % sensitivity to each criterion weight and each priority-commodity weight.\n' +
        '\nExamples:\n  $ outcrop compare project.gpkg --sites candidates.geojson --radius-km 50 --report compare.html\n' +
        '  $ outcrop compare project.gpkg --sites 0190…,0190… --weights weights.json --exclusions parks.geojson --csv out.csv\n' +
        '  $ outcrop layers import project.gpkg roads.geojson --role infrastructure\n' +
        '  $ outcrop compare project.gpkg --sites 0190…,0190… --infrastructure roads --exclusions parks,wetlands --exclusion-mode penalty',
    )
    .action(async (file: string, o: Record<string, any>) => {
      const radiusKm = Number(o.radiusKm);
      if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > 2000) throw new OutcropError('USAGE', `--radius-km must be a number in (0, 2000], got "${o.radiusKm}"`);
      const text = { encoding: o.encoding as string | undefined };
      const weights = o.weights ? parseWeightsJson(await readJson(o.weights, text), basename(o.weights)) : defaultWeights();
      if (o.exclusionMode) {
        if (!['hard', 'penalty'].includes(o.exclusionMode)) throw new OutcropError('USAGE', `--exclusion-mode must be hard or penalty, got "${o.exclusionMode}"`);
        weights.exclusionMode = o.exclusionMode;
      }
      // A path that exists is a file; anything else names stored reference layers (resolved once the project is open).
      const exclusionsFromFile = o.exclusions && existsSync(o.exclusions) ? await readZones(o.exclusions, text) : undefined;
      const infrastructureFromFile = o.infrastructure && existsSync(o.infrastructure) ? await readInfrastructureFile(o.infrastructure, undefined, text) : undefined;
      const isFile = /\.(geo)?json$/i.test(o.sites);
      if (o.save && !isFile) throw new OutcropError('USAGE', '--save needs --sites <file.geojson>');
      const fromFile = isFile ? await readSitesFile(o.sites, text) : undefined;
      // Stored sites need the schema with the sites layer: open read-write so an older file is upgraded.
      const project = Project.open(file, { readonly: !!fromFile && !o.save });
      const ac = cancelOnSigint();
      let c: Comparison;
      try {
        const storedExclusions = o.exclusions && !exclusionsFromFile ? String(o.exclusions).split(',').map((s) => s.trim()).filter(Boolean) : [];
        const exclusions = exclusionsFromFile ?? (storedExclusions.length ? referenceZones(project, storedExclusions) : undefined);
        const exclusionsLabel = exclusionsFromFile ? basename(o.exclusions) : storedExclusions.length ? storedExclusions.join(', ') : undefined;
        const infrastructure: InfrastructureLayer = infrastructureFromFile ?? (o.infrastructure ? storedInfrastructure(project, String(o.infrastructure)) : PLANTS_LAYER);
        let sites: CandidateSite[];
        if (fromFile) {
          let ids = fromFile.map((s, i) => s.id ?? `site-${i + 1}`);
          if (o.save) {
            ids = await insertSites(project, fromFile, `add ${fromFile.length} sites from ${basename(o.sites)}`);
            err(`${ids.length} sites saved`);
          }
          sites = fromFile.map((s, i) => ({ id: ids[i], name: s.fields.name, geometry: s.geometry, roles: s.fields.roles, targetCommodities: s.fields.targetCommodities, permitStage: s.fields.permitStage }));
        } else {
          const ids = String(o.sites).split(',').map((s) => s.trim()).filter(Boolean);
          sites = listSites(project, ids).map(candidateOf);
        }
        c = compareSites(project, sites, { radiusKm, weights, exclusions, exclusionsLabel, infrastructure, signal: ac.signal });
      } finally {
        project.close();
      }
      if (o.report) await writeFileAtomically(o.report, (w) => w.write(comparisonToHtml(c, { project: basename(file) })));
      if (o.csv) await writeFileAtomically(o.csv, (w) => w.write(comparisonToCsv(c)));
      if (o.json) {
        out(
          JSON.stringify(
            { radiusKm: c.radiusKm, weights: c.weights, infrastructure: c.infrastructureLabel, exclusions: c.exclusionsLabel, scores: c.scores, sensitivity: c.sensitivity, commoditySensitivity: c.commoditySensitivity },
            null,
            2,
          ),
        );
        return;
      }
      err(`infrastructure: ${c.infrastructureLabel ?? 'none'} · exclusion zones: ${c.exclusionsLabel ? `${c.exclusionsLabel} (${c.weights.exclusionMode})` : 'none'}`);
      const order = c.scores.map((s, i) => ({ s, sens: c.sensitivity.sites[i] })).sort((a, b) => a.s.rank - b.s.rank);
      const order2 = c.scores.map((s, i) => ({ s, cs: c.commoditySensitivity.sites[i] }));
      out('rank  score   site' + ' '.repeat(36) + 'sensitivity (±20 % weights / commodity priorities)');
      for (const { s, sens } of order) {
        const cs = order2.find((x) => x.s === s)!.cs;
        out(
          `${String(s.rank).padStart(4)}  ${s.score.toFixed(3)}  ${s.name.slice(0, 38).padEnd(40)}${sens.stable ? 'stable' : `rank ${sens.minRank}–${sens.maxRank}`} / ${cs.stable ? 'stable' : `rank ${cs.minRank}–${cs.maxRank}`}${s.excluded ? '  EXCLUDED' : ''}`,
        );
        for (const k of s.criteria) if (k.applicable) out(`        ${k.key.padEnd(15)} ${k.contribution.toFixed(3)}  ${k.explanation}`);
      }
    });
}

export function sitesCommand(program: Command): void {
  const sites = program.command('sites').description('candidate sites stored in the project (layer "sites")');
  sites
    .command('add')
    .description('store candidate sites from a GeoJSON file (Points/Polygons with name, roles, target_commodities, permit_stage, notes)')
    .argument('<project.gpkg>', 'the project')
    .argument('<file.geojson>', 'the sites')
    .option('--encoding <name>', 'text encoding of the file, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .addHelpText('after', '\nExample:\n  $ outcrop sites add project.gpkg candidates.geojson')
    .action(async (file: string, sitesFile: string, o: { encoding?: string }) => {
      const list = await readSitesFile(sitesFile, { encoding: o.encoding });
      const project = Project.open(file);
      try {
        const ids = await insertSites(project, list, `add ${list.length} sites from ${basename(sitesFile)}`);
        for (let i = 0; i < ids.length; i++) out(`${ids[i]}\t${list[i].fields.name}`);
        err(`${ids.length} sites added`);
      } finally {
        project.close();
      }
    });
  sites
    .command('list')
    .description('list stored sites, tab-separated: id, name, roles, permit stage, place (point, area, or "no location" when another program cleared it)')
    .argument('<project.gpkg>', 'the project')
    .addHelpText('after', '\nExample:\n  $ outcrop sites list project.gpkg')
    .action((file: string) => {
      const project = Project.open(file); // read-write: upgrades a file made before the sites layer
      try {
        for (const s of listSites(project)) {
          const place = !s.geometry ? 'no location' : s.geometry.type === 'Point' ? 'point' : 'area';
          out(`${s.id}\t${s.name}\t${s.roles.join(';')}\t${s.permitStage ?? ''}\t${place}`);
        }
      } finally {
        project.close();
      }
    });
  sites
    .command('review')
    .description("add a dated permit review to a stored site; the site's permit stage follows its latest review by date (undoable in the app)")
    .argument('<project.gpkg>', 'the project')
    .argument('<site>', 'the site: its id, or its name if no other site has it')
    .requiredOption('--date <YYYY-MM-DD>', 'date of the review (YYYY, YYYY-MM or YYYY-MM-DD)')
    .requiredOption('--stage <stage>', `the permit stage it records: ${PERMIT_STAGES.map((x) => x.code).join(', ')} (or its English or Japanese label)`)
    .option('--note <text>', 'what the review said')
    .addHelpText('after', '\nExamples:\n  $ outcrop sites review project.gpkg "Mountain Pass" --date 2026-03-01 --stage applied --note "filed with the county"\n  $ outcrop sites review project.gpkg 0190… --date 2026-09 --stage 環境影響評価中')
    .action(async (file: string, which: string, o: { date: string; stage: string; note?: string }) => {
      const stage = permitStageOf(o.stage);
      const project = Project.open(file);
      try {
        const site = findSite(project, which);
        await addPermitReview(project, { siteId: site.id, date: o.date.trim(), stage, note: o.note ?? null });
        printHistory(project, site.id);
      } finally {
        project.close();
      }
    });
  sites
    .command('history')
    .description("a stored site's permit reviews, oldest first (date, stage, note), and its current stage")
    .argument('<project.gpkg>', 'the project')
    .argument('<site>', 'the site: its id, or its name if no other site has it')
    .addHelpText('after', '\nExample:\n  $ outcrop sites history project.gpkg "Mountain Pass"')
    .action((file: string, which: string) => {
      const project = Project.open(file);
      try {
        printHistory(project, findSite(project, which).id);
      } finally {
        project.close();
      }
    });
}

/** A permit stage by its code or its English or Japanese label (any case). */
function permitStageOf(text: string): PermitStage {
  const t = text.trim().toLowerCase();
  const s = PERMIT_STAGES.find((x) => x.code === t || x.en.toLowerCase() === t || x.ja === text.trim());
  if (!s) throw new OutcropError('USAGE', `--stage: "${text}" is not a permit stage (${PERMIT_STAGES.map((x) => x.code).join(', ')})`);
  return s.code;
}

/** A stored site by id, or by name when exactly one site has it. */
function findSite(project: Project, which: string): Site {
  const byId = getSite(project, which);
  if (byId) return byId;
  const named = listSites(project).filter((s) => s.name === which);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new OutcropError('USAGE', `${named.length} sites are named "${which}": give one of their ids (${named.map((s) => s.id).join(', ')})`);
  throw new OutcropError('NOT_FOUND', `${project.name} has no site with id or name "${which}" (see: outcrop sites list ${project.name})`);
}

function printHistory(project: Project, id: string): void {
  const s = getSite(project, id)!;
  out(`${s.name}\tpermit stage: ${s.permitStage ?? '—'}`);
  for (const r of permitHistory(project, id)) out(`${r.date}\t${r.stage}\t${r.note ?? ''}`);
}

async function readJson(path: string, opts: TextInputOptions): Promise<unknown> {
  const text = await readTextFile(path, opts); // its errors (no such file, not text, bad bytes) name the file already
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`${basename(path)}: not readable JSON (${(e as Error).message})`);
  }
}

async function readZones(path: string, opts: TextInputOptions): Promise<ExclusionZone[]> {
  const json: any = await readJson(path, opts);
  const features: any[] = json?.type === 'FeatureCollection' ? json.features : json?.type === 'Feature' ? [json] : [];
  if (!features.length) throw new BadInputError(`${basename(path)}: expected a FeatureCollection of exclusion polygons`);
  return features.map((f, i) => ({
    name: String(f.properties?.name ?? f.properties?.NAME ?? f.id ?? `zone ${i + 1}`),
    geometry: areaFromGeoJson(f, basename(path)),
  }));
}
