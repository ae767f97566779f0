import type Database from 'better-sqlite3';
import type { Layer } from '../store/columns';
import { REFERENCE_CHANGED_KEY } from '../store/reference-layers';

/** What a stamp is kept for: the two feature layers, and the stored reference layers (all of them). */
export type VersionedLayer = Layer | 'reference';

/** History rows with seq in (fromSeq, toSeq] that account for a layer's changes. */
export interface JournalRange {
  fromSeq: number;
  toSeq: number;
}

interface VersionEvent {
  version: number;
  /** undefined: a change the journal does not explain. */
  range?: JournalRange;
}

/** Events kept per layer for journalSince; an older version simply gets null. */
const EVENT_LOG_LENGTH = 256;

/**
 * A cheap "has this layer changed?" stamp per layer, for keying tile and cluster caches.
 *
 * Checked on every tile request, so the common case costs two O(1) statements:
 * `PRAGMA data_version` (changes when another connection, e.g. QGIS, commits to the file) and
 * `total_changes()` (changes on every row this connection writes). Only when one of them moved
 * does it look further: every feature edit goes through WriteSession, which journals one
 * `outcrop_history` row naming its layer, so the history rows added since the last look
 * (a rowid range scan, proportional to the new rows only) tell which layers changed. Editing a
 * survey therefore leaves the million-point cluster pyramid alone.
 *
 * As a safety net for bulk loaders that skip the journal, each layer's AUTOINCREMENT counter
 * (sqlite_sequence) is compared too, which catches inserts; an update or delete that bypasses
 * WriteSession on this connection is not seen (call clearTileCache after one).
 *
 * Conservative cases bump both layers: a commit by another connection (its history rows cannot
 * be told from ours), history that shrank (rolled back or purged), and any change after the
 * tracker looked inside an open transaction (that state may since have been rolled back and
 * its history seq numbers reused).
 *
 * `journalSince` tells a cache which history rows to replay to catch up instead of rebuilding.
 *
 * Reference layers (roads, protected areas …; src/store/reference-layers.ts) are written as
 * operations with no feature journal, so they get their own stamp: the AUTOINCREMENT counter of
 * `reference_features` (every import or replacement inserts), the number of layers (a delete
 * removes one) and the operation that last changed them (`outcrop_meta.reference_changed_op`,
 * written by imports, deletions and their undo/redo: an undo puts features back under their old
 * fids and may keep the layer count), read only when the cheap checks above saw a change.
 *
 * This replaces the `max(op_id)` + `count(*)` key first planned: count(*) on a million rows is
 * a table scan per request, and neither catches an in-place update by another connection.
 */
export class DataVersionTracker {
  private readonly dataVersionStmt: Database.Statement;
  private readonly totalChangesStmt: Database.Statement;
  private readonly maxSeqStmt: Database.Statement;
  private readonly layersSinceStmt: Database.Statement;
  private readonly sequenceStmt: Database.Statement;
  private readonly referenceStmt: Database.Statement | null;
  private referenceStamp = '';
  private readonly sequences: Record<Layer, number> = { deposits: 0, surveys: 0 };
  private dataVersion: number | undefined;
  private totalChanges: number | undefined;
  private lastSeq = 0;
  private sawTransaction = false;
  private readonly versions: Record<VersionedLayer, number> = { deposits: 0, surveys: 0, reference: 0 };
  private readonly events: Record<VersionedLayer, VersionEvent[]> = { deposits: [], surveys: [], reference: [] };

  constructor(private readonly db: Database.Database) {
    this.dataVersionStmt = db.prepare('PRAGMA data_version').pluck();
    this.totalChangesStmt = db.prepare('SELECT total_changes()').pluck();
    this.maxSeqStmt = db.prepare('SELECT coalesce(max(seq), 0) FROM outcrop_history').pluck();
    this.layersSinceStmt = db.prepare(
      `SELECT layer, sum(action = 'insert') AS inserts FROM outcrop_history WHERE seq > ? AND applied = 1 GROUP BY layer`,
    );
    this.sequenceStmt = db.prepare(`SELECT name, seq FROM sqlite_sequence WHERE name IN ('deposits', 'surveys')`);
    const hasReference = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outcrop_reference_layers'`).get();
    this.referenceStmt = hasReference
      ? db
          .prepare(
            `SELECT (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'reference_features') || ':' || (SELECT count(*) FROM outcrop_reference_layers)
                    || ':' || coalesce((SELECT value FROM outcrop_meta WHERE key = '${REFERENCE_CHANGED_KEY}'), '')`,
          )
          .pluck()
      : null;
  }

