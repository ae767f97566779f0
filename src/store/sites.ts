import type { MultiPolygon, Point, Polygon } from 'geojson';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { newId } from '../model/ids';
import { isoDateRange } from '../model/validate-record';
import { isPermitStage, isSiteRole, type PermitStage, type SiteRole } from '../compare/roles';
import { decodeStoredGeometry, encodeGeometry } from './gpkg/geometry-blob';
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
  /**
   * [lng, lat], WGS 84; polygons crossing ±180 are stored split (validated by the caller).
   * Null when another program (QGIS, GDAL) cleared it: listed, never compared, until redrawn.
   */
  geometry: SiteGeometry | null;
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

/** A permit review row as stored, with its id (undo puts it back exactly). */
export interface StoredPermitReview {
  permitId: number;
  date: string;
  stage: string;
  note: string | null;
}

/** A site's whole stored state as the operation journal keeps it: the row and its permit reviews. */
export interface SiteState extends SiteFields {
  geometry: SiteGeometry | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  permits: StoredPermitReview[];
}

/**
 * One site's change in an operation's details (`outcrop_ops.details.sites`): the state before
 * and after (null = absent). Undo puts `before` back, redo `after`; see `revertSiteChanges`.
 */
export interface SiteChange {
  action: 'insert' | 'update' | 'delete' | 'permit';
  id: string;
  before: SiteState | null;
  after: SiteState | null;
}

/**
 * Marks an operation whose `details.sites` is a full journal of `SiteChange`s, so that undo and
 * redo can revert it (src/store/history.ts). Site operations written before this existed have
 * partial journals and stay out of undo.
 */
export const SITES_REVERTIBLE = 'sitesRevertible';

/**
 * A file at schema ≥ 2 has the layer, except one made by a development build that had migration
 * 0003 but not 0002 (the runner skips numbers below the file's version): say so plainly.
 */
function assertSitesLayer(project: Project): void {
  if (!project.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sites'`).get()) {
    throw codedError('NOT_FOUND', coded(project.readonly ? 'site.noLayerReadOnly' : 'site.noLayerDevBuild', { project: project.name }));
  }
}

export function emptySiteFields(name = ''): SiteFields {
  return { name, roles: [], targetCommodities: [], permitStage: null, notes: null, extra: {} };
}

/** Integrity checks the store enforces (the CLI/UI validate wording before this). */
function checkFields(f: SiteFields): void {
  if (!f.name?.trim()) throw codedError('VALIDATION', coded('site.nameEmpty'));
  const badRole = f.roles.find((r) => !isSiteRole(r));
  if (badRole !== undefined) throw codedError('VALIDATION', coded('site.unknownRole', { name: f.name, role: JSON.stringify(badRole) }));
  if (f.permitStage !== null && !isPermitStage(f.permitStage)) {
    throw codedError('VALIDATION', coded('site.notPermitStage', { name: f.name, stage: JSON.stringify(f.permitStage) }));
  }
}

function checkGeometry(g: SiteGeometry, name: string): void {
  if (!g || !['Point', 'Polygon', 'MultiPolygon'].includes(g.type)) {
    throw codedError('VALIDATION', coded('site.notSiteGeometry', { name, type: g?.type ?? 'none' }));
  }
}

function rowOf(id: string, f: SiteFields, g: SiteGeometry | null) {
  return {
    id,
    geom: g ? encodeGeometry(g) : null, // null: only undo puts a cleared geometry back
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
    geometry: r.geom == null ? null : (decodeStoredGeometry(r.geom, 'sites', r.fid, r.id) as SiteGeometry),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
  };
}

/**
 * Store new candidate sites, all in one operation (one transaction). The change is recorded in
 * the operation's details (outcrop_ops.details.sites: a `SiteChange` per site, which undo
 * reverts); see migration 0004 for why not in outcrop_history.
 */
