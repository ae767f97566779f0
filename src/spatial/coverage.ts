import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { area as turfArea, difference, featureCollection, intersect, union } from '@turf/turf';
import type { TaskOptions } from '../task';
import type { Project } from '../store/project';
import { rowToSurvey } from '../store/columns';
import { iterateRows } from '../store/read';
import type { Survey } from '../model/survey';
import type { Area } from './within-area';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { isoDateRange } from '../model/validate-record';
import { partBoxes } from './bbox';

/** Survey attributes a coverage question can be narrowed by. All optional, ANDed. */
export interface CoverageFilter {
  agency?: string[];
  country?: string[];
  /** Survey method codes (a survey matches when it used any of them). */
  method?: string[];
  /** ISO date: only surveys still running on or after this date. */
  from?: string;
  /** ISO date: only surveys started on or before this date. */
  to?: string;
}

export type CoverageGroupBy = 'agency' | 'country' | 'method';

export interface CoverageOptions extends TaskOptions {
  /** Area of interest, validated and antimeridian-split. Without it, coverage is of the whole union. */
  aoi?: Area;
  filter?: CoverageFilter;
  by?: CoverageGroupBy;
}

export interface CoverageGroup {
  key: string;
  surveyCount: number;
  /** Union of the group's surveys (clipped to the AOI when one is given). */
  union: Area | null;
  areaKm2: number;
}

export interface CoverageOverlap {
  a: string;
  b: string;
  geometry: Area;
  areaKm2: number;
}

export interface CoverageResult {
  /** Surveys that match the filter and overlap the AOI. */
  surveyCount: number;
  /** Union of the matching surveys, clipped to the AOI when one is given. */
  union: Area | null;
  /** Area of `union` in km². */
  coveredKm2: number;
  /** AOI area in km² (null without an AOI). */
  aoiKm2: number | null;
  /** coveredKm2 / aoiKm2 × 100 (null without an AOI). */
  coveredPct: number | null;
  /** AOI minus the union: the places nobody has surveyed (null without an AOI; null also when fully covered). */
  gaps: Area | null;
  gapsKm2: number | null;
  groups: CoverageGroup[];
  /** Pairwise intersections of the group unions (only with `by`), largest first. */
  overlaps: CoverageOverlap[];
}

/**
 * Geodesic area of a polygon in km². turf.area is spherical (the WGS84 mean radius
 * 6 371 008.8 m, Chamberlain & Duquette 2007), typically within ~0.5 % of the ellipsoidal area;
 * good enough to compare coverage, not for cadastral work.
 */
export function areaKm2(g: Area | null): number {
  return g ? turfArea(g) / 1e6 : 0;
}

const UNION_BATCH = 64;

/**
 * Union of many polygons by divide and conquer: the areas are put in Z-order (Morton key of
 * their bounding-box centre) so neighbours land in the same batch and their shared edges vanish
 * early; batches of 64 are merged in one polyclip sweep each, then the batch results again.
 * Each vertex goes through about log64(n) sweeps instead of the n sweeps of folding one polygon
 * at a time into a growing union (O(n²)); measured in scripts/bench-analysis.ts. Batches also
 * give cancellation and progress points. Geometries are planar in lon/lat and must already be
 * split at ±180 (as stored), so a union never wraps; latitudes are clamped to ±90.
 */
export function unionAreas(areas: Area[], opts: TaskOptions = {}): Area | null {
  return drain(unionSteps(areas, opts));
}

/** unionAreas as steps: yields after each batch (see surveyCoverageAsync). */
export function* unionSteps(areas: Area[], opts: TaskOptions = {}): Generator<void, Area | null> {
  let level: Area[] = zOrder(areas.filter((a) => a.coordinates.length > 0).map(clampPoles));
  const total = level.length;
  let done = 0;
  while (level.length > 1) {
    const next: Area[] = [];
    for (let i = 0; i < level.length; i += UNION_BATCH) {
      opts.signal?.throwIfAborted();
      const batch = level.slice(i, i + UNION_BATCH);
      if (batch.length === 1) next.push(batch[0]);
      else {
        const u = union(featureCollection(batch.map(asFeature)));
        if (u) next.push(u.geometry);
      }
      done += batch.length;
      opts.onProgress?.({ phase: 'union', done: Math.min(done, total), total });
      yield;
    }
    level = next;
    done = 0;
  }
  return level[0] ?? null;
}

/** a ∩ b, or null when they do not overlap. */
export function intersectAreas(a: Area | null, b: Area | null): Area | null {
  if (!a || !b || !bboxesTouch(a, b)) return null;
  const r = intersect(featureCollection([asFeature(a), asFeature(b)]));
  return r ? r.geometry : null;
}

