import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { emptyDepositFields, emptySurveyFields } from '../../../src/model/defaults';
import { DEPOSIT_COLUMNS, depositRow } from '../../../src/store/columns';
import { Project } from '../../../src/store/project';
import { DataVersionTracker } from '../../../src/tiles/data-version';
import { LruCache } from '../../../src/tiles/lru-cache';
import { filterKey } from '../../../src/tiles/filter-key';
import { clearTileCache, DETAIL_ZOOM, getTile, tileCacheStats } from '../../../src/tiles';
import { decodeTile, insertSites, mercator, readMinmodSites, useTestProject } from './real-data';

// Real data: the 207 Japanese MinMod sites plus the first 5,000 of the file.
const all = readMinmodSites();
const sites = [...all.filter((s) => s.country === 'Japan'), ...all.slice(0, 5000)];
const ctx = useTestProject('tile-cache', (p) => insertSites(p, sites));

const TOKYO = [139.7671, 35.6812] as const;

function tileOf(z: number, lng: number, lat: number): [number, number] {
  const [wx, wy] = mercator(lng, lat);
  return [Math.floor(wx * 2 ** z), Math.floor(wy * 2 ** z)];
}

function ids(buf: Buffer | null): Set<string> {
  if (!buf) return new Set();
  const layer = decodeTile(buf).layers.deposits;
  return new Set(Array.from({ length: layer.length }, (_, i) => String(layer.feature(i).properties.id)));
}

function clusterTotal(z: number): number {
  let total = 0;
  for (let x = 0; x < 2 ** z; x++) {
    for (let y = 0; y < 2 ** z; y++) {
      const buf = getTile(ctx.project, 'deposits', z, x, y);
      if (!buf) continue;
      const layer = decodeTile(buf).layers.deposit_clusters;
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        const p = f.loadGeometry()[0][0];
        if (p.x >= 0 && p.x < 4096 && p.y >= 0 && p.y < 4096) total += Number(f.properties.count);
      }
    }
  }
  return total;
}

