import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { BadInputError, codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import type { TaskOptions } from '../task';
import { decodeStoredGeometry, encodeGeometry } from './gpkg/geometry-blob';
import { dropRtreeTriggersSql, rtreeTriggersSql } from './gpkg/rtree';
import type { Project } from './project';

/**
 * Reference layers kept in the project (migration 0005): infrastructure the comparison measures
 * distances to (roads, ports, power lines, processing plants …) and exclusion zones (protected
 * areas). Imported once from GeoJSON (or a GeoPackage layer or zipped Shapefile), all or nothing.
 */
export const REFERENCE_ROLES = ['infrastructure', 'exclusion'] as const;
export type ReferenceRole = (typeof REFERENCE_ROLES)[number];

export interface ReferenceLayerInfo {
  name: string;
  role: ReferenceRole;
  featureCount: number;
  /** Geometry types present, e.g. ["LineString", "MultiLineString"]. */
  geometryTypes: string[];
  sourceFile: string | null;
  importedAt: string;
  importedBy: string | null;
}

export interface ReferenceFeature {
  name: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}


/**
 * Marks an operation (an import, a deletion, or the undo/redo of one) whose `details.reference`
 * is a `ReferenceSwap`, so that undo and redo can revert it (src/store/history.ts). Reference
 * operations written before migration 0006 have none and stay out of undo.
 */
export const REFERENCE_REVERTIBLE = 'referenceRevertible';

/**
 * Which of operation `op`'s two states of `layers` is in the project now ('after': what the
 * operation wrote; 'before': what it replaced or deleted); the other one is kept in
 * `outcrop_reference_trash(_layers)` (migration 0006), tagged (op, state).
 */
export interface ReferenceSwap {
  op: number;
  layers: string[];
  live: 'before' | 'after';
}

type Db = Project['db'];

/**
 * Run `fn` with the standard R*Tree triggers of reference_features dropped, keeping the R*Tree in
 * step itself (about 3x faster for a whole layer, as WriteSession.beginBulk). Inside the caller's
 * transaction: an error rolls the DROP back with everything else.
 */
function withoutRtreeTriggers<T>(db: Db, fn: () => T): T {
  db.exec(dropRtreeTriggersSql('reference_features', 'geom'));
  try {
    return fn();
  } finally {
    // Back even when fn throws: a caller that caught the error and went on must not write
    // reference features without their R*Tree triggers.
    db.exec(rtreeTriggersSql('reference_features', 'geom'));
  }
}

/** Move a stored layer (its features with their R*Tree boxes, then its row) to the trash as (opId, state); returns the features moved, 0 for no such layer. */
function moveToTrash(db: Db, opId: number, state: 'before' | 'after', name: string): number {
  if (!db.prepare('SELECT 1 FROM outcrop_reference_layers WHERE name = ?').get(name)) return 0;
  db.prepare(
    `INSERT INTO outcrop_reference_trash (op_id, state, fid, geom, layer, role, name, properties, minx, maxx, miny, maxy)
     SELECT ?, ?, f.fid, f.geom, f.layer, f.role, f.name, f.properties, r.minx, r.maxx, r.miny, r.maxy
     FROM reference_features f LEFT JOIN rtree_reference_features_geom r ON r.id = f.fid WHERE f.layer = ? ORDER BY f.fid`,
  ).run(opId, state, name);
  const n = withoutRtreeTriggers(db, () => {
    db.prepare('DELETE FROM rtree_reference_features_geom WHERE id IN (SELECT fid FROM reference_features WHERE layer = ?)').run(name);
    return db.prepare('DELETE FROM reference_features WHERE layer = ?').run(name).changes;
  });
  db.prepare(
    `INSERT INTO outcrop_reference_trash_layers (op_id, state, name, role, source_file, geometry_types, imported_at, imported_by)
     SELECT ?, ?, name, role, source_file, geometry_types, imported_at, imported_by FROM outcrop_reference_layers WHERE name = ?`,
  ).run(opId, state, name);
  db.prepare('DELETE FROM outcrop_reference_layers WHERE name = ?').run(name);
  return n;
}

/** Put the trash's (opId, state) layers back as they were (same fids, raw rows, R*Tree boxes) and empty it. */
function restoreFromTrash(db: Db, opId: number, state: 'before' | 'after'): void {
  const clash = db
    .prepare('SELECT t.name FROM outcrop_reference_trash_layers t JOIN outcrop_reference_layers l USING (name) WHERE t.op_id = ? AND t.state = ?')
    .pluck()
    .get(opId, state) as string | undefined;
  // Undo is linear (later operations are undone first), so the name is free unless the history is broken.
  if (clash !== undefined) throw new OutcropError('INTERNAL', `cannot restore reference layer "${clash}" of operation ${opId}: a layer of that name is stored`);
  db.prepare(
    `INSERT INTO outcrop_reference_layers (name, role, source_file, geometry_types, imported_at, imported_by)
     SELECT name, role, source_file, geometry_types, imported_at, imported_by FROM outcrop_reference_trash_layers WHERE op_id = ? AND state = ? ORDER BY id`,
  ).run(opId, state);
  withoutRtreeTriggers(db, () => {
    db.prepare(
      `INSERT INTO reference_features (fid, geom, layer, role, name, properties)
       SELECT fid, geom, layer, role, name, properties FROM outcrop_reference_trash WHERE op_id = ? AND state = ? ORDER BY fid`,
    ).run(opId, state);
    db.prepare(
      `INSERT INTO rtree_reference_features_geom (id, minx, maxx, miny, maxy)
       SELECT fid, minx, maxx, miny, maxy FROM outcrop_reference_trash WHERE op_id = ? AND state = ? AND minx IS NOT NULL ORDER BY fid`,
    ).run(opId, state);
  });
  db.prepare('DELETE FROM outcrop_reference_trash WHERE op_id = ? AND state = ?').run(opId, state);
  db.prepare('DELETE FROM outcrop_reference_trash_layers WHERE op_id = ? AND state = ?').run(opId, state);
}

/**
 * The operation that last changed the reference layers, kept in `outcrop_meta` for the tiles'
 * data-version stamp (src/tiles/data-version.ts): an undo puts features back under their old
 * fids, which moves neither the AUTOINCREMENT counter nor (for a replacement) the layer count.
 */
export const REFERENCE_CHANGED_KEY = 'reference_changed_op';

function markChanged(db: Db, opId: number): void {
  db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(REFERENCE_CHANGED_KEY, String(opId));
}

/**
 * Revert a reference operation inside the caller's transaction (the undo/redo operation `byOp`):
 * the layers' current state goes to the trash, the other state comes back. Returns the swap as
 * it now stands, so that reverting it in turn (redo, undo of the redo …) is the same call.
 */
export function swapReferenceState(project: Project, swap: ReferenceSwap, byOp: number): ReferenceSwap {
  const db = project.db;
  const other = swap.live === 'after' ? 'before' : 'after';
  for (const name of swap.layers) moveToTrash(db, swap.op, swap.live, name);
  restoreFromTrash(db, swap.op, other);
  markChanged(db, byOp);
  return { ...swap, live: other };
}

function checkLayerName(name: string): string {
  const n = name.trim();
  if (!n || n.length > 200) throw codedError('USAGE', coded('layer.badName', { name: JSON.stringify(name) }));
  return n;
}

function assertTable(project: Project): void {
  if (!project.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reference_features'`).get()) {
    throw codedError('NOT_FOUND', coded('layer.noTable', { project: project.name }));
  }
}

/**
 * Store a reference layer in one operation (one transaction): its features are taken from
 * `features` as they come (a file being read and validated: src/import/reference-layer.ts), so
 * the layer is never held whole in memory; if the iterable throws (a refused feature, a cancel)
 * nothing is written. An existing layer of the name is refused unless `replace`.
 */
export async function storeReferenceLayer(
  project: Project,
  layer: { name: string; role: ReferenceRole; sourceFile: string; replace?: boolean },
  features: AsyncIterable<ReferenceFeature>,
  opts: TaskOptions = {},
): Promise<ReferenceLayerInfo> {
  assertTable(project);
  if (!(REFERENCE_ROLES as readonly string[]).includes(layer.role)) throw codedError('USAGE', coded('layer.badRole', { role: JSON.stringify(layer.role) }));
  const name = checkLayerName(layer.name);
  const exists = () => !!project.db.prepare('SELECT 1 FROM outcrop_reference_layers WHERE name = ?').get(name);
  if (exists() && !layer.replace) throw codedError('USAGE', coded('layer.exists', { name }));
  opts.signal?.throwIfAborted();
  await project.write('reference-import', `Import reference layer ${name} from ${layer.sourceFile}`, async (w) => {
    const db = project.db;
    const replaced = exists();
    if (replaced && !layer.replace) throw codedError('USAGE', coded('layer.exists', { name }));
    // The replaced layer is kept for undo (migration 0006).
    if (replaced) moveToTrash(db, w.opId, 'before', name);
    db.prepare('INSERT INTO outcrop_reference_layers (name, role, source_file, geometry_types, imported_at, imported_by) VALUES (?, ?, ?, NULL, ?, ?)').run(name, layer.role, layer.sourceFile, w.at, project.actor);
    const ins = db.prepare('INSERT INTO reference_features (geom, layer, role, name, properties) VALUES (?, ?, ?, ?, ?)');
    const types = new Set<string>();
    let n = 0;
    for await (const f of features) {
      opts.signal?.throwIfAborted();
      ins.run(encodeGeometry(f.geometry), name, layer.role, f.name, JSON.stringify(f.properties));
      types.add(f.geometry.type);
      if (++n % 1000 === 0) opts.onProgress?.({ phase: 'write', done: n, unit: 'features' });
    }
    if (!n) throw new BadInputError(coded('layer.noFeatures', { file: layer.sourceFile }));
    opts.onProgress?.({ phase: 'write', done: n, total: n, unit: 'features' });
    opts.signal?.throwIfAborted(); // up to the commit
    db.prepare('UPDATE outcrop_reference_layers SET geometry_types = ? WHERE name = ?').run([...types].sort().join(';'), name);
    markChanged(db, w.opId);
    const reference: ReferenceSwap = { op: w.opId, layers: [name], live: 'after' };
    w.setDetails({ layer: 'reference_features', referenceLayer: name, role: layer.role, file: layer.sourceFile, features: n, replaced, reference, [REFERENCE_REVERTIBLE]: true });
  });
  return getReferenceLayer(project, name)!;
}

/** Every stored reference layer, by name. */
export function listReferenceLayers(project: Project): ReferenceLayerInfo[] {
  if (!project.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reference_features'`).get()) return [];
  const rows = project.db
    .prepare(
      `SELECT l.name, l.role, l.source_file, l.imported_at, l.imported_by, l.geometry_types AS types,
              (SELECT count(*) FROM reference_features f WHERE f.layer = l.name) AS n
       FROM outcrop_reference_layers l ORDER BY l.name`,
    )
    .all() as { name: string; role: ReferenceRole; source_file: string | null; imported_at: string; imported_by: string | null; n: number; types: string | null }[];
  return rows.map((r) => ({
    name: r.name,
    role: r.role,
    featureCount: r.n,
    geometryTypes: r.types ? r.types.split(';') : [],
    sourceFile: r.source_file,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  }));
}

export function getReferenceLayer(project: Project, name: string): ReferenceLayerInfo | undefined {
  return listReferenceLayers(project).find((l) => l.name === name);
}

/** Delete stored reference layers and their features (one transaction, kept in the trash for undo). Unknown names are refused. */
export async function deleteReferenceLayers(project: Project, names: string[]): Promise<number> {
  assertTable(project);
  return project.write('reference-delete', names.length === 1 ? `Delete reference layer ${names[0]}` : `Delete ${names.length} reference layers`, (w) => {
    let features = 0;
    for (const name of names) {
      if (!project.db.prepare('SELECT 1 FROM outcrop_reference_layers WHERE name = ?').get(name)) throw codedError('NOT_FOUND', coded('layer.notFound', { name, project: project.name }));
      features += moveToTrash(project.db, w.opId, 'before', name);
    }
    markChanged(project.db, w.opId);
    const reference: ReferenceSwap = { op: w.opId, layers: names, live: 'after' };
    w.setDetails({ layer: 'reference_features', deletedLayers: names, features, reference, [REFERENCE_REVERTIBLE]: true });
    return names.length;
  });
}

/** The features of a stored layer, in import order. Throws NOT_FOUND for an unknown name, naming the layers there are. */
export function referenceFeatures(project: Project, name: string, role?: ReferenceRole, limit = -1): ReferenceFeature[] {
  const info = getReferenceLayer(project, name);
  if (!info) {
    const names = listReferenceLayers(project).map((l) => l.name);
    throw codedError('NOT_FOUND', names.length ? coded('layer.notFoundStored', { name, project: project.name, names: names.join(', ') }) : coded('layer.notFoundNone', { name, project: project.name }));
  }
  if (role && info.role !== role) throw codedError('USAGE', coded(info.role === 'exclusion' ? 'layer.holdsExclusion' : 'layer.holdsInfrastructure', { name }));
  return (project.db.prepare('SELECT fid, geom, name, properties FROM reference_features WHERE layer = ? ORDER BY fid LIMIT ?').all(name, limit) as { fid: number; geom: Buffer; name: string | null; properties: string }[]).map((r, i) => ({
    name: r.name ?? `${name} feature ${i}`,
    geometry: decodeStoredGeometry(r.geom, `reference_features (layer ${name})`, r.fid, r.name ?? `${name} feature ${i}`),
    properties: JSON.parse(r.properties),
  }));
}

/** The polygons of stored exclusion layers, each named "<feature> (<layer>)". */
export function referenceZones(project: Project, names: string[]): { name: string; layer: string; geometry: Polygon | MultiPolygon }[] {
  return names.flatMap((layer) =>
    referenceFeatures(project, layer, 'exclusion').map((f) => ({ name: f.name, layer, geometry: f.geometry as Polygon | MultiPolygon })),
  );
}