export async function insertSites(project: Project, sites: { fields: SiteFields; geometry: SiteGeometry; id?: string }[], label = 'add sites'): Promise<string[]> {
  assertSitesLayer(project);
  return project.write('site-add', label, (w) => {
    const db = project.db;
    const ins = db.prepare(`INSERT INTO sites (geom, id, name, roles, target_commodities, permit_stage, notes, extra, created_at, updated_at, created_by, updated_by)
      VALUES (@geom, @id, @name, @roles, @target_commodities, @permit_stage, @notes, @extra, @at, @at, @by, @by)`);
    const ids: string[] = [];
    const journal: SiteChange[] = [];
    for (const s of sites) {
      checkFields(s.fields);
      checkGeometry(s.geometry, s.fields.name);
      const id = s.id ?? newId();
      try {
        ins.run({ ...rowOf(id, s.fields, s.geometry), at: w.at, by: project.actor });
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw codedError('VALIDATION', coded('site.idExists', { id }));
        throw e;
      }
      ids.push(id);
      journal.push({ action: 'insert', id, before: null, after: siteState(project, id) });
    }
    w.setDetails({ layer: 'sites', sites: journal, [SITES_REVERTIBLE]: true });
    return ids;
  });
}

/** Replace a site's fields and geometry (one transaction; before/after kept in the op details). */
export async function updateSite(project: Project, id: string, fields: SiteFields, geometry: SiteGeometry): Promise<void> {
  checkFields(fields);
  checkGeometry(geometry, fields.name);
  await project.write('site-edit', `edit site ${fields.name}`, (w) => {
    const before = siteState(project, id);
    if (!before) throw codedError('NOT_FOUND', coded('site.notFound', { id }));
    project.db
      .prepare(`UPDATE sites SET geom=@geom, name=@name, roles=@roles, target_commodities=@target_commodities, permit_stage=@permit_stage,
        notes=@notes, extra=@extra, updated_at=@at, updated_by=@by WHERE id=@id`)
      .run({ ...rowOf(id, fields, geometry), at: w.at, by: project.actor });
    const change: SiteChange = { action: 'update', id, before, after: siteState(project, id) };
    w.setDetails({ layer: 'sites', sites: [change], [SITES_REVERTIBLE]: true });
  });
}

/** Delete sites and their permit reviews (one transaction; the deleted states kept in the op details). Unknown ids are refused. */
export async function deleteSites(project: Project, ids: string[]): Promise<number> {
  assertSitesLayer(project);
  return project.write('site-delete', ids.length === 1 ? 'delete site' : `delete ${ids.length} sites`, (w) => {
    const journal: SiteChange[] = [];
    for (const id of ids) {
      const before = siteState(project, id);
      if (!before) throw codedError('NOT_FOUND', coded('site.notFound', { id }));
      project.db.prepare('DELETE FROM outcrop_site_permits WHERE site_id = ?').run(id);
      project.db.prepare('DELETE FROM sites WHERE id = ?').run(id);
      journal.push({ action: 'delete', id, before, after: null });
    }
    w.setDetails({ layer: 'sites', sites: journal, [SITES_REVERTIBLE]: true });
    return ids.length;
  });
}

