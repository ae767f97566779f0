import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import type { DepositFields } from '../model/deposit';
import { type DepositId, newId, newIdRun, type SurveyId } from '../model/ids';
import type { SurveyFields } from '../model/survey';
import {
  DEPOSIT_COLUMNS,
  depositRow,
  featureToRow,
  type Layer,
  type RecordFeature,
  rowToFeature,
  insertValues,
  historyJson,
  type SqlValue,
  SURVEY_COLUMNS,
  surveyRow,
  toMultiPolygon,
} from './columns';
import type { Project } from './project';
import { type Envelope, encodeGeometry, envelopeOf } from './gpkg/geometry-blob';
import { dropRtreeTriggersSql, rtreeExtent, rtreeTriggersSql } from './gpkg/rtree';
import { loadRtree, RtreeEntries } from './gpkg/rtree-bulk';
import { purgeUnreachableReferenceTrash } from './history';
import { dropOutsideEditTriggersSql, outsideEditTriggersSql } from './outside-edits';

type Statement = Database.Statement<any[], unknown>;

const INSERT_COLUMNS: Record<Layer, readonly string[]> = {
  deposits: ['geom', ...DEPOSIT_COLUMNS],
  surveys: ['geom', ...SURVEY_COLUMNS],
};
const INSERT_SQL: Record<Layer, string> = {
  deposits: `INSERT INTO deposits (${INSERT_COLUMNS.deposits.join(', ')}) VALUES (${INSERT_COLUMNS.deposits.map(() => '?').join(', ')})`,
  surveys: `INSERT INTO surveys (${INSERT_COLUMNS.surveys.join(', ')}) VALUES (${INSERT_COLUMNS.surveys.map(() => '?').join(', ')})`,
};
const RTREE_INSERT_SQL: Record<Layer, string> = {
  deposits: 'INSERT INTO rtree_deposits_geom VALUES (?, ?, ?, ?, ?)',
  surveys: 'INSERT INTO rtree_surveys_geom VALUES (?, ?, ?, ?, ?)',
};

/** From this many inserts on, bulk mode packs the layer's whole R*Tree again instead of adding to it ... */
const RTREE_PACK_MIN = 2000;
/** ... when the tree held at most this many times as many entries before (packing reads them too). */
const RTREE_PACK_HELD_RATIO = 2;

/**
 * Page cache while a layer is in bulk mode (SQLite's cache_size: negative = KiB), instead of the
 * project's 64 MiB. A bulk insert appends at the right edge of every B-tree it touches (fids,
 * minted UUIDv7 ids and versions grow; the other indexes have few distinct keys), so few pages
 * are dirty at a time; with a smaller cache SQLite writes the finished ones to the WAL as the
 * import goes, while the writer waits for the reader anyway, instead of all of them in the
 * COMMIT after the reading ends. Measured: the 110k-row MinMod CSV imports ~8 % faster, and an
 * import of 110k rows with random ids into a 330k-row project is no slower.
 */
const BULK_CACHE_SIZE = -16384;

/** Bulk inserts journaled per statement. */
const JOURNAL_CHUNK = 4096;

/** What a layer's bulk inserts still owe: R*Tree boxes by fid, and the ids to journal. */
interface BulkLayer {
  boxes: RtreeEntries;
  /** Ids to journal, in insert order: [id] for an id the input brought, id for a minted one. */
  journal: (string | [string])[];
}

/**
 * The only way features change. Each call writes the feature and its history row (before and
 * after state, who, which operation) in the transaction `Project.write` opened.
 * Callers validate first (see src/import and src/api); this layer enforces integrity only.
 */
