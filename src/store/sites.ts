import type { MultiPolygon, Point, Polygon } from 'geojson';
import { OutcropError } from '../errors';
import { newId } from '../model/ids';
import { isPermitStage, isSiteRole, type PermitStage, type SiteRole } from '../compare/roles';
import { decodeGeometry, encodeGeometry } from './gpkg/geometry-blob';
import type { Project } from './project';

export type SiteGeometry = Point | Polygon | MultiPolygon;

/** The editable fields of a candidate site. */
export interface SiteFields {
  name: string;
  roles: SiteRole[];
  /** Commodity codes the site is meant for, e.g. ["Nd", "Dy"]. */
  targetCommodities: string[];
  permitStage: PermitStage | null;
  notes: string | null;
  extra: Record<string, unknown>;
}

export interface Site extends SiteFields {
  id: string;
  /** [lng, lat], WGS 84; polygons crossing ±180 are stored split (validated by the caller). */
  geometry: SiteGeometry;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

export interface PermitReview {
  siteId: string;
  /** ISO date. */
  date: string;
  stage: PermitStage;
  note: string | null;
}

/**
 * A file at schema ≥ 2 has the layer, except one made by a development build that had migration
 * 0003 but not 0002 (the runner skips numbers below the file's version): say so plainly.
 */
function assertSitesLayer(project: Project): void {
  if (!project.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sites'`).get()) {
    throw new OutcropError(
      'NOT_FOUND',
      project.readonly
        ? `${project.name} has no "sites" layer yet; open it read-write once to upgrade it`
        : `${project.name} has no "sites" layer (made by a development build of Outcrop before candidate sites existed); import its data into a new project`,
    );
  }
}

export function emptySiteFields(name = ''): SiteFields {
  return { name, roles: [], targetCommodities: [], permitStage: null, notes: null, extra: {} };
}

/** Integrity checks the store enforces (the CLI/UI validate wording before this). */
function checkFields(f: SiteFields): void {
  if (!f.name?.trim()) throw new OutcropError('VALIDATION', 'site: "name" must not be empty');
  const badRole = f.roles.find((r) => !isSiteRole(r));
  if (badRole !== undefined) throw new OutcropError('VALIDATION', `site "${f.name}": "roles" has unknown role ${JSON.stringify(badRole)}`);
  if (f.permitStage !== null && !isPermitStage(f.permitStage)) {
    throw new OutcropError('VALIDATION', `site "${f.name}": "permit_stage" ${JSON.stringify(f.permitStage)} is not a permit stage`);
  }
}

function checkGeometry(g: SiteGeometry, name: string): void {
  if (!g || !['Point', 'Polygon', 'MultiPolygon'].includes(g.type)) {
    throw new OutcropError('VALIDATION', `site "${name}": geometry must be a Point or (Multi)Polygon, got ${g?.type ?? 'none'}`);
  }
}

function rowOf(id: string, f: SiteFields, g: SiteGeometry) {
  return {
    id,
    geom: encodeGeometry(g),
    name: f.name,
    roles: f.roles.length ? f.roles.join(';') : null,
    target_commodities: f.targetCommodities.length ? f.targetCommodities.join(';') : null,
    permit_stage: f.permitStage,
    notes: f.notes,
    extra: JSON.stringify(f.extra ?? {}),
  };
}

export function rowToSite(r: Record<string, any>): Site {
  const split = (s: string | null) => (s ? s.split(';') : []);
  return {
    id: r.id,
    name: r.name,
    roles: split(r.roles) as SiteRole[],
    targetCommodities: split(r.target_commodities),
    permitStage: r.permit_stage,
    notes: r.notes,
    extra: JSON.parse(r.extra),
    geometry: decodeGeometry(r.geom) as SiteGeometry,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
  };
}

/**
 * Store new candidate sites, all in one operation (one transaction). The change is recorded in
 * the operation's details (outcrop_ops.details.sites: action and after-state per site); see
 * migration 0002 for why not in outcrop_history.
 */
export async function insertSites(project: Project, sites: { fields: SiteFields; geometry: SiteGeometry; id?: string }[], label = 'add sites'): Promise<string[]> {
  assertSitesLayer(project);
  return project.write('site-add', label, (w) => {
    const db = project.db;
    const ins = db.prepare(`INSERT INTO sites (geom, id, name, roles, target_commodities, permit_stage, notes, extra, created_at, updated_at, created_by, updated_by)
      VALUES (@geom, @id, @name, @roles, @target_commodities, @permit_stage, @notes, @extra, @at, @at, @by, @by)`);
    const ids: string[] = [];
    const journal: unknown[] = [];
    for (const s of sites) {
      checkFields(s.fields);
      checkGeometry(s.geometry, s.fields.name);
      const id = s.id ?? newId();
      try {
        ins.run({ ...rowOf(id, s.fields, s.geometry), at: w.at, by: project.actor });
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new OutcropError('VALIDATION', `sites: a site with id "${id}" already exists`);
        throw e;
      }
      ids.push(id);
      journal.push({ action: 'insert', id, after: { ...s.fields, geometry: s.geometry } });
    }
    w.setDetails({ layer: 'sites', sites: journal });
    return ids;
  });
}

/** Replace a site's fields and geometry (one transaction; before/after kept in the op details). */
export async function updateSite(project: Project, id: string, fields: SiteFields, geometry: SiteGeometry): Promise<void> {
  checkFields(fields);
  checkGeometry(geometry, fields.name);
  await project.write('site-edit', `edit site ${fields.name}`, (w) => {
    const before = getSite(project, id);
    if (!before) throw new OutcropError('NOT_FOUND', `no site with id "${id}"`);
    project.db
      .prepare(`UPDATE sites SET geom=@geom, name=@name, roles=@roles, target_commodities=@target_commodities, permit_stage=@permit_stage,
        notes=@notes, extra=@extra, updated_at=@at, updated_by=@by WHERE id=@id`)
      .run({ ...rowOf(id, fields, geometry), at: w.at, by: project.actor });
    w.setDetails({ layer: 'sites', sites: [{ action: 'update', id, before, after: { ...fields, geometry } }] });
  });
}

/** Delete sites and their permit reviews (one transaction; the deleted states kept in the op details). Unknown ids are refused. */
export async function deleteSites(project: Project, ids: string[]): Promise<number> {
  assertSitesLayer(project);
  return project.write('site-delete', ids.length === 1 ? 'delete site' : `delete ${ids.length} sites`, (w) => {
    const journal: unknown[] = [];
    for (const id of ids) {
      const before = getSite(project, id);
      if (!before) throw new OutcropError('NOT_FOUND', `no site with id "${id}"`);
      project.db.prepare('DELETE FROM outcrop_site_permits WHERE site_id = ?').run(id);
      project.db.prepare('DELETE FROM sites WHERE id = ?').run(id);
      journal.push({ action: 'delete', id, before });
    }
    w.setDetails({ layer: 'sites', sites: journal });
    return ids.length;
  });
}

/** Append a dated permit review; the site's permit_stage follows the latest review by date. */
export async function addPermitReview(project: Project, review: PermitReview): Promise<void> {
  if (!isPermitStage(review.stage)) throw new OutcropError('VALIDATION', `permit review: stage ${JSON.stringify(review.stage)} is not a permit stage`);
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(review.date)) throw new OutcropError('VALIDATION', `permit review: date must be YYYY[-MM[-DD]], got ${JSON.stringify(review.date)}`);
  await project.write('site-permit', `permit review ${review.date}`, (w) => {
    if (!getSite(project, review.siteId)) throw new OutcropError('NOT_FOUND', `no site with id "${review.siteId}"`);
    project.db.prepare('INSERT INTO outcrop_site_permits (site_id, date, stage, note) VALUES (?, ?, ?, ?)').run(review.siteId, review.date, review.stage, review.note);
    const latest = project.db.prepare('SELECT stage FROM outcrop_site_permits WHERE site_id = ? ORDER BY date DESC, permit_id DESC LIMIT 1').pluck().get(review.siteId);
    project.db.prepare('UPDATE sites SET permit_stage = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(latest, w.at, project.actor, review.siteId);
    w.setDetails({ layer: 'sites', permitReview: review });
  });
}

export function permitHistory(project: Project, siteId: string): PermitReview[] {
  return (project.db.prepare('SELECT * FROM outcrop_site_permits WHERE site_id = ? ORDER BY date, permit_id').all(siteId) as any[]).map((r) => ({
    siteId: r.site_id,
    date: r.date,
    stage: r.stage,
    note: r.note,
  }));
}

export function getSite(project: Project, id: string): Site | undefined {
  assertSitesLayer(project);
  const r = project.db.prepare('SELECT * FROM sites WHERE id = ?').get(id) as Record<string, any> | undefined;
  return r ? rowToSite(r) : undefined;
}

export function listSites(project: Project, ids?: string[]): Site[] {
  assertSitesLayer(project);
  if (!ids) return (project.db.prepare('SELECT * FROM sites ORDER BY fid').all() as any[]).map(rowToSite);
  return ids.map((id) => {
    const s = getSite(project, id);
    if (!s) throw new OutcropError('NOT_FOUND', `no site with id "${id}" in ${project.name}`);
    return s;
  });
}
