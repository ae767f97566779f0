import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { basename } from 'node:path';
import { BadInputError, codedError, type Problem, ValidationError } from '../errors';
import { readGeoJsonFeatures } from '../formats/geojson/read';
import { readGpkgLayer } from '../formats/gpkg/read';
import { openTextInput } from '../formats/open-input';
import { readZippedShapefile } from '../formats/shapefile/read';
import type { RawFeatureWithProblems } from '../formats/types';
import { validateGeometry } from '../geometry/validate';
import { coded } from '../messages/en';
import { detectFormat } from '../import/pipeline';
import type { TaskOptions } from '../task';
import { decodeGeometry, encodeGeometry } from './gpkg/geometry-blob';
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

export interface ImportReferenceOptions extends TaskOptions {
  role: ReferenceRole;
  /** Layer name; default: the file name without its extension. */
  name?: string;
  /** Replace a stored layer of the same name (default: refuse). */
  replace?: boolean;
  /** GeoPackage layer or Shapefile in a .zip, when the file holds several. */
  sourceLayer?: string;
}

const NAME_KEYS = ['name', 'NAME', 'Name', 'name_en', 'NAME_EN', 'nam', 'title'];

/** The name a feature is reported by: its "name" property (or NAME …), else its id, else "<layer> feature N". */
function featureName(raw: RawFeatureWithProblems, layer: string): string {
  for (const k of NAME_KEYS) {
    const v = raw.properties?.[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number') return String(v);
  }
  if (raw.id !== undefined && raw.id !== null && raw.id !== '') return String(raw.id);
  return `${layer} feature ${raw.index}`;
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
 * Read and validate every feature of a file for a reference layer. Geometries are checked and
 * normalised by validateGeometry (winding, split at ±180); exclusion zones must be polygons.
 * Every problem names file, feature and field; any problem refuses the whole file.
 */
export async function readReferenceFile(path: string, role: ReferenceRole, layer: string, opts: TaskOptions & { sourceLayer?: string } = {}): Promise<ReferenceFeature[]> {
  const format = detectFormat(path);
  const file = basename(path);
  let reader: AsyncIterable<RawFeatureWithProblems>;
  let input: Awaited<ReturnType<typeof openTextInput>> | undefined;
  if (format === 'geojson') {
    input = await openTextInput(path, opts);
    reader = readGeoJsonFeatures(input, { signal: opts.signal, onProgress: opts.onProgress });
  } else if (format === 'gpkg' || format === 'shapefile') {
    const readOpts = { layer: opts.sourceLayer, signal: opts.signal, onProgress: opts.onProgress };
    reader = format === 'gpkg' ? readGpkgLayer(path, readOpts) : readZippedShapefile(path, readOpts);
  } else {
    throw new BadInputError(coded('layer.badFormat', { file, format: format.toUpperCase() }));
  }
  const out: ReferenceFeature[] = [];
  const problems: Problem[] = [];
  try {
    for await (const raw of reader) {
      opts.signal?.throwIfAborted();
      const ctx = { file, featureIndex: raw.index, featureId: raw.id };
      if (raw.problems?.length) {
        problems.push(...raw.problems.map((p) => ({ ...ctx, ...p })));
        continue;
      }
      if (!raw.geometry) {
        problems.push({ ...ctx, field: 'geometry', message: 'the feature has no geometry; a reference layer needs a location for every feature' });
        continue;
      }
      const v = validateGeometry(raw.geometry, ctx);
      if (v.problems.length || !v.geometry) {
        problems.push(...v.problems.map((p) => ({ ...ctx, ...p })));
        continue;
      }
      if (role === 'exclusion' && v.geometry.type !== 'Polygon' && v.geometry.type !== 'MultiPolygon') {
        problems.push({ ...ctx, field: 'geometry.type', message: `an exclusion zone must be a Polygon or MultiPolygon, found ${v.geometry.type}` });
        continue;
      }
      out.push({ name: featureName(raw, layer), geometry: v.geometry, properties: raw.properties ?? {} });
      if (out.length % 500 === 0) opts.onProgress?.({ phase: 'validate', done: out.length, unit: 'features' });
    }
  } finally {
    input?.stream.destroy();
  }
  if (problems.length) throw new ValidationError(problems.slice(0, 1000), problems.length === 1 ? undefined : coded('layer.invalidFeatures', { file, count: problems.length, first: formatFirst(problems[0]) }));
  if (!out.length) throw new BadInputError(coded('layer.noFeatures', { file }));
  return out;
}

function formatFirst(p: Problem): string {
  return new ValidationError([p]).message;
}

/**
 * Import a file as a reference layer of the project, in one transaction: the file is read and
 * validated first (progress, cancel), then every feature written or none. Returns the layer.
 */
export async function importReferenceLayer(project: Project, path: string, opts: ImportReferenceOptions): Promise<ReferenceLayerInfo> {
  assertTable(project);
  if (!(REFERENCE_ROLES as readonly string[]).includes(opts.role)) throw codedError('USAGE', coded('layer.badRole', { role: JSON.stringify(opts.role) }));
  const name = checkLayerName(opts.name ?? basename(path).replace(/\.gz$/i, '').replace(/\.[^.]+$/, ''));
  const exists = () => !!project.db.prepare('SELECT 1 FROM outcrop_reference_layers WHERE name = ?').get(name);
  if (exists() && !opts.replace) throw codedError('USAGE', coded('layer.exists', { name }));
  const features = await readReferenceFile(path, opts.role, name, opts);
  opts.signal?.throwIfAborted();
  const file = basename(path);
  await project.write('reference-import', `Import reference layer ${name} (${features.length} features from ${file})`, (w) => {
    const db = project.db;
    const replaced = exists();
    if (replaced && !opts.replace) throw codedError('USAGE', coded('layer.exists', { name }));
    if (replaced) {
      db.prepare('DELETE FROM reference_features WHERE layer = ?').run(name);
      db.prepare('DELETE FROM outcrop_reference_layers WHERE name = ?').run(name);
    }
    const types = [...new Set(features.map((f) => f.geometry.type))].sort().join(';');
    db.prepare('INSERT INTO outcrop_reference_layers (name, role, source_file, geometry_types, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?)').run(name, opts.role, file, types, w.at, project.actor);
    const ins = db.prepare('INSERT INTO reference_features (geom, layer, role, name, properties) VALUES (?, ?, ?, ?, ?)');
    features.forEach((f, i) => {
      if (i % 1000 === 0) {
        opts.signal?.throwIfAborted();
        opts.onProgress?.({ phase: 'write', done: i, total: features.length, unit: 'features' });
      }
      ins.run(encodeGeometry(f.geometry), name, opts.role, f.name, JSON.stringify(f.properties));
    });
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ phase: 'write', done: features.length, total: features.length, unit: 'features' });
    w.setDetails({ layer: 'reference_features', referenceLayer: name, role: opts.role, file, features: features.length, replaced });
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

/** Delete stored reference layers and their features (one transaction). Unknown names are refused. */
export async function deleteReferenceLayers(project: Project, names: string[]): Promise<number> {
  assertTable(project);
  return project.write('reference-delete', names.length === 1 ? `Delete reference layer ${names[0]}` : `Delete ${names.length} reference layers`, (w) => {
    let features = 0;
    for (const name of names) {
      if (!project.db.prepare('SELECT 1 FROM outcrop_reference_layers WHERE name = ?').get(name)) throw codedError('NOT_FOUND', coded('layer.notFound', { name, project: project.name }));
      features += project.db.prepare('DELETE FROM reference_features WHERE layer = ?').run(name).changes;
      project.db.prepare('DELETE FROM outcrop_reference_layers WHERE name = ?').run(name);
    }
    w.setDetails({ layer: 'reference_features', deletedLayers: names, features });
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
  return (project.db.prepare('SELECT geom, name, properties FROM reference_features WHERE layer = ? ORDER BY fid LIMIT ?').all(name, limit) as { geom: Buffer; name: string | null; properties: string }[]).map((r, i) => ({
    name: r.name ?? `${name} feature ${i}`,
    geometry: decodeGeometry(r.geom),
    properties: JSON.parse(r.properties),
  }));
}

/** The polygons of stored exclusion layers, each named "<feature> (<layer>)". */
export function referenceZones(project: Project, names: string[]): { name: string; layer: string; geometry: Polygon | MultiPolygon }[] {
  return names.flatMap((layer) =>
    referenceFeatures(project, layer, 'exclusion').map((f) => ({ name: f.name, layer, geometry: f.geometry as Polygon | MultiPolygon })),
  );
}