export class WriteSession {
  readonly opId: number;
  readonly opUuid: string;
  readonly at: string;
  private counts = { insert: 0, update: 0, delete: 0 };
  /** Layers in bulk mode (see `beginBulk`), with what their inserts still owe the R*Tree and journal. */
  private bulk = new Map<Layer, BulkLayer>();
  private details: Record<string, unknown> = {};
  /** Feature tables this operation changed: their gpkg_contents row is brought up to date in `finish()`. */
  private changedTables = new Set<string>();
  /** The connection's page cache size while bulk mode runs with BULK_CACHE_SIZE (see beginBulk). */
  private cacheBefore: number | undefined;
  private stmts = new Map<string, Statement>();

  private constructor(
    readonly project: Project,
    opId: number,
    opUuid: string,
    at: string,
  ) {
    this.opId = opId;
    this.opUuid = opUuid;
    this.at = at;
  }

  /** `actor`: who made the changes, when not the project's user (null: unknown, as for edits made outside Outcrop). */
  static begin(project: Project, kind: string, label: string, undoes?: number, actor: string | null = project.actor): WriteSession {
    const at = new Date().toISOString();
    const uuid = randomUUID();
    const info = project.db
      .prepare('INSERT INTO outcrop_ops (uuid, kind, label, actor, at, undoes) VALUES (?, ?, ?, ?, ?, ?)')
      .run(uuid, kind, label, actor, at, undoes ?? null);
    return new WriteSession(project, Number(info.lastInsertRowid), uuid, at);
  }

  /** Attach details (file name, counts …) to the operation record. */
  setDetails(d: Record<string, unknown>): void {
    Object.assign(this.details, d);
  }

  /**
   * Bulk mode for large inserts (imports, merges): the layer's standard R*Tree triggers are
   * dropped for the rest of this transaction, and what each insert owes besides its row is
   * written once, when bulk mode ends (`endBulk`, or `finish()` before COMMIT):
   * - the R*Tree entries, from the envelopes the inserts already carry: packed and written in one
   *   go (src/store/gpkg/rtree-bulk.ts) when they are many against what the tree holds, else
   *   inserted one by one (still ~3x faster than the triggers' per-row SQL function calls);
   * - the journal rows of inserts that mint their own version (not a merge's adopted ones), one
   *   INSERT … SELECT per few thousand inserts, in insert order.
   * The triggers come back before COMMIT, so every committed state of the file has them, and a
   * rollback (error, cancel, kill -9) undoes the DROP with everything else. Until bulk mode
   * ends, the layer's new rows are not (all) in its R*Tree or journal: readers between batches
   * (the API while an import yields) must not cache what they see (see OutcropService.counts and
   * src/compare/deposit-index.ts); every committed state is whole.
   */
  beginBulk(layer: Layer): void {
    if (this.bulk.has(layer)) return;
    if (this.cacheBefore === undefined) {
      this.cacheBefore = this.project.db.pragma('cache_size', { simple: true }) as number;
      this.project.db.pragma(`cache_size = ${BULK_CACHE_SIZE}`);
    }
    this.project.db.exec(dropRtreeTriggersSql(layer, 'geom'));
    // Outcrop's own inserts are never outside edits, and the triggers' check costs ~10 µs a row.
    this.project.db.exec(dropOutsideEditTriggersSql(layer));
    this.bulk.set(layer, { boxes: new RtreeEntries(), journal: [] });
    this.stmts.clear(); // schema changed: statements are re-prepared lazily
  }

  /** Leave bulk mode before the transaction ends (a merge: its inserts first, then updates and deletes). */
  endBulk(layer: Layer): void {
    const pending = this.bulk.get(layer);
    if (!pending) return;
    this.bulk.delete(layer);
    this.flushRtree(layer, pending.boxes);
    this.flushJournal(layer, pending.journal);
    this.project.db.exec(rtreeTriggersSql(layer, 'geom'));
    this.project.db.exec(outsideEditTriggersSql(layer));
    this.stmts.clear();
    if (!this.bulk.size) this.restoreCache();
  }

  /** Connection settings as they were before this session (Project.write calls it, whatever the outcome). */
  close(): void {
    this.restoreCache();
  }

