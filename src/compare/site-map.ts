import type { Position } from 'geojson';
import type { Area } from '../spatial/within-area';
import type { SiteContext } from './compare-sites';

/**
 * A site's small map as plain data, drawn by the HTML report (as an SVG string) and by the
 * desktop app's compare panel (as React elements) from the same projection.
 *
 * Projection: local equirectangular, north up, centred on the site's assessed area. With
 * lon0 = the point site's longitude (a polygon site: its outer ring's first vertex), every
 * longitude taken relative to lon0 and wrapped into [−180, 180) (so an area across the
 * antimeridian stays in one piece), k = cos(lat0) where lat0 is the middle of the area's
 * latitudes, and the area's box in (Δlon·k, lat) enlarged by 8 % on each side into a square
 * of side `span` degrees:
 *   x = ((Δlon·k − cx) / span + 0.5) · size,   y = (0.5 − (lat − cy) / span) · size
 * (cx, cy: the middle of that box).
 */
export interface SiteMapData {
  /** Width and height of the square map, px (the SVG's viewBox is 0 0 size size). */
  size: number;
  /** In drawing order: exclusion zones, the covered area, the assessed area, then the site (drawn after the dots). */
  paths: SiteMapPath[];
  /** Counted deposits, nearest first, at most MAX_MAP_DOTS. */
  dots: SiteMapDot[];
  /** Counted deposits left off the map beyond MAX_MAP_DOTS. */
  omittedDots: number;
  /** A point site's position on the map, px (rounded to 0.1); null for a polygon site. */
  point: { x: number; y: number } | null;
}

export interface SiteMapPath {
  kind: 'exclusion' | 'covered' | 'assessed' | 'site';
  /** SVG path data, coordinates to 0.1 px; polygons as closed rings (draw with fill-rule evenodd). A point site: a 12 px cross. */
  d: string;
  /** An exclusion zone's name. */
  title?: string;
}

export interface SiteMapDot {
  /** px, rounded to 0.1. */
  x: number;
  y: number;
  /** Carries a priority commodity. */
  priority: boolean;
  name: string;
}

export const SITE_MAP_SIZE = 260;
/** The most deposits drawn on one map (the nearest ones). */
export const MAX_MAP_DOTS = 400;

/** The shapes of a site's small map (see SiteMapData for the projection). */
export function siteMapShapes(ctx: SiteContext, size = SITE_MAP_SIZE): SiteMapData {
  const ring = outerRing(ctx.assessedArea);
  const lon0 = ctx.site.geometry.type === 'Point' ? ctx.site.geometry.coordinates[0] : ring[0][0];
  const rel = (p: Position) => [wrap(p[0] - lon0), p[1]];
  const pts = allPositions(ctx.assessedArea).map(rel);
  const lats = pts.map((p) => p[1]);
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = pts.map((p) => p[0] * k);
  const pad = 0.08;
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...lats), maxY = Math.max(...lats);
  const span = Math.max(maxX - minX, maxY - minY, 1e-6) * (1 + 2 * pad);
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const proj = (p: Position): [number, number] => {
    const [x, y] = rel(p);
    return [((x * k - cx) / span + 0.5) * size, (0.5 - (y - cy) / span) * size];
  };
  const path = (a: Area) =>
    (a.type === 'Polygon' ? [a.coordinates] : a.coordinates)
      .flatMap((poly) => poly.map((r) => 'M' + r.map((p) => proj(p).map((v) => v.toFixed(1)).join(' ')).join('L') + 'Z'))
      .join('');
  const paths: SiteMapPath[] = [];
  for (const z of ctx.exclusionZones) paths.push({ kind: 'exclusion', d: path(z.geometry), title: z.name });
  if (ctx.coveredArea) paths.push({ kind: 'covered', d: path(ctx.coveredArea) });
  paths.push({ kind: 'assessed', d: path(ctx.assessedArea) });
  const dots = ctx.deposits.slice(0, MAX_MAP_DOTS).map((d, i): SiteMapDot => {
    const [x, y] = proj(d.coordinates);
    return { x: round1(x), y: round1(y), priority: ctx.priorities[i] > 0, name: d.name };
  });
  const g = ctx.site.geometry;
  let point: SiteMapData['point'] = null;
  if (g.type === 'Point') {
    const [x, y] = proj(g.coordinates);
    // Not rounded: the report's bytes stay as they were.
    paths.push({ kind: 'site', d: `M${x - 6} ${y}L${x + 6} ${y}M${x} ${y - 6}L${x} ${y + 6}` });
    point = { x: round1(x), y: round1(y) };
  } else paths.push({ kind: 'site', d: path(g) });
  return { size, paths, dots, omittedDots: Math.max(0, ctx.deposits.length - dots.length), point };
}

/** To 0.1 as `toFixed(1)` writes it (so formatting the result with toFixed(1) again gives the same text). */
const round1 = (v: number) => Number(v.toFixed(1));

function outerRing(a: Area): Position[] {
  return a.type === 'Polygon' ? a.coordinates[0] : a.coordinates[0][0];
}
function allPositions(a: Area): Position[] {
  return (a.type === 'Polygon' ? a.coordinates : a.coordinates.flat()).flat();
}
const wrap = (dLon: number) => ((((dLon + 180) % 360) + 360) % 360) - 180;
