import type { Position } from 'geojson';
import { area as turfArea, bbox as turfBbox, booleanPointInPolygon, circle } from '@turf/turf';
import { codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import { validateGeometry } from '../geometry/validate';
import type { ResourceEstimate } from '../model/deposit';
import { type Area, depositsWithin } from '../spatial/within-area';
import { EARTH_RADIUS_KM } from '../spatial/distance';
import { intersectAreas, surveyCoverage, unionAreas } from '../spatial/coverage';
import type { RecordFeature } from '../store/columns';
import type { Project } from '../store/project';
import type { Site, SiteGeometry } from '../store/sites';
import type { TaskOptions } from '../task';
import {
  coverageCriterion,
  type CriterionValue,
  depositCriteria,
  priorityFn,
  exclusionCriterion,
  infrastructureCriterion,
  type NearbyDeposit,
  permittingCriterion,
} from './criteria';
import { type DepositIndex, depositIndex } from './deposit-index';
import { type DepositGroup, depositRaws, groupDeposits, weightValue } from './deposit-groups';
import { type InfrastructureLayer, type NearestFn, prepareInfrastructure } from './infrastructure';
import type { PermitStage } from './roles';
import { scoreSites, type SiteScore } from './scoring';
import { type CommoditySensitivity, commoditySensitivity, type Sensitivity, weightSensitivity } from './sensitivity';
import { defaultWeights, type Weights } from './weights';

/** A stored site as a site to compare; one without a location (cleared in another program) cannot be. */
export function candidateOf(s: Site): CandidateSite {
  if (!s.geometry) throw codedError('VALIDATION', coded('site.noLocation', { name: s.name, id: s.id }));
  return { id: s.id, name: s.name, geometry: s.geometry, roles: s.roles, targetCommodities: s.targetCommodities, permitStage: s.permitStage };
}

/** A site to compare: stored (src/store/sites.ts) or read from a file. */
export interface CandidateSite {
  id: string;
  name: string;
  geometry: SiteGeometry;
  roles?: string[];
  targetCommodities?: string[];
  permitStage?: PermitStage | null;
}

export interface ExclusionZone {
  name: string;
  geometry: Area;
  /** The stored reference layer (or file) the zone comes from. */
  layer?: string;
}

export interface CompareOptions extends TaskOptions {
  /** Radius around point sites (and the buffer for coverage), km. Default 50. */
  radiusKm?: number;
  weights?: Weights;
  infrastructure?: InfrastructureLayer;
  exclusions?: ExclusionZone[];
  /** What the exclusion zones are, for the report: stored layer names or a file name. */
  exclusionsLabel?: string;
}

/** What a site's map and explanation need besides its scores. */
export interface SiteContext {
  site: CandidateSite;
  /** The area assessed: the polygon site itself, or the R-km circle around a point site. */
  assessedArea: Area;
  /** The surveyed part of the assessed area. */
  coveredArea: Area | null;
  /** Deposits counted for the site (within R km / inside), nearest first. */
  deposits: readonly NearbyDeposit[];
  /** Each deposit's priority under the comparison's weights and the site's targets (its highest commodity weight), in the same order. */
  priorities: number[];
  exclusionZones: ExclusionZone[];
}

export interface Comparison {
  radiusKm: number;
  weights: Weights;
  infrastructureLabel: string | null;
  /** The exclusion layers used (names or file), null when none were given. */
  exclusionsLabel: string | null;
  /** In the input order. */
  scores: SiteScore[];
  contexts: SiteContext[];
  sensitivity: Sensitivity;
  /** The same, moving each priority-commodity weight ±20 %. */
  commoditySensitivity: CommoditySensitivity;
}

/**
 * Compare candidate sites on data in the project: priority-commodity deposits nearby (count,
 * best status, tonnage), distance to infrastructure, survey coverage, exclusion zones and
 * permit stage. Every criterion keeps its raw value, normalised value, weight, contribution and
 * an explanation; ranks come with a ±20 % weight sensitivity. Coordinates [lng, lat], WGS 84.
 */
export function compareSites(project: Project, sites: CandidateSite[], opts: CompareOptions = {}): Comparison {
  const radiusKm = opts.radiusKm ?? 50;
  if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > 2000) throw codedError('USAGE', coded('compare.badRadius', { radius: radiusKm }));
  if (!sites.length) throw codedError('USAGE', coded('compare.noSites'));
  const weights = opts.weights ?? defaultWeights();
  const contexts: SiteContext[] = [];
  const nearest = opts.infrastructure ? prepareInfrastructure(project, opts.infrastructure) : null;
  const index = sites.some((s) => s.geometry.type === 'Point') ? depositIndex(project) : null;
  const inputs = sites.map((site, i) => {
    opts.signal?.throwIfAborted();
    const ctx = assessSite(project, site, radiusKm, weights, opts, nearest, index);
    contexts.push(ctx.context);
    opts.onProgress?.({ phase: 'assess', done: i + 1, total: sites.length });
    return { id: site.id, name: site.name, criteria: ctx.criteria, excluded: ctx.excluded };
  });
  const scores = scoreSites(inputs, weights.criteria);
  // Commodity weights: the deposit criteria's raw values again, from each site's deposits grouped by
  // commodity list (deposit-groups.ts: tens of groups instead of thousands of deposits); the other criteria stay.
  const dependsOnCommodities = weights.criteria.deposits > 0 || weights.criteria.resources > 0 || weights.criteria.development > 0;
  const groups = dependsOnCommodities ? contexts.map((ctx) => groupDeposits(ctx.deposits, weights, ctx.site.targetCommodities ?? [])) : [];
  // A site is scored again only when a weight its deposits depend on moved (most commodities are near few sites).
  const siteKeys = groups.map((site) => new Set(site.flatMap((g) => [...g.keys, ...g.namedMt.keys()])));
  const moved = (w: Weights) => [...Object.keys(w.commodities).filter((k) => w.commodities[k] !== weights.commodities[k]), ...(w.otherCritical !== weights.otherCritical ? ['otherCritical'] : [])];
  const rescore = (w: Weights) => {
    const changed = moved(w);
    return scoreSites(
      inputs.map((s, i) => {
        if (!changed.some((k) => siteKeys[i].has(k))) return s;
        const raw = depositRaws(groups[i], w);
        const criteria = s.criteria.map((c): CriterionValue =>
          c.key in raw ? { key: c.key, raw: raw[c.key as keyof typeof raw], unit: c.unit, higherIsBetter: c.higherIsBetter, applicable: c.applicable, explanation: c.explanation } : c,
        );
        return { id: s.id, name: s.name, criteria, excluded: s.excluded };
      }),
      weights.criteria,
    ).map((x) => x.rank);
  };
  opts.signal?.throwIfAborted();
  return {
    radiusKm,
    weights,
    infrastructureLabel: opts.infrastructure?.label ?? null,
    exclusionsLabel: opts.exclusions ? (opts.exclusionsLabel ?? ([...new Set(opts.exclusions.map((z) => z.layer).filter(Boolean))].join(', ') || 'exclusion zones')) : null,
    scores,
    contexts,
    sensitivity: weightSensitivity(scores, weights.criteria),
    commoditySensitivity: commoditySensitivity(
      scores.map((s) => s.rank),
      weights,
      commodityKeys(groups, weights),
      rescore,
    ),
  };
}