  private restoreCache(): void {
    if (this.cacheBefore === undefined) return;
    this.project.db.pragma(`cache_size = ${this.cacheBefore}`);
    this.cacheBefore = undefined;
  }

  finish(): void {
    for (const layer of [...this.bulk.keys()]) this.endBulk(layer);
    this.project.db
      .prepare('UPDATE outcrop_ops SET details = ? WHERE op_id = ?')
      .run(JSON.stringify({ ...this.details, counts: this.counts }), this.opId);
    // This operation may have cut redo off: what only a redo could have brought back goes.
    purgeUnreachableReferenceTrash(this.project.db);
    // Site and reference-layer operations (and their undo/redo) write their tables themselves and say so in their details.
    const detailLayer = this.details.layer;
    if (detailLayer === 'sites' || detailLayer === 'reference_features') this.changedTables.add(detailLayer);
    for (const table of this.changedTables) updateContents(this.project.db, table);
  }

  /**
   * Say that this operation changed a feature table other than through this session's feature
   * methods (sites, reference features), so that `finish()` updates its gpkg_contents row too.
   */
  markChanged(table: string): void {
    this.changedTables.add(table);
  }

  /** The R*Tree entries of a bulk insert: the whole tree packed again, or one by one. */
  private flushRtree(layer: Layer, boxes: RtreeEntries): void {
    if (!boxes.length) return;
    const db = this.project.db;
    const rtree = `rtree_${layer}_geom`;
    const held = db.prepare(`SELECT count(*) FROM "${rtree}_rowid"`).pluck().get() as number;
    if (boxes.length >= RTREE_PACK_MIN && held <= RTREE_PACK_HELD_RATIO * boxes.length) {
      // What the tree holds joins the new boxes (its floats are already rounded as SQLite stores them).
      if (held) {
        for (const r of db.prepare(`SELECT id, minx, maxx, miny, maxy FROM "${rtree}"`).raw().iterate() as IterableIterator<number[]>) {
          boxes.push(r[0], r[1], r[2], r[3], r[4]);
        }
      }
      loadRtree(db, rtree, boxes);
      return;
    }
    const put = db.prepare(RTREE_INSERT_SQL[layer]);
    for (let i = 0; i < boxes.length; i++) {
      if (!(boxes.boxes[4 * i] <= boxes.boxes[4 * i + 1])) continue; // an empty geometry ([+∞, −∞, …]) has no entry
      put.run(boxes.ids[i], boxes.boxes[4 * i], boxes.boxes[4 * i + 1], boxes.boxes[4 * i + 2], boxes.boxes[4 * i + 3]);
    }
  }

  /**
   * The journal rows of bulk inserts, in insert order, in one statement, as `journalJson` writes
   * them: each feature's new version (a run of UUIDv7s, see newIdRun), and as its parent the
   * version it had here before, looked up only for ids the input brought (listed as [id]; a
   * minted id, listed as a plain string, has none).
   */
  private flushJournal(layer: Layer, ids: BulkLayer['journal']): void {
    if (!ids.length) return;
    const run = newIdRun(ids.length);
    this.stmt(
      `INSERT INTO outcrop_history (op_id, layer, feature_id, action, before, after, version, parents, applied)
       SELECT ?, ?, f.id, 'insert', NULL, NULL, ? || printf('%012x', ? + f.k), CASE WHEN f.minted THEN '[]' ELSE COALESCE(
           (SELECT json_array(h.version) FROM outcrop_history h WHERE h.feature_id = f.id AND h.applied = 1 ORDER BY h.seq DESC LIMIT 1), '[]') END, 1
       FROM (SELECT j.key AS k, j.type = 'text' AS minted, CASE WHEN j.type = 'text' THEN j.value ELSE j.value ->> 0 END AS id FROM json_each(?) j) f`,
    ).run(this.opId, layer, run.prefix, run.first, JSON.stringify(ids));
    ids.length = 0;
  }

