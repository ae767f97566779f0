import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * A polygon or multipolygon prepared for many point-in-polygon tests: its edges are bucketed
 * into horizontal bands, so a test looks at the few edges crossing the point's band instead of
 * every vertex (turf.booleanPointInPolygon is O(vertices) per point). Same answer as Turf: a
 * point is inside when it is inside some part (even-odd rule over that part's outline and holes,
 * OR across parts, so where the parts of an area drawn from several polygons overlap counts as
 * inside), and points on an edge or vertex count as inside.
 * Coordinates are [lng, lat]; the area must not cross the antimeridian (store split parts).
 */
export class PreparedArea {
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly bandHeight: number;
  private readonly nBands: number;
  /** Edges as flat [x1, y1, x2, y2, part] per band, each part's edges together (parts in order). */
  private readonly bands: Float64Array[];

  constructor(area: Polygon | MultiPolygon) {
    const parts: Position[][][] = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
    const rings = parts.flat();
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    let edges = 0;
    for (const r of rings) {
      edges += r.length - 1;
      for (const p of r) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    const nBands = Math.max(1, Math.min(8192, Math.ceil(edges / 4)));
    this.nBands = nBands;
    this.bandHeight = (maxY - minY) / nBands || 1;
    const lists: number[][] = Array.from({ length: nBands }, () => []);
    parts.forEach((part, k) => {
      for (const r of part) {
        for (let i = 0; i + 1 < r.length; i++) {
          const [x1, y1] = r[i];
          const [x2, y2] = r[i + 1];
          const b0 = this.band(Math.min(y1, y2));
          const b1 = this.band(Math.max(y1, y2));
          for (let b = b0; b <= b1; b++) lists[b].push(x1, y1, x2, y2, k);
        }
      }
    });
    this.bands = lists.map((l) => Float64Array.from(l));
  }

  private band(y: number): number {
    const b = Math.floor((y - this.minY) / this.bandHeight);
    return b < 0 ? 0 : b >= this.nBands ? this.nBands - 1 : b;
  }

  /** True if [x, y] is inside or on the boundary. */
  contains(x: number, y: number): boolean {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return false;
    const e = this.bands[this.band(y)];
    // even-odd within each part; inside any part is inside the area
    let inside = false;
    let part = -1;
    for (let i = 0; i < e.length; i += 5) {
      if (e[i + 4] !== part) {
        if (inside) return true;
        part = e[i + 4];
      }
      const x1 = e[i], y1 = e[i + 1], x2 = e[i + 2], y2 = e[i + 3];
      // on the edge (collinear and within its box): boundary counts as inside
      if (
        (x - x1) * (y2 - y1) === (y - y1) * (x2 - x1) &&
        x >= Math.min(x1, x2) && x <= Math.max(x1, x2) &&
        y >= Math.min(y1, y2) && y <= Math.max(y1, y2)
      ) {
        return true;
      }
      // crossing number: half-open rule on y so vertices are counted once
      if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
    }
    return inside;
  }
}