describe('tile cache invalidation', () => {
  it('an insert and a delete through project.write change the next tiles', async () => {
    const [x, y] = tileOf(DETAIL_ZOOM, ...TOKYO);
    const before = getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y);
    expect(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y)).toBe(before); // served from the cache
    expect(clusterTotal(1)).toBe(sites.length);

    const id = await ctx.project.write('edit', 'add a deposit', (w) =>
      w.insertDeposit({ ...emptyDepositFields('Tokyo test adit'), commoditiesMain: ['Au'] }, { type: 'Point', coordinates: [...TOKYO] }),
    );
    const after = ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y));
    expect(after).toEqual(new Set([...ids(before), id]));
    expect(clusterTotal(1)).toBe(sites.length + 1);

    await ctx.project.write('edit', 'delete it', (w) => w.delete('deposits', id));
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(ids(before));
    expect(clusterTotal(1)).toBe(sites.length);
  });

  it('an update moves the deposit between tiles', async () => {
    const [x, y] = tileOf(DETAIL_ZOOM, ...TOKYO);
    const id = ctx.project.writeSync('edit', 'add', (w) => w.insertDeposit(emptyDepositFields('mover'), { type: 'Point', coordinates: [...TOKYO] }));
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y)).has(id)).toBe(true);
    ctx.project.writeSync('edit', 'move', (w) => w.updateDeposit(id, emptyDepositFields('mover'), { type: 'Point', coordinates: [141.35, 43.06] }));
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y)).has(id)).toBe(false);
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, ...tileOf(DETAIL_ZOOM, 141.35, 43.06))).has(id)).toBe(true);
    ctx.project.writeSync('edit', 'remove', (w) => w.delete('deposits', id));
  });

  it('a commit by another connection (another app on the same file) is seen', async () => {
    const [x, y] = tileOf(DETAIL_ZOOM, ...TOKYO);
    const before = ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y));
    const other = Project.open(ctx.file);
    let id: string;
    try {
      id = other.writeSync('edit', 'from elsewhere', (w) => w.insertDeposit(emptyDepositFields('elsewhere'), { type: 'Point', coordinates: [...TOKYO] }));
    } finally {
      other.close();
    }
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(new Set([...before, id]));
    ctx.project.writeSync('edit', 'remove', (w) => w.delete('deposits', id));
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(before);
  });

  it('a rolled-back write leaves the tiles as they were', async () => {
    const [x, y] = tileOf(DETAIL_ZOOM, ...TOKYO);
    const before = ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y));
    let seenInside: Set<string> | undefined;
    await expect(
      ctx.project.write('edit', 'doomed', async (w) => {
        w.insertDeposit(emptyDepositFields('doomed'), { type: 'Point', coordinates: [...TOKYO] });
        seenInside = ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y)); // same connection sees its own write
        throw new Error('cancel');
      }),
    ).rejects.toThrow('cancel');
    expect(seenInside!.size).toBe(before.size + 1);
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(before);
  });

  it('a survey edit changes survey tiles but keeps the deposit version', async () => {
    const tracker = new DataVersionTracker(ctx.project.db);
    const dv = tracker.version('deposits');
    const sv = tracker.version('surveys');
    expect(getTile(ctx.project, 'surveys', 9, ...tileOf(9, ...TOKYO))).toBeNull();
    const [lng, lat] = TOKYO;
    await ctx.project.write('edit', 'survey', (w) =>
      w.insertSurvey(emptySurveyFields('Tokyo block'), {
        type: 'Polygon',
        coordinates: [[[lng - 0.1, lat - 0.1], [lng + 0.1, lat - 0.1], [lng + 0.1, lat + 0.1], [lng - 0.1, lat + 0.1], [lng - 0.1, lat - 0.1]]],
      }),
    );
    expect(tracker.version('deposits')).toBe(dv);
    expect(tracker.version('surveys')).not.toBe(sv);
    const tile = getTile(ctx.project, 'surveys', 9, ...tileOf(9, ...TOKYO));
    expect(decodeTile(tile!).layers.surveys.feature(0).properties.name).toBe('Tokyo block');
  });

  it('a raw insert that skips the journal is still seen (AUTOINCREMENT counter)', () => {
    const [x, y] = tileOf(DETAIL_ZOOM, ...TOKYO);
    const before = ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y));
    const id = randomUUID();
    const at = new Date().toISOString();
    const row = depositRow(id, emptyDepositFields('bulk-loaded'), { createdAt: at, updatedAt: at, createdBy: null, updatedBy: null }, {
      type: 'Point',
      coordinates: [...TOKYO],
    });
    const cols = ['geom', ...DEPOSIT_COLUMNS];
    ctx.project.db.prepare(`INSERT INTO deposits (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(new Set([...before, id]));
    ctx.project.writeSync('edit', 'remove', (w) => w.delete('deposits', id));
    expect(ids(getTile(ctx.project, 'deposits', DETAIL_ZOOM, x, y))).toEqual(before);
  });

  it('replays small edits into the cluster pyramid: the same tiles as a full rebuild', async () => {
    const snapshot = () => {
      const out: string[] = [];
      for (let z = 0; z < DETAIL_ZOOM; z++) {
        for (let x = 0; x < 2 ** z; x++) {
          for (let y = 0; y < 2 ** z; y++) {
            const buf = getTile(ctx.project, 'deposits', z, x, y);
            if (!buf) continue;
            const layer = decodeTile(buf).layers.deposit_clusters;
            for (let i = 0; i < layer.length; i++) {
              const f = layer.feature(i);
              const p = f.loadGeometry()[0][0];
              out.push(`${z}/${x}/${y} ${p.x},${p.y} ${f.properties.count} ${f.properties.commodity ?? '-'}`);
            }
          }
        }
      }
      return out.sort();
    };
    const original = snapshot();
    const builds = tileCacheStats(ctx.project).pyramidBuilds;
    // 40 lithium sites near Sendai outvote the few real sites of their small clusters.
    const added = await ctx.project.write('edit', 'lithium district', (w) =>
      Array.from({ length: 40 }, (_, i) =>
        w.insertDeposit({ ...emptyDepositFields(`Li ${i}`), commoditiesMain: ['Li', 'Ta'] }, { type: 'Point', coordinates: [140.8 + i * 0.001, 38.25] }),
      ),
    );
    const japanSite = sites.find((s) => s.country === 'Japan')!;
    await ctx.project.write('edit', 'move and reclassify', (w) => {
      w.updateDeposit(japanSite.id!, { ...emptyDepositFields('moved'), commoditiesMain: ['Co'] }, { type: 'Point', coordinates: [-70.4, -23.6] });
      w.delete('deposits', sites[10].id!);
    });
    const incremental = snapshot();
    expect(tileCacheStats(ctx.project).pyramidBuilds).toBe(builds);
    expect(tileCacheStats(ctx.project).pyramidReplays).toBeGreaterThan(0);
    expect(incremental).not.toEqual(original);
    expect(incremental.some((l) => l.endsWith(' Li'))).toBe(true);
    clearTileCache(ctx.project);
    expect(snapshot()).toEqual(incremental);
    expect(tileCacheStats(ctx.project).pyramidBuilds).toBe(1);
    // Put the ctx.project back for the other tests.
    await ctx.project.write('edit', 'undo by hand', (w) => {
      for (const id of added) w.delete('deposits', id);
      w.updateDeposit(japanSite.id!, { ...emptyDepositFields(japanSite.name), commoditiesMain: japanSite.codes as never, country: japanSite.country }, {
        type: 'Point',
        coordinates: [japanSite.lng, japanSite.lat],
      });
      sites[10].id = w.insertDeposit({ ...emptyDepositFields(sites[10].name), commoditiesMain: sites[10].codes as never, country: sites[10].country }, {
        type: 'Point',
        coordinates: [sites[10].lng, sites[10].lat],
      });
    });
    expect(snapshot()).toEqual(original);
  });

  it('clearTileCache forgets everything; tiles are rebuilt equal', () => {
    const a = getTile(ctx.project, 'deposits', 2, 3, 1);
    clearTileCache(ctx.project);
    const b = getTile(ctx.project, 'deposits', 2, 3, 1);
    expect(b).not.toBe(a);
    expect(b!.equals(a!)).toBe(true);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry by count and by size', () => {
    const c = new LruCache<string, Buffer>(3, 10, (b) => b.length);
    c.set('a', Buffer.alloc(2));
    c.set('b', Buffer.alloc(2));
    c.set('c', Buffer.alloc(2));
    c.get('a');
    c.set('d', Buffer.alloc(2)); // over 3 entries: b is the oldest
    expect(c.has('b')).toBe(false);
    expect(c.has('a')).toBe(true);
    c.set('e', Buffer.alloc(5)); // 4 entries: c (oldest) goes
    expect(['a', 'c', 'd', 'e'].filter((k) => c.has(k))).toEqual(['a', 'd', 'e']);
    expect(c.totalSize).toBe(9);
    c.set('f', Buffer.alloc(4)); // a goes for the count, then d for the size (5 + 4 ≤ 10)
    expect(['a', 'd', 'e', 'f'].filter((k) => c.has(k))).toEqual(['e', 'f']);
    expect(c.totalSize).toBe(9);
  });
});

describe('filterKey', () => {
  it('is the same for equal filters written differently', () => {
    expect(filterKey({ commodity: ['Li', 'Co'], country: ['Japan'] })).toBe(filterKey({ country: ['Japan'], commodity: ['Co', 'Li', 'Li'] }));
    expect(filterKey({})).toBe('');
    expect(filterKey({ commodity: [], status: undefined })).toBe('');
    expect(filterKey({ commodity: ['Li'] })).not.toBe(filterKey({ commodity: ['Li'], mainCommodityOnly: true }));
  });
});