  /**
   * Journal a change another program already made to the table (src/store/outside-edits.ts):
   * history only, with the states given in history form (an insert's after-image is derived).
   */
  journalOutsideEdit(layer: Layer, id: string, action: 'insert' | 'update' | 'delete', before: string | null, after: string | null): void {
    this.assertNotBulk(layer);
    this.journalJson(layer, id, action, before, after);
    this.changedTables.add(layer);
    this.counts[action]++;
  }

  get changeCounts(): Readonly<{ insert: number; update: number; delete: number }> {
    return this.counts;
  }

  insertDeposit(fields: DepositFields, geometry: Point, id?: string, audit?: Partial<AuditIn>): DepositId {
    const p = prepareInsert('deposits', fields, geometry, id, audit, this.auditDefaults());
    this.insertPrepared(p);
    return p.id as DepositId;
  }

  insertSurvey(fields: SurveyFields, geometry: Polygon | MultiPolygon, id?: string, audit?: Partial<AuditIn>): SurveyId {
    const p = prepareInsert('surveys', fields, geometry, id, audit, this.auditDefaults());
    this.insertPrepared(p);
    return p.id as SurveyId;
  }

  /** What `prepareInsert` needs to fill in audit columns the way this session would. */
  auditDefaults(): AuditDefaults {
    return { at: this.at, actor: this.project.actor };
  }