/** a − b, or null when nothing is left. */
export function subtractAreas(a: Area, b: Area | null): Area | null {
  if (!b || !bboxesTouch(a, b)) return a;
  const r = difference(featureCollection([asFeature(a), asFeature(b)]));
  return r ? r.geometry : null;
}

/**
 * How much of an area of interest the stored surveys cover: their union (polyclip), its
 * geodesic area, the AOI area, covered km² and %, the gaps (AOI minus union) and, with `by`,
 * the union per agency/country/method and the pairwise overlaps between those groups
 * (e.g. USGS ∩ GSJ). Coordinates are [lng, lat], WGS 84.
 */
export function surveyCoverage(project: Project, opts: CoverageOptions = {}): CoverageResult {
  return drain(coverageSteps(project, opts));
}

/**
 * surveyCoverage that gives the event loop a turn after every union batch, so a host stays
 * responsive, progress reaches the UI while it runs and a cancel (AbortSignal) lands mid-way.
 * Same steps, same result.
 */
export async function surveyCoverageAsync(project: Project, opts: CoverageOptions = {}): Promise<CoverageResult> {
  const steps = coverageSteps(project, opts);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function drain<T>(steps: Generator<void, T>): T {
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** The coverage computation as steps. Never yields while a SQLite statement is being iterated (the connection would be busy). */
function* coverageSteps(project: Project, opts: CoverageOptions): Generator<void, CoverageResult> {
  const aoi = opts.aoi ? yield* dissolveSteps(clampPoles(opts.aoi), opts) : undefined;
  const surveys: Survey[] = [];
  const boxes = aoi ? partBoxes(aoi) : undefined;
  let n = 0;
  for (const row of iterateRows(project, 'surveys', opts.filter?.country?.length ? { country: opts.filter.country } : {}, boxes)) {
    if ((++n & 255) === 0) opts.signal?.throwIfAborted();
    const s = rowToSurvey(row);
    if (!matchesFilter(s, opts.filter)) continue;
    // Clip each survey to the AOI first: surveys that only share a bounding box drop out (and are
    // not counted), and the union works on the small clipped pieces only.
    const g = aoi ? intersectAreas(s.geometry, aoi) : s.geometry;
    if (g) surveys.push({ ...s, geometry: g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g });
  }
  opts.onProgress?.({ phase: 'read', done: surveys.length, total: surveys.length, unit: 'features' });
  yield;
  const union = yield* unionSteps(surveys.map((s) => s.geometry), opts);
  const coveredKm2 = areaKm2(union);
  const aoiKm2 = aoi ? areaKm2(aoi) : null;
  const gaps = aoi ? subtractAreas(aoi, union) : null;

  const groups: CoverageGroup[] = [];
  const overlaps: CoverageOverlap[] = [];
  if (opts.by) {
    const byKey = new Map<string, Survey[]>();
    for (const s of surveys) {
      for (const key of groupKeys(s, opts.by)) {
        const list = byKey.get(key) ?? [];
        list.push(s);
        byKey.set(key, list);
      }
    }
    for (const [key, list] of [...byKey].sort((x, y) => x[0].localeCompare(y[0]))) {
      opts.signal?.throwIfAborted();
      const u = yield* unionSteps(list.map((s) => s.geometry), { signal: opts.signal });
      groups.push({ key, surveyCount: list.length, union: u, areaKm2: areaKm2(u) });
    }
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        opts.signal?.throwIfAborted();
        const g = intersectAreas(groups[i].union, groups[j].union);
        const km2 = areaKm2(g);
        if (g && km2 > 0) overlaps.push({ a: groups[i].key, b: groups[j].key, geometry: g, areaKm2: km2 });
        yield;
      }
    }
    overlaps.sort((x, y) => y.areaKm2 - x.areaKm2);
  }
  return {
    surveyCount: surveys.length,
    union,
    coveredKm2,
    aoiKm2,
    coveredPct: aoiKm2 ? (coveredKm2 / aoiKm2) * 100 : aoiKm2 === 0 ? 0 : null,
    gaps,
    gapsKm2: aoi ? areaKm2(gaps) : null,
    groups,
    overlaps,
  };
}

/**
 * An area whose parts may overlap (an AOI file of several polygons, e.g. Earth MRI project 1034
 * lying inside 20033) as one whose parts do not, so its km² counts each place once. Only parts
 * whose bounding boxes overlap (with some area) can overlap: those are grouped (sweep by west
 * edge, union-find) and each group unioned; a part alone keeps its coordinates, so a valid area
 * (a stored survey, a drawn polygon) often costs no polyclip sweep. Parts split at
 * ±180 lie at opposite ends of the planar frame, so they stay apart.
 */