/** Append a dated permit review; the site's permit_stage follows the latest review by date. */
export async function addPermitReview(project: Project, review: PermitReview): Promise<void> {
  if (!isPermitStage(review.stage)) throw codedError('VALIDATION', coded('permit.notStage', { stage: JSON.stringify(review.stage) }));
  if (!isoDateRange(review.date)) throw codedError('VALIDATION', coded('permit.notDate', { date: JSON.stringify(review.date) }));
  const note = review.note?.trim() ? review.note : null;
  assertSitesLayer(project);
  const named = project.db.prepare('SELECT name FROM sites WHERE id = ?').pluck().get(review.siteId) as string | undefined;
  await project.write('site-permit', `permit review ${review.date}${named ? ` of ${named}` : ''}`, (w) => {
    const site = getSite(project, review.siteId);
    if (!site) throw codedError('NOT_FOUND', coded('site.notFound', { id: review.siteId }));
    const before = siteState(project, review.siteId);
    const info = project.db.prepare('INSERT INTO outcrop_site_permits (site_id, date, stage, note) VALUES (?, ?, ?, ?)').run(review.siteId, review.date, review.stage, note);
    const latest = project.db.prepare('SELECT stage FROM outcrop_site_permits WHERE site_id = ? ORDER BY date DESC, permit_id DESC LIMIT 1').pluck().get(review.siteId);
    project.db.prepare('UPDATE sites SET permit_stage = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(latest, w.at, project.actor, review.siteId);
    const change: SiteChange = { action: 'permit', id: review.siteId, before, after: siteState(project, review.siteId) };
    w.setDetails({ layer: 'sites', permitReview: { ...review, note, permitId: Number(info.lastInsertRowid), stageBefore: site.permitStage }, sites: [change], [SITES_REVERTIBLE]: true });
  });
}

/** A site's whole stored state (row and permit reviews), or null when there is no such site. */
export function siteState(project: Project, id: string): SiteState | null {
  const s = getSite(project, id);
  if (!s) return null;
  const permits = (project.db.prepare('SELECT permit_id, date, stage, note FROM outcrop_site_permits WHERE site_id = ? ORDER BY permit_id').all(id) as any[]).map((r) => ({
    permitId: r.permit_id as number,
    date: r.date as string,
    stage: r.stage as string,
    note: r.note as string | null,
  }));
  const { id: _id, ...rest } = s;
  return { ...rest, permits };
}

/**
 * Put one site into exactly the given state (null = no such site), with its permit reviews; for
 * undo/redo, inside the caller's transaction. The timestamps are the state's own, as undo of a
 * deposit restores its row as it was.
 */
function restoreSite(project: Project, id: string, state: SiteState | null): void {
  const db = project.db;
  db.prepare('DELETE FROM outcrop_site_permits WHERE site_id = ?').run(id);
  if (state === null) {
    db.prepare('DELETE FROM sites WHERE id = ?').run(id);
    return;
  }
  const row = { ...rowOf(id, state, state.geometry), created_at: state.createdAt, updated_at: state.updatedAt, created_by: state.createdBy, updated_by: state.updatedBy };
  const cols = ['geom', 'name', 'roles', 'target_commodities', 'permit_stage', 'notes', 'extra', 'created_at', 'updated_at', 'created_by', 'updated_by'];
  const exists = db.prepare('SELECT 1 FROM sites WHERE id = ?').get(id);
  if (exists) db.prepare(`UPDATE sites SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(row);
  else db.prepare(`INSERT INTO sites (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => `@${c}`).join(', ')})`).run(row);
  const ins = db.prepare('INSERT INTO outcrop_site_permits (permit_id, site_id, date, stage, note) VALUES (?, ?, ?, ?, ?)');
  for (const r of state.permits) ins.run(r.permitId, id, r.date, r.stage, r.note);
}

/**
 * Revert an operation's site changes (newest first) inside the caller's transaction; returns the
 * changes this made, in the same form, so that reverting them in turn (redo) is the same call.
 */
export function revertSiteChanges(project: Project, changes: readonly SiteChange[]): SiteChange[] {
  const done: SiteChange[] = [];
  for (const c of [...changes].reverse()) {
    const current = siteState(project, c.id);
    restoreSite(project, c.id, c.before);
    const action = c.action === 'insert' ? 'delete' : c.action === 'delete' ? 'insert' : c.action;
    done.push({ action, id: c.id, before: current, after: c.before });
  }
  return done;
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
    if (!s) throw codedError('NOT_FOUND', coded('site.notFoundIn', { id, project: project.name }));
    return s;
  });
}