  /**
   * Write a feature made ready by `prepareInsert` (possibly in another thread, see
   * src/import/prepare-worker.ts): the row, its R*Tree entry in bulk mode, and its history row.
   */
  insertPrepared(p: PreparedInsert): void {
    let fid: number;
    try {
      // Spread, not the array: better-sqlite3 binds arguments ~15% faster than an array's elements.
      const info = this.stmt(INSERT_SQL[p.layer]).run(...p.values);
      fid = Number(info.lastInsertRowid);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw codedError('VALIDATION', coded('feature.idExists', { layer: p.layer, id: p.id }), { id: p.id });
      }
      throw err;
    }
    const bulk = this.bulk.get(p.layer);
    if (bulk) {
      const e = p.envelope;
      bulk.boxes.push(fid, e[0], e[1], e[2], e[3]);
    }
    // No after-image: the row is the insert's after state (see store/history-after.ts).
    if (bulk && !this.pinnedVersion) {
      bulk.journal.push(p.minted ? p.id : [p.id]);
      // In chunks, so the work overlaps with the reading an import waits for between batches.
      if (bulk.journal.length >= JOURNAL_CHUNK) this.flushJournal(p.layer, bulk.journal);
    } else this.journalJson(p.layer, p.id, 'insert', null, null, p.minted);
    this.changedTables.add(p.layer);
    this.counts.insert++;
  }

  updateDeposit(id: string, fields: DepositFields, geometry: Point | null): void {
    const before = this.fetch('deposits', id);
    const row = depositRow(id, fields, this.keepCreated(before), geometry);
    this.updateRow('deposits', id, before, row);
  }

  updateSurvey(id: string, fields: SurveyFields, geometry: Polygon | MultiPolygon | null): void {
    const before = this.fetch('surveys', id);
    const row = surveyRow(id, fields, this.keepCreated(before), geometry);
    this.updateRow('surveys', id, before, row);
  }

  delete(layer: Layer, id: string): void {
    this.assertNotBulk(layer);
    const before = this.fetch(layer, id);
    this.stmt(`DELETE FROM ${layer} WHERE id = ?`).run(id);
    this.journal(layer, id, 'delete', before, null);
    this.changedTables.add(layer);
    this.counts.delete++;
  }

  /** Put a feature into exactly the given state (history form); used by undo/redo and merge. */
  restore(layer: Layer, id: string, state: RecordFeature | null): void {
    const current = this.tryFetch(layer, id);
    if (state === null) {
      if (current) this.delete(layer, id);
      return;
    }
    const row = featureToRow(layer, state);
    if (current) this.updateRow(layer, id, current, row);
    else this.insertRow(layer, row, layer === 'surveys' && state.geometry ? toMultiPolygon(state.geometry as Polygon | MultiPolygon) : state.geometry);
  }

  /** `minted`: the id was just made here, so the feature has no earlier version to look up. */
  private insertRow(layer: Layer, row: Record<string, SqlValue>, geometry: RecordFeature['geometry'], minted = false): void {
    this.insertPrepared(preparedFromRow(layer, row, geometry, minted));
  }

  private assertNotBulk(layer: Layer): void {
    if (this.bulk.has(layer)) throw new OutcropError('INTERNAL', `${layer}: a bulk session only inserts`);
  }

  private updateRow(layer: Layer, id: string, before: RecordFeature, row: Record<string, SqlValue>): void {
    this.assertNotBulk(layer);
    const cols = ['geom', ...(layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS)].filter((c) => c !== 'id');
    const sql = `UPDATE ${layer} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;
    this.stmt(sql).run(row);
    this.journal(layer, id, 'update', before, rowToFeature(layer, row));
    this.changedTables.add(layer);
    this.counts.update++;
  }

  private journal(layer: Layer, id: string, action: 'insert' | 'update' | 'delete', before: RecordFeature | null, after: RecordFeature | null) {
    this.journalJson(layer, id, action, before ? historyJson(before) : null, after ? historyJson(after) : null);
  }

  /** Version to stamp on the next journal row instead of a fresh one (merges adopt versions). */
  private pinnedVersion: { version: string; parents: string[] } | undefined;

  /** Run `fn` so that the change it makes is recorded as exactly this version (merge). */
  asVersion<T>(version: string, parents: string[], fn: () => T): T {
    this.pinnedVersion = { version, parents };
    try {
      return fn();
    } finally {
      this.pinnedVersion = undefined;
    }
  }

  private journalJson(layer: Layer, id: string, action: 'insert' | 'update' | 'delete', before: string | null, after: string | null, minted = false) {
    if (this.pinnedVersion) {
      this.writeHistory({ layer, featureId: id, action, before, after, ...this.pinnedVersion, applied: true });
      return;
    }
    // Each change makes a new version of the feature whose parent is the version it replaced.
    const head = minted ? null : this.headVersion(id);
    this.writeHistory({ layer, featureId: id, action, before, after, version: newId(), parents: head ? [head] : [], applied: true });
  }

  /**
   * Append one history row as given (merge uses this to record remote rows and merge versions).
   * `applied` = false: a row describing another project's change, kept for ancestry only.
   */
  writeHistory(h: {
    layer: Layer;
    featureId: string;
    action: 'insert' | 'update' | 'delete';
    before: string | null;
    after: string | null;
    version: string;
    parents: string[];
    applied: boolean;
    opId?: number;
  }): void {
    this.stmt(
      'INSERT INTO outcrop_history (op_id, layer, feature_id, action, before, after, version, parents, applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(h.opId ?? this.opId, h.layer, h.featureId, h.action, h.before, h.after, h.version, JSON.stringify(h.parents), h.applied ? 1 : 0);
  }

  /** The version of a feature's current state here (null: never existed here). */
  headVersion(featureId: string): string | null {
    return (
      (this.stmt('SELECT version FROM outcrop_history WHERE feature_id = ? AND applied = 1 ORDER BY seq DESC LIMIT 1').pluck().get(featureId) as
        | string
        | undefined) ?? null
    );
  }

  private tryFetch(layer: Layer, id: string): RecordFeature | undefined {
    const row = this.stmt(`SELECT * FROM ${layer} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    return row ? rowToFeature(layer, row) : undefined;
  }

  private fetch(layer: Layer, id: string): RecordFeature {
    const f = this.tryFetch(layer, id);
    if (!f) throw codedError('NOT_FOUND', coded('feature.notFound', { layer, id }), { layer, id });
    return f;
  }

  private keepCreated(before: RecordFeature) {
    return {
      createdAt: before.properties.created_at as string,
      createdBy: before.properties.created_by as string | null,
      updatedAt: this.at,
      updatedBy: this.project.actor,
    };
  }

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.project.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }
}