function whereOf(site: CandidateSite, radiusKm: number): string {
  return site.geometry.type === 'Point' ? `within ${radiusKm} km` : 'inside the site';
}

/**
 * The commodity weights (codes or "otherCritical") that decide the priority of some counted
 * deposit or estimate, in the weights' order: every weight of a counted group's commodities (those
 * matching the site's targets) and of its estimates' commodities.
 */
function commodityKeys(groups: DepositGroup[][], w: Weights): string[] {
  const keys = new Set<string>();
  for (const site of groups) {
    for (const g of site) {
      if (!g.keys.some((k) => weightValue(w, k) > 0)) continue;
      for (const k of g.keys) keys.add(k);
      for (const k of g.namedMt.keys()) keys.add(k);
    }
  }
  const order = [...Object.keys(w.commodities), 'otherCritical'];
  return order.filter((k) => keys.has(k) && weightValue(w, k) > 0);
}

function assessSite(project: Project, site: CandidateSite, radiusKm: number, weights: Weights, opts: CompareOptions, nearestFn: NearestFn | null, index: DepositIndex | null) {
  const g = site.geometry;
  const isPoint = g.type === 'Point';
  const assessedArea: Area = isPoint ? circleArea(g.coordinates, radiusKm) : g;
  const targets = site.targetCommodities ?? [];
  const priorityOf = priorityFn(weights, targets);
  const deposits = isPoint ? index!.near(g.coordinates, radiusKm) : depositsWithin(project, g).map((f) => toNearby(f, 0));
  const priorities = new Array<number>(deposits.length);
  for (let i = 0; i < deposits.length; i++) priorities[i] = priorityOf(deposits[i]);
  const where = whereOf(site, radiusKm);
  const criteria = depositCriteria(deposits, weights, where, targets, priorities);

  // A polygon site: measured from its outline (0 when the feature touches or crosses it).
  const nearest = nearestFn ? nearestFn(isPoint ? g.coordinates : g) : null;
  criteria.push(infrastructureCriterion(nearest, opts.infrastructure?.label ?? null, isPoint ? null : 'the site'));

  const cov = surveyCoverage(project, { aoi: assessedArea, signal: opts.signal });
  criteria.push(coverageCriterion((cov.coveredPct ?? 0) / 100, isPoint ? `the ${radiusKm} km circle around the site` : 'the site'));

  let overlap: { fraction: number; zones: string[] } | null = null;
  const hitZones: ExclusionZone[] = [];
  if (opts.exclusions) {
    if (isPoint) {
      for (const z of opts.exclusions) if (boxMeets(zoneBox(z), [g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]]) && booleanPointInPolygon(g.coordinates, z.geometry)) hitZones.push(z);
      overlap = { fraction: hitZones.length ? 1 : 0, zones: hitZones.map((z) => z.name) };
    } else {
      const box = turfBbox(g) as [number, number, number, number];
      const parts = opts.exclusions
        .filter((z) => boxMeets(zoneBox(z), box))
        .map((z) => ({ z, inter: intersectAreas(g, z.geometry) }))
        .filter((x) => x.inter);
      hitZones.push(...parts.map((p) => p.z));
      const u = unionAreas(parts.map((p) => p.inter!));
      overlap = { fraction: u ? Math.min(1, turfArea(u) / turfArea(g)) : 0, zones: hitZones.map((z) => z.name) };
    }
  }
  const ex = exclusionCriterion(overlap, weights.exclusionMode);
  const { excludes, ...exCriterion } = ex;
  criteria.push(exCriterion);
  criteria.push(permittingCriterion(site.permitStage ?? null));
  return { criteria, excluded: excludes, context: { site, assessedArea, coveredArea: cov.union, deposits, priorities, exclusionZones: hitZones } };
}

