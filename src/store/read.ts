import type { Project } from './project';
import { type Layer, rowToDeposit, rowToFeature, rowToSurvey, type RecordFeature } from './columns';
import type { Deposit } from '../model/deposit';
import type { Survey } from '../model/survey';
import { OutcropError } from '../errors';
import { type CommodityCode, commodityGroupMembers } from '../model/vocab/commodities';

/** [west, south, east, north] in degrees; west > east means the box crosses the antimeridian. */
export type BBox = [number, number, number, number];

/** Attribute filters shared by export, queries and the feature table. All optional, ANDed. */
export interface FeatureFilter {
  bbox?: BBox;
  /**
   * Deposits having any of these commodity codes (main, secondary or trace). A group code also
   * matches its members: REE matches Nd, Dy, La …; PGE matches Pt, Pd …
   */
  commodity?: string[];
  /** Only count main commodities for `commodity`. */
  mainCommodityOnly?: boolean;
  status?: string[];
  depositType?: string[];
  country?: string[];
  /** Recording agency (provenance), deposits and surveys alike. */
  agency?: string[];
  /**
   * Field team (provenance): surveys whose team is one of these, and deposits recorded in such a
   * survey (deposits.survey_id). A deposit in no survey has no team, so it is left out.
   */
  team?: string[];
  /** Deposits recorded in this survey (deposits.survey_id). */
  surveyId?: string;
  ids?: string[];
}

/**
 * The part of a filter that applies to a layer: surveys have no commodity, status, type or
 * survey membership, so those keys are dropped for them (filterSql refuses them on surveys).
 */
export function filterForLayer(layer: Layer, f: FeatureFilter): FeatureFilter {
  if (layer === 'deposits') return f;
  const { commodity, mainCommodityOnly, status, depositType, surveyId, ...rest } = f;
  void commodity, mainCommodityOnly, status, depositType, surveyId;
  return rest;
}

/** Grow a box so float32 rounding in the R*Tree can never drop a feature on its edge. */
export function expandForFloat32(b: BBox): BBox {
  const pad = (v: number) => Math.abs(v) * 2 ** -22 + 1e-9;
  return [b[0] - pad(b[0]), b[1] - pad(b[1]), b[2] + pad(b[2]), b[3] + pad(b[3])];
}

/** Split a box that crosses the antimeridian into boxes that do not. */
export function splitBBox(b: BBox): BBox[] {
  if (b[0] <= b[2]) {
    // −180 and 180 are one meridian: a box that ends on one side takes a point stored on the other.
    if (b[0] === -180 && b[2] !== 180) return [b, [180, b[1], 180, b[3]]];
    if (b[2] === 180 && b[0] !== -180) return [b, [-180, b[1], -180, b[3]]];
    return [b];
  }
  return [
    [b[0], b[1], 180, b[3]],
    [-180, b[1], b[2], b[3]],
  ];
}

/** Boxes up to which an R*Tree prefilter is one OR of box tests; above, a join with their JSON list. */
const MAX_OR_BOXES = 64;

interface Sql {
  where: string[];
  params: unknown[];
}

