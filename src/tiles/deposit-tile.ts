import type { GeoJSONVTFeaturePoint } from '@maplibre/geojson-vt';
import { decodePoint } from '../store/gpkg/geometry-blob';
import { type FeatureFilter, filterSql } from '../store/read';
import type { Project } from '../store/project';
import { pointInBBox } from '../spatial/bbox';
import { latToWorldY, lngToWorldX, tileQueryBoxes } from './tile-math';

export interface DepositTileOptions {
  extent: number;
  /** Tile units around the tile whose points are included too. */
  buffer: number;
  /** Most point features one tile may hold; past it the tile is grid-thinned. */
  maxPoints: number;
}

interface Candidate {
  fid: number;
  /** Tile units, unrounded. */
  px: number;
  py: number;
  tags: Record<string, string | number | null>;
}

type DepositRow = [number, Buffer | null, string, string, string | null, string | null, string | null, string | null];

/**
 * Every deposit in tile z/x/y plus `buffer` units around it, as MVT point features with
 * id (fid), and properties id, name, commodity (first main code), commodities (the ';' list),
 * status, deposit_type, country. Null properties are left out.
 *
 * When more than `maxPoints` deposits fall in the tile, it is thinned on a square grid aligned
 * to the whole world at this zoom (so neighbouring tiles thin their shared buffer alike): the
 * smallest power-of-two cell, from 4 tile units (½ px on a 512 px tile) up, that leaves at most
 * `maxPoints` occupied cells. Each cell keeps its lowest-fid deposit at its true position and
 * tells how many it stands for in `hidden` (members − 1), so Σ(1 + hidden) over the tile is the
 * real number of deposits there: nothing silently disappears.
 */
export function depositTileFeatures(
  project: Project,
  z: number,
  x: number,
  y: number,
  filter: FeatureFilter,
  opts: DepositTileOptions,
): GeoJSONVTFeaturePoint[] {
  const { extent, buffer } = opts;
  const n = 2 ** z;
  const { bbox: userBBox, ...attrFilter } = filter;
  const candidates: Candidate[] = [];
  for (const box of tileQueryBoxes(z, x, y, buffer, extent)) {
    const { where, params } = filterSql('deposits', attrFilter, [box.bbox]);
    const sql =
      `SELECT fid, geom, id, name, commodities_main, status, deposit_type, country FROM deposits WHERE ${where.join(' AND ')}`;
    for (const r of project.db.prepare(sql).raw().iterate(...params) as IterableIterator<DepositRow>) {
      if (!r[1]) continue;
      const p = decodePoint(r[1]);
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
      if (userBBox && !pointInBBox(p, userBBox)) continue;
      const px = ((lngToWorldX(p[0]) + box.shiftX) * n - x) * extent;
      const py = (latToWorldY(p[1]) * n - y) * extent;
      // The R*Tree box is padded for float32; this is the exact cut.
      if (px < -buffer || px > extent + buffer || py < -buffer || py > extent + buffer) continue;
      const main = r[4];
      candidates.push({
        fid: r[0],
        px,
        py,
        tags: {
          id: r[2],
          name: r[3],
          commodity: main ? main.split(';', 1)[0] : null,
          commodities: main,
          status: r[5],
          deposit_type: r[6],
          country: r[7],
        },
      });
    }
  }
  const kept = candidates.length > opts.maxPoints ? thin(candidates, opts.maxPoints, extent) : candidates;
  return kept.map((c) => ({
    id: c.fid,
    type: 1,
    geometry: [[Math.round(c.px), Math.round(c.py)]],
    tags: c.tags,
  }));
}

function thin(points: Candidate[], maxPoints: number, extent: number): Candidate[] {
  // Cells are powers of two that divide the extent, so cells in tile units line up with the
  // same world-aligned grid in every tile of this zoom (buffers included).
  for (let cell = 4; ; cell *= 2) {
    const cells = new Map<string, { rep: Candidate; members: number }>();
    for (const p of points) {
      const key = `${Math.floor(p.px / cell)},${Math.floor(p.py / cell)}`;
      const hit = cells.get(key);
      if (!hit) cells.set(key, { rep: p, members: 1 });
      else {
        hit.members++;
        if (p.fid < hit.rep.fid) hit.rep = p;
      }
    }
    // A tile and its buffer span at most a few cells of a whole tile; stop there whatever the cap.
    if (cells.size <= maxPoints || cell >= extent) {
      const out: Candidate[] = [];
      for (const { rep, members } of cells.values()) {
        out.push(members > 1 ? { ...rep, tags: { ...rep.tags, hidden: members - 1 } } : rep);
      }
      return out;
    }
  }
}
