import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { rtreeExtent } from '../../../src/store/gpkg/rtree';
import { Project } from '../../../src/store/project';
import { readSharedJson, sharedPath } from '../../helpers/data';

describe('extent from the R*Tree root', () => {
  let dir: string;
  let p: Project;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-extent-'));
    p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 't' });
  });
  afterAll(() => {
    p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is null for an empty index', () => {
    expect(rtreeExtent(p.db, 'rtree_deposits_geom')).toBeNull();
  });

  it('equals a scan of every entry, for a one-node tree and a deep one (3,000+ world deposits)', async () => {
    const scan = () => {
      const r = p.db.prepare('SELECT min(minx) w, min(miny) s, max(maxx) e, max(maxy) n FROM rtree_deposits_geom').get() as { w: number; s: number; e: number; n: number };
      return [r.w, r.s, r.e, r.n];
    };
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    expect(rtreeExtent(p.db, 'rtree_deposits_geom')).toEqual(scan());
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    const depth = (p.db.prepare('SELECT data FROM rtree_deposits_geom_node WHERE nodeno = 1').get() as { data: Buffer }).data.readUInt16BE(0);
    expect(depth).toBeGreaterThan(0);
    expect(rtreeExtent(p.db, 'rtree_deposits_geom')).toEqual(scan());
    // And it bounds the source coordinates (float32 boxes are rounded outward).
    const pts: number[][] = [...readSharedJson('deposits', 'japan-sites.geojson').features, ...readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features].map((f: any) => f.geometry.coordinates);
    const [w, s, e, n] = rtreeExtent(p.db, 'rtree_deposits_geom')!;
    expect(w).toBeLessThanOrEqual(Math.min(...pts.map((c) => c[0])));
    expect(e).toBeGreaterThanOrEqual(Math.max(...pts.map((c) => c[0])));
    expect(s).toBeLessThanOrEqual(Math.min(...pts.map((c) => c[1])));
    expect(n).toBeGreaterThanOrEqual(Math.max(...pts.map((c) => c[1])));
  });
});