/** SQL WHERE clauses for a filter (R*Tree prefilter for bbox; exact checks are the caller's). */
export function filterSql(layer: Layer, f: FeatureFilter, boxes?: BBox[]): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  // The query's own boxes (OR) and the filter's bbox (OR of its antimeridian parts) are ANDed.
  for (const set of [boxes, f.bbox ? splitBBox(f.bbox) : undefined]) {
    if (!set?.length) continue;
    if (set.length > MAX_OR_BOXES) {
      // An area of many parts (a survey of 600 cells, a county's islands): one OR per part would
      // pass SQLite's expression depth limit (1000), so the boxes come as one JSON list, joined.
      // CROSS JOIN keeps the list outside: each box is one R*Tree search (the planner's own
      // order scanned the whole tree once per box).
      params.push(JSON.stringify(set.map(expandForFloat32)));
      where.push(
        `fid IN (SELECT r.id FROM json_each(?) b CROSS JOIN rtree_${layer}_geom r
                 WHERE r.maxx >= b.value ->> 0 AND r.minx <= b.value ->> 2 AND r.maxy >= b.value ->> 1 AND r.miny <= b.value ->> 3)`,
      );
      continue;
    }
    const parts = set.map((b) => {
      const e = expandForFloat32(b);
      params.push(e[0], e[2], e[1], e[3]);
      return `(maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)`;
    });
    where.push(`fid IN (SELECT id FROM rtree_${layer}_geom WHERE ${parts.join(' OR ')})`);
  }
  const inList = (col: string, vals: string[]) => {
    where.push(`${col} IN (${vals.map(() => '?').join(', ')})`);
    params.push(...vals);
  };
  if (f.ids?.length) inList('id', f.ids);
  if (layer === 'deposits') {
    if (f.commodity?.length) {
      const cols = f.mainCommodityOnly ? ['commodities_main'] : ['commodities_main', 'commodities_secondary', 'commodities_trace'];
      const ors: string[] = [];
      const codes = new Set(f.commodity.flatMap((c) => [c, ...commodityGroupMembers(c as CommodityCode)]));
      for (const code of codes) {
        for (const c of cols) {
          ors.push(`instr(';' || coalesce(${c}, '') || ';', ?) > 0`);
          params.push(`;${code};`);
        }
      }
      where.push(`(${ors.join(' OR ')})`);
    }
    if (f.status?.length) inList('status', f.status);
    if (f.depositType?.length) inList('deposit_type', f.depositType);
    if (f.surveyId) {
      where.push('survey_id = ?');
      params.push(f.surveyId);
    }
  } else if (f.commodity?.length || f.status?.length || f.depositType?.length || f.surveyId) {
    throw new OutcropError('USAGE', 'commodity, status, type and survey filters apply to deposits only');
  }
  if (f.country?.length) inList('country', f.country);
  if (f.agency?.length) inList('agency', f.agency);
  if (f.team?.length) {
    // Deposits take their team from their survey; the index deposits_survey serves the IN.
    const marks = f.team.map(() => '?').join(', ');
    where.push(layer === 'deposits' ? `survey_id IN (SELECT id FROM surveys WHERE team IN (${marks}))` : `team IN (${marks})`);
    params.push(...f.team);
  }
  return { where, params };
}

/** Iterate raw rows of a layer matching a filter, in fid order (streaming, bounded memory). */
export function* iterateRows(project: Project, layer: Layer, f: FeatureFilter = {}, boxes?: BBox[]): Generator<Record<string, any>> {
  const { where, params } = filterSql(layer, f, boxes);
  const sql = `SELECT * FROM ${layer}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY fid`;
  yield* project.db.prepare(sql).iterate(...params) as IterableIterator<Record<string, any>>;
}

/**
 * fid and geometry blob of the rows matching a filter, unordered: the cheap first phase of a
 * spatial query (the exact test runs on the geometry, full rows are loaded only for matches).
 */
export function* iterateGeometries(project: Project, layer: Layer, f: FeatureFilter = {}, boxes?: BBox[]): Generator<[fid: number, id: string, geom: Buffer]> {
  const { where, params } = filterSql(layer, f, boxes);
  const sql = `SELECT fid, id, geom FROM ${layer}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
  yield* project.db.prepare(sql).raw().iterate(...params) as IterableIterator<[number, string, Buffer]>;
}

/** Full rows by fid (second phase of a spatial query). */
export function rowByFid(project: Project, layer: Layer, fid: number): Record<string, any> | undefined {
  return project.db.prepare(`SELECT * FROM ${layer} WHERE fid = ?`).get(fid) as Record<string, any> | undefined;
}

export function countRows(project: Project, layer: Layer, f: FeatureFilter = {}): number {
  const { where, params } = filterSql(layer, f);
  const sql = `SELECT count(*) AS n FROM ${layer}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
  return (project.db.prepare(sql).get(...params) as { n: number }).n;
}

export function getDeposit(project: Project, id: string): Deposit | undefined {
  const row = project.db.prepare('SELECT * FROM deposits WHERE id = ?').get(id);
  return row ? rowToDeposit(row as Record<string, unknown>) : undefined;
}

export function getSurvey(project: Project, id: string): Survey | undefined {
  const row = project.db.prepare('SELECT * FROM surveys WHERE id = ?').get(id);
  return row ? rowToSurvey(row as Record<string, unknown>) : undefined;
}

export function getFeature(project: Project, layer: Layer, id: string, opts: { flattenExtra?: boolean } = {}): RecordFeature | undefined {
  const row = project.db.prepare(`SELECT * FROM ${layer} WHERE id = ?`).get(id);
  return row ? rowToFeature(layer, row as Record<string, unknown>, opts) : undefined;
}