/**
 * A changed feature table's gpkg_contents row: last_change now (GeoPackage's format) and the
 * extent of what it holds, which QGIS's "zoom to layer" and GDAL's GetExtent read. The extent
 * comes from the root node of the table's R*Tree (rtreeExtent: O(1), where min/max over the
 * geometries costs a full scan, ~300 ms at 1M deposits), so it is the exact bounds rounded
 * outward to 32-bit floats, as every R*Tree box; NULL for a table with no located feature.
 */
export function updateContents(db: Database.Database, table: string): void {
  const e = rtreeExtent(db, `rtree_${table}_geom`);
  db.prepare(
    `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?`,
  ).run(e?.[0] ?? null, e?.[1] ?? null, e?.[2] ?? null, e?.[3] ?? null, table);
}

export interface AuditIn {
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

/** The session's time and actor, which fill audit columns the input does not set. */
export interface AuditDefaults {
  at: string;
  actor: string | null;
}

/**
 * One feature ready to insert: column values in INSERT order (geometry blob first) and the
 * envelope for the R*Tree. Plain data, so
 * it can be built in a worker thread and posted to the writer (src/import/prepare-worker.ts).
 */
export interface PreparedInsert {
  layer: Layer;
  id: string;
  /** The id was minted here (the input had none), so there is no earlier version to look up. */
  minted: boolean;
  values: SqlValue[];
  envelope: Envelope;
}

/** The box of a feature without a geometry: empty, so it gets no R*Tree entry. */
const NO_ENVELOPE: Envelope = [Infinity, -Infinity, Infinity, -Infinity];

/** Everything an insert writes, computed without the database (pure; safe in a worker). */
export function prepareInsert(
  layer: Layer,
  fields: DepositFields | SurveyFields,
  geometry: Point | Polygon | MultiPolygon | null,
  id: string | undefined,
  audit: Partial<AuditIn> | undefined,
  d: AuditDefaults,
): PreparedInsert {
  const featureId = id ?? newId();
  const a = {
    createdAt: audit?.createdAt ?? d.at,
    updatedAt: audit?.updatedAt ?? d.at,
    createdBy: audit?.createdBy !== undefined ? audit.createdBy : d.actor,
    updatedBy: audit?.updatedBy !== undefined ? audit.updatedBy : d.actor,
  };
  if (geometry === null) {
    // No location: a NULL geometry and an empty box, which gets no R*Tree entry.
    const values = insertValues(layer, featureId, fields, a, null);
    return { layer, id: featureId, minted: id === undefined, values, envelope: NO_ENVELOPE };
  }
  const g = layer === 'deposits' ? (geometry as Point) : toMultiPolygon(geometry as Polygon | MultiPolygon);
  const values = insertValues(layer, featureId, fields, a, encodeGeometry(g));
  return { layer, id: featureId, minted: id === undefined, values, envelope: envelopeOf(g) };
}

function preparedFromRow(layer: Layer, row: Record<string, SqlValue>, geometry: RecordFeature['geometry'], minted: boolean): PreparedInsert {
  const cols = INSERT_COLUMNS[layer];
  const values = new Array<SqlValue>(cols.length);
  for (let i = 0; i < cols.length; i++) values[i] = row[cols[i]];
  // No geometry: an empty box, which gets no R*Tree entry (as the gpkg_rtree_index triggers do).
  const envelope: Envelope = geometry ? envelopeOf(geometry) : NO_ENVELOPE;
  return { layer, id: String(row.id), minted, values, envelope };
}