  /** An opaque stamp that differs whenever the layer may have changed since the last stamp. */
  version(layer: VersionedLayer): string {
    this.refresh();
    return String(this.versions[layer]);
  }

  /**
   * The history rows that explain every change to `layer` between stamp `since` and the
   * current one (rows of other layers may be in the range too), or null when some change is
   * not in the journal (another connection, a rollback, a write past WriteSession) or `since`
   * is too old to tell. Call `version` first; this does not look at the database.
   */
  journalSince(layer: VersionedLayer, since: string): JournalRange | null {
    const from = Number(since);
    const log = this.events[layer];
    if (from === this.versions[layer]) return { fromSeq: this.lastSeq, toSeq: this.lastSeq };
    if (!log.length || log[0].version > from + 1) return null;
    let range: JournalRange | null = null;
    for (const e of log) {
      if (e.version <= from) continue;
      if (!e.range) return null;
      range = range ? { fromSeq: Math.min(range.fromSeq, e.range.fromSeq), toSeq: Math.max(range.toSeq, e.range.toSeq) } : { ...e.range };
    }
    return range;
  }

  private refresh(): void {
    const dv = this.dataVersionStmt.get() as number;
    const tc = this.totalChangesStmt.get() as number;
    const inTx = this.db.inTransaction;
    if (this.dataVersion === undefined) {
      this.dataVersion = dv;
      this.totalChanges = tc;
      this.lastSeq = this.maxSeqStmt.get() as number;
      this.sawTransaction = inTx;
      this.readSequences();
      this.referenceStamp = this.readReferenceStamp();
      return;
    }
    if (dv === this.dataVersion && tc === this.totalChanges && !inTx && !this.sawTransaction) return;
    const maxSeq = this.maxSeqStmt.get() as number;
    const journaledInserts: Record<Layer, number> = { deposits: 0, surveys: 0 };
    if (dv !== this.dataVersion || maxSeq < this.lastSeq || (this.sawTransaction && !inTx && (tc !== this.totalChanges || maxSeq !== this.lastSeq))) {
      this.bump('deposits');
      this.bump('surveys');
      this.bump('reference');
    } else if (maxSeq > this.lastSeq) {
      const range = { fromSeq: this.lastSeq, toSeq: maxSeq };
      for (const { layer, inserts } of this.layersSinceStmt.all(this.lastSeq) as { layer: Layer; inserts: number }[]) {
        if (!(layer in journaledInserts)) continue;
        journaledInserts[layer] = inserts;
        this.bump(layer, range);
      }
    }
    // Every journaled insert takes exactly one AUTOINCREMENT number; more means rows the
    // journal does not know about.
    for (const [layer, moved] of this.readSequences()) {
      if (moved !== journaledInserts[layer]) this.bump(layer);
    }
    const stamp = this.readReferenceStamp();
    if (stamp !== this.referenceStamp) {
      this.referenceStamp = stamp;
      this.bump('reference');
    }
    this.dataVersion = dv;
    this.totalChanges = tc;
    this.lastSeq = maxSeq;
    this.sawTransaction = inTx;
  }

  /** Update the AUTOINCREMENT counters; returns how far each one moved. */
  private readSequences(): [Layer, number][] {
    const moved: [Layer, number][] = [];
    for (const { name, seq } of this.sequenceStmt.all() as { name: Layer; seq: number }[]) {
      if (this.sequences[name] !== seq) moved.push([name, seq - this.sequences[name]]);
      this.sequences[name] = seq;
    }
    return moved;
  }

  private readReferenceStamp(): string {
    return this.referenceStmt ? String(this.referenceStmt.get()) : '';
  }

  private bump(layer: VersionedLayer, range?: JournalRange): void {
    this.versions[layer]++;
    const log = this.events[layer];
    log.push({ version: this.versions[layer], range });
    if (log.length > EVENT_LOG_LENGTH) log.shift();
  }
}