/** Each zone's [w, s, e, n], computed once (a stored layer can hold thousands of zones; most are far from every site). */
const zoneBoxes = new WeakMap<ExclusionZone, [number, number, number, number]>();
function zoneBox(z: ExclusionZone): [number, number, number, number] {
  let b = zoneBoxes.get(z);
  if (!b) zoneBoxes.set(z, (b = turfBbox(z.geometry) as [number, number, number, number]));
  return b;
}
/** Stored areas are split at ±180, so plain box overlap is exact enough for a prefilter. */
function boxMeets(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Geodesic circle of `km` around a point (64 vertices), split at ±180 like stored areas. */
export function circleArea(center: Position, km: number): Area {
  const c = circle(center, km, { steps: 64, units: 'kilometers' }).geometry;
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  // Over a pole the circle is clamped to a polar cap (all longitudes, from its far edge to ±90).
  if (center[1] + dLat >= 90 || center[1] - dLat <= -90) {
    const north = center[1] + dLat >= 90;
    const edge = north ? Math.max(-90, center[1] - dLat) : Math.min(90, center[1] + dLat);
    const [s, n] = north ? [edge, 90] : [-90, edge];
    return { type: 'Polygon', coordinates: [[[-180, s], [180, s], [180, n], [-180, n], [-180, s]]] };
  }
  // turf.circle runs past ±180 near the antimeridian; wrap, and validateGeometry splits the ring there.
  c.coordinates[0] = c.coordinates[0].map((p) => [p[0] > 180 ? p[0] - 360 : p[0] < -180 ? p[0] + 360 : p[0], p[1]]);
  const r = validateGeometry(c, { file: 'site circle' });
  if (!r.geometry) throw new OutcropError('INTERNAL', `cannot build a ${km} km circle around [${center.join(', ')}]: ${r.problems[0]?.message}`);
  return r.geometry as Area;
}

function toNearby(f: RecordFeature, distanceKm: number): NearbyDeposit {
  const p = f.properties;
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]) : []);
  return {
    id: f.id,
    name: String(p.name ?? ''),
    coordinates: (f.geometry as GeoJSON.Point).coordinates as [number, number],
    distanceKm,
    commodities: [...list('commodities_main'), ...list('commodities_secondary'), ...list('commodities_trace')],
    status: (p.status as string | null) ?? null,
    resources: (p.resources as ResourceEstimate[]) ?? [],
  };
}

export type { SiteScore };