export function* dissolveSteps(area: Area, opts: TaskOptions = {}): Generator<void, Area> {
  if (area.type === 'Polygon' || area.coordinates.length < 2) return area;
  const parts = area.coordinates;
  const boxes = partBoxes(area);
  const root = parts.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a][0] - boxes[b][0]);
  let active: number[] = [];
  for (const i of order) {
    const b = boxes[i];
    active = active.filter((j) => boxes[j][2] > b[0]);
    for (const j of active) if (boxes[j][1] < b[3] && b[1] < boxes[j][3]) root[find(i)] = find(j);
    active.push(i);
  }
  const groups = new Map<number, Polygon['coordinates'][]>();
  parts.forEach((p, i) => {
    const g = groups.get(find(i));
    if (g) g.push(p);
    else groups.set(find(i), [p]);
  });
  if (groups.size === parts.length) return area;
  const out: Polygon['coordinates'][] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.push(g[0]);
      continue;
    }
    const u = yield* unionSteps(g.map((coordinates): Area => ({ type: 'Polygon', coordinates })), opts);
    if (u) out.push(...(u.type === 'Polygon' ? [u.coordinates] : u.coordinates));
  }
  return out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
}

/** Areas sorted by the Morton (Z-order) key of their bounding-box centre. */
function zOrder(areas: Area[]): Area[] {
  if (areas.length <= UNION_BATCH) return areas;
  const key = (a: Area) => {
    const b = partBoxes(a);
    const x = Math.floor((((Math.min(...b.map((q) => q[0])) + Math.max(...b.map((q) => q[2]))) / 2 + 180) / 360) * 65535);
    const y = Math.floor((((Math.min(...b.map((q) => q[1])) + Math.max(...b.map((q) => q[3]))) / 2 + 90) / 180) * 65535);
    let k = 0;
    for (let i = 15; i >= 0; i--) k = k * 4 + (((x >> i) & 1) << 1) + ((y >> i) & 1);
    return k;
  };
  return areas.map((a) => ({ a, k: key(a) })).sort((p, q) => p.k - q.k).map((p) => p.a);
}

function matchesFilter(s: Survey, f: CoverageFilter | undefined): boolean {
  if (!f) return true;
  if (f.agency?.length && !f.agency.some((a) => a.toLowerCase() === (s.agency ?? '').toLowerCase())) return false;
  if (f.method?.length && !s.methods.some((m) => f.method!.includes(m))) return false;
  // ISO dates of different precision compare correctly as strings on their common prefix.
  if (f.from && s.endDate && s.endDate < f.from.slice(0, s.endDate.length)) return false;
  if (f.to && s.startDate && s.startDate.slice(0, f.to.length) > f.to) return false;
  return true;
}

function groupKeys(s: Survey, by: CoverageGroupBy): string[] {
  if (by === 'method') return s.methods.length ? s.methods : ['(no method)'];
  const v = by === 'agency' ? s.agency : s.country;
  return [v && v.trim() ? v : `(no ${by})`];
}

function asFeature(g: Area): Feature<Polygon | MultiPolygon> {
  return { type: 'Feature', geometry: g, properties: {} };
}

function bboxesTouch(a: Area, b: Area): boolean {
  const ba = partBoxes(a);
  const bb = partBoxes(b);
  return ba.some((x) => bb.some((y) => x[0] <= y[2] && x[2] >= y[0] && x[1] <= y[3] && x[3] >= y[1]));
}

/** Clamp latitudes to ±90 (a polar cap drawn a hair past the pole would break the sweep). */
function clampPoles(g: Area): Area {
  let needs = false;
  const visit = (r: Position[]) => r.some((p) => p[1] > 90 || p[1] < -90);
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  needs = rings.some(visit);
  if (!needs) return g;
  const fix = (r: Position[]) => r.map((p) => [p[0], Math.max(-90, Math.min(90, p[1]))]);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(fix) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(fix)) };
}

/**
 * Check a coverage period: each end a real date YYYY[-MM[-DD]] (not 2026-13 or 2026-02-30), and
 * `from` not after `to` (compared on their common precision: 2024 … 2024-06 is fine).
 */
export function checkCoverageDates(from?: string, to?: string): void {
  for (const date of [from, to]) if (date !== undefined && !isoDateRange(date)) throw codedError('VALIDATION', coded('coverage.badDate', { date: JSON.stringify(date) }));
  if (from && to && from.slice(0, to.length) > to.slice(0, from.length)) throw codedError('VALIDATION', coded('coverage.datesReversed', { from, to }));
}
