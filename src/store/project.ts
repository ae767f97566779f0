import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { asCancelled, codedError, OutcropError } from '../errors';
import type { TaskOptions } from '../task';
import { coded } from '../messages/en';
import { registerGpkgFunctions } from './gpkg/sql-functions';
import { assertNotTooNew, migrate, READABLE_FROM_VERSION, SCHEMA_VERSION } from './migrations';
import { syncVocabTable } from './vocab-table';
import { WriteSession } from './write-session';
import { adoptOutsideEdits, hasOutsideEdits, markOutcropWrite, unmarkOutcropWrite } from './outside-edits';
import { registerHistoryFunctions } from './history-after';
import { claimReplica } from './replica';
import { BackgroundCheckpoint } from './checkpoint';

/** 'GPKG' as a big-endian 32-bit integer (GeoPackage Req. 2). */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.3 (Req. 2: user_version 10300); GDAL < 3.8 warns on 1.4 files. */
export const GPKG_USER_VERSION = 10300;
/** SQLite's default: a commit that leaves more WAL pages than this checkpoints (writeSync, writeMeta). */
const WAL_AUTOCHECKPOINT = 1000;
/**
 * Operations changing at least this many features checkpoint in the background (see
 * checkpoint.ts); smaller ones leave a few pages that SQLite's own checkpoint copies in no time.
 */
const BACKGROUND_CHECKPOINT_MIN_CHANGES = 2000;
/** Page size of new project files (see Project.open). */
const PAGE_SIZE = 8192;
/** Operation kind of edits made by other programs, journaled by Outcrop (src/store/outside-edits.ts). */
export const OUTSIDE_EDIT_KIND = 'outside-edit';

export interface OpenOptions {
  /** Create the file if it does not exist (default false: a missing file is an error). */
  create?: boolean;
  readonly?: boolean;
  /** Who is making changes (recorded in history); defaults to $OUTCROP_USER or the OS user. */
  actor?: string | null;
  /** Internal: read an older schema as it is (see READABLE_FROM_VERSION), its upgrade having failed. */
  asIs?: boolean;
}

/**
 * One Outcrop project = one GeoPackage file. Holds the connection, applies migrations, and
 * serialises writes: every write runs in one SQLite transaction through `write()`.
 */
export class Project {
  readonly file: string;
  readonly name: string;
  readonly db: Database.Database;
  readonly readonly: boolean;
  actor: string | null;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Checkpoints after `write()`, off this thread (see checkpoint.ts); none for read-only projects. */
  private readonly checkpoints: BackgroundCheckpoint | undefined;

  private constructor(file: string, db: Database.Database, readonly: boolean, actor: string | null) {
    this.file = file;
    this.name = basename(file);
    this.db = db;
    this.readonly = readonly;
    this.actor = actor;
    this.checkpoints = readonly ? undefined : new BackgroundCheckpoint(file, () => this.db.pragma('wal_checkpoint(PASSIVE)'));
  }

  /** Open (or with `create`, create) a project file. */
  static open(path: string, opts: OpenOptions = {}): Project {
    const file = resolve(path);
    const name = basename(file);
    const exists = existsSync(file);
    if (!exists && !opts.create) {
      throw codedError('NOT_FOUND', coded('project.notFound', { file: name, path }), { file });
    }
    if (exists && opts.create === true && opts.readonly) {
      throw codedError('USAGE', coded('project.createReadOnly'));
    }
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !opts.create });
    } catch (err) {
      throw codedError('NOT_A_PROJECT', coded('project.cannotOpen', { file: name, detail: (err as Error).message }), { file });
    }
    try {
      registerGpkgFunctions(db);
      registerHistoryFunctions(db);
      const fresh = isEmptyDatabase(db, name, !!opts.readonly);
      if (fresh && !opts.create) throw codedError('NOT_A_PROJECT', coded('project.empty', { file: name, path }), { file });
      if (!fresh) checkIsOutcropProject(db, name);
      // Checked before any pragma write: a newer file must not be touched at all.
      const version = assertNotTooNew(db, name);
      if (opts.readonly && version < SCHEMA_VERSION && !fresh && !opts.asIs) {
        // An older project opened for reading (export, query, stats): upgrade it first with a
        // short writable connection, so every reader sees the current schema.
        db.close();
        try {
          Project.open(file, { actor: opts.actor }).close();
        } catch (err) {
          // Where it cannot be upgraded (a read-only disk), a schema readers can read is read as it is.
          if (version >= READABLE_FROM_VERSION) return Project.open(file, { ...opts, asIs: true });
          throw codedError('NOT_A_PROJECT', coded('project.cannotUpgrade', { file: name, version, detail: (err as Error).message }), { file });
        }
        return Project.open(file, opts);
      }
      if (!opts.readonly) {
        // 8 KiB pages for new projects (SQLite's default is 4 KiB): a deposit row is ~400 bytes
        // with a dozen index entries, and an import of 110k of them writes ~10 % faster. Only
        // possible before the first table and before WAL mode; existing files keep theirs.
        if (fresh) db.pragma(`page_size = ${PAGE_SIZE}`);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        if (fresh) {
          db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
          db.pragma(`user_version = ${GPKG_USER_VERSION}`);
        }
        db.pragma('foreign_keys = ON');
        migrate(db, name);
        syncVocabTable(db);
        if (fresh) {
          db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('created_at', ?), ('created_by_app', ?)`).run(
            new Date().toISOString(),
            `Outcrop schema ${SCHEMA_VERSION}`,
          );
        }
        claimReplica(db, file, fresh);
      }
      db.pragma('busy_timeout = 5000');
      // 64 MiB page cache (default 2 MiB): large imports touch index pages all over the file.
      db.pragma('cache_size = -65536');
    } catch (err) {
      db.close();
      throw notWritable(err, name);
    }
    const actor = opts.actor !== undefined ? opts.actor : defaultActor();
    const project = new Project(file, db, !!opts.readonly, actor);
    try {
      project.adoptOutsideEdits();
    } catch (err) {
      // Another process writing for longer than busy_timeout: its next write here adopts them.
      if (!(err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        project.close();
        throw err;
      }
    }
    return project;
  }

  /**
   * Run `fn` as one operation in one transaction: all of it lands, or none (error, cancel,
   * crash or kill -9 roll back). Writes are serialised per project. `fn` may be async (a
   * streamed import); nothing else may use this connection meanwhile, which the queue ensures
   * for writers and better-sqlite3's synchronous reads cannot interleave with.
   */
  async write<T>(kind: string, label: string, fn: (w: WriteSession) => T | Promise<T>): Promise<T> {
    this.assertWritable();
    return this.enqueue(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      let session: WriteSession | undefined;
      try {
        session = this.beginOperation(kind, label);
        const result = await fn(session);
        this.finishOperation(session);
        const c = session.changeCounts;
        if (this.checkpoints && c.insert + c.update + c.delete >= BACKGROUND_CHECKPOINT_MIN_CHANGES) {
          // Durable at COMMIT (WAL, synchronous=FULL); the copy into the file is done off this thread.
          this.db.pragma('wal_autocheckpoint = 0');
          try {
            this.db.exec('COMMIT');
          } finally {
            this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
          }
          this.checkpoints.request();
        } else this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        session?.close();
      }
    });
  }

  /**
   * Start an operation in the open transaction: marked as Outcrop's own (so the outside-edit
   * triggers stay quiet), after journaling any edits other programs made since the last one, as
   * an operation of their own (src/store/outside-edits.ts).
   */
  private beginOperation(kind: string, label: string): WriteSession {
    markOutcropWrite(this.db);
    if (hasOutsideEdits(this.db)) this.journalOutsideEdits();
    return WriteSession.begin(this, kind, label);
  }

  private finishOperation(session: WriteSession): void {
    session.finish();
    unmarkOutcropWrite(this.db);
  }

  /** The logged outside edits as an operation of their own, by nobody known (in the open transaction). */
  private journalOutsideEdits(): number {
    const outside = WriteSession.begin(this, OUTSIDE_EDIT_KIND, 'Changes made outside Outcrop', undefined, null);
    try {
      const { adopted, skipped } = adoptOutsideEdits(outside);
      outside.setDetails({ outsideEdits: adopted, ...(skipped ? { notJournaled: skipped } : {}) });
      outside.finish();
      return adopted;
    } finally {
      outside.close();
    }
  }

  /** Journal edits made by other programs now, if there are any (opening for writing does this). Returns how many. */
  adoptOutsideEdits(): number {
    if (this.readonly || this.db.inTransaction || !hasOutsideEdits(this.db)) return 0;
    return this.db
      .transaction(() => {
        // Checked again under the write lock: another process opening the project at the same
        // time may have journaled them first (else an empty undo step).
        if (!hasOutsideEdits(this.db)) return 0;
        markOutcropWrite(this.db);
        const n = this.journalOutsideEdits();
        unmarkOutcropWrite(this.db);
        return n;
      })
      .immediate();
  }

  /**
   * A small write that is not an operation (no undo, no history: a log row, a setting), in its
   * own transaction after the writes queued before it, so that it never lands inside a long
   * operation's open transaction (and is never rolled back with it).
   */
  async writeMeta<T>(fn: () => T): Promise<T> {
    this.assertWritable();
    return this.enqueue(async () => this.db.transaction(fn).immediate());
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.writeQueue.then(run, run);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  /** Synchronous variant for small edits (one form save, a vertex move). */
  writeSync<T>(kind: string, label: string, fn: (w: WriteSession) => T): T {
    this.assertWritable();
    // A long write (import, merge) yields to the event loop inside its open transaction: a write
    // now would join it (an undo would undo the half-done operation itself). Refuse instead.
    if (this.db.inTransaction) {
      throw codedError('USAGE', coded('project.busy', { project: this.name }));
    }
    return this.db.transaction(() => {
      const session = this.beginOperation(kind, label);
      try {
        const result = fn(session);
        this.finishOperation(session);
        return result;
      } finally {
        session.close();
      }
    }).immediate();
  }

  /**
   * Consistent snapshot to `dest` with SQLite's online backup API (never a file copy of an open
   * database). The result is a standalone GeoPackage in rollback-journal mode.
   */
  async backup(dest: string, opts: TaskOptions = {}): Promise<void> {
    const target = resolve(dest);
    if (target === this.file) throw codedError('USAGE', coded('project.backupOntoItself'));
    await rm(target, { force: true });
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    try {
      await this.db.backup(target, {
        progress: ({ totalPages, remainingPages }) => {
          opts.onProgress?.({ phase: 'backup', done: (totalPages - remainingPages) * pageSize, total: totalPages * pageSize, unit: 'bytes' });
          opts.signal?.throwIfAborted();
          return 1000; // pages per step, between turns of the event loop
        },
      });
    } catch (err) {
      await rm(target, { force: true }); // no half-made copy left behind (cancel, disk full)
      throw asCancelled(err) ?? err;
    }
    const copy = new Database(target);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  }

  /** Compact snapshot with VACUUM INTO (smaller than a backup; same consistency). */
  vacuumInto(dest: string): void {
    const target = resolve(dest);
    if (existsSync(target)) throw codedError('USAGE', coded('file.exists', { file: basename(target) }));
    this.db.prepare('VACUUM INTO ?').run(target);
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM outcrop_settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Store a setting (after any write in progress: see writeMeta). */
  async setSetting(key: string, value: unknown): Promise<void> {
    await this.writeMeta(() => {
      this.db
        .prepare('INSERT INTO outcrop_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(key, JSON.stringify(value));
    });
  }

  /**
   * Block until the checkpoints `write()` handed to the background thread have finished: the
   * database file alone then holds every committed change. (Not needed for durability: the WAL
   * holds them already. For measurements and tests.)
   */
  waitForCheckpoint(): void {
    this.checkpoints?.waitIdle();
  }

  /**
   * Told of what the user should know but that is no error (the CLI prints it on stderr): a
   * project left as two files because its last checkpoint could not be written.
   */
  static onWarning: ((message: string) => void) | undefined;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.checkpoints?.waitIdle();
    this.checkpoints?.close();
    if (!this.readonly) {
      try {
        // No waiting: while another program writes, this would sit out the busy timeout (5 s)
        // for a checkpoint SQLite makes later anyway.
        this.db.pragma('busy_timeout = 0');
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        // Busy (another reader holds the WAL): SQLite checkpoints later. A full or failing disk:
        // the committed changes are safe in the -wal file, but the project is two files for now.
        const code = String((err as { code?: unknown }).code ?? '');
        if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) Project.onWarning?.(coded('project.walKept', { project: this.name }).message);
      }
    }
    this.db.close();
  }

  private assertWritable(): void {
    if (this.closed) throw new OutcropError('INTERNAL', `${this.name} is closed`);
    if (this.readonly) throw codedError('USAGE', coded('project.readOnly', { project: this.name }));
  }
}

/**
 * Who the changes of this process are by, for the history: $OUTCROP_USER when set (a shared
 * account, a field tablet), else the login name ($USER, $USERNAME, $LOGNAME, or the OS's own
 * record of the process's user where none is set, as in a service or container); null when
 * there is no way to tell. The desktop app, the web host and the CLI all use this.
 */
export function defaultActor(): string | null {
  const env = process.env;
  const named = env.OUTCROP_USER || env.USER || env.USERNAME || env.LOGNAME;
  if (named) return named;
  try {
    return userInfo().username || null;
  } catch {
    return null; // no passwd entry for this uid
  }
}

/** SQLite's "attempt to write a readonly database" as a message naming the project. */
function notWritable(err: unknown, name: string): unknown {
  const code = (err as { code?: string }).code;
  return code?.startsWith('SQLITE_READONLY') ? codedError('USAGE', coded('project.notWritable', { file: name }), { file: name }) : err;
}

/** The first read of a file: true for a new (empty) one; a file that is not SQLite, or cannot be read, is refused here. */
function isEmptyDatabase(db: Database.Database, name: string, readonly: boolean): boolean {
  try {
    const row = db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number };
    return row.n === 0;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw codedError('NOT_A_PROJECT', coded('project.cannotOpen', { file: name, detail: 'not an SQLite database' }), { file: name });
    if (readonly && (code?.startsWith('SQLITE_READONLY') || code?.startsWith('SQLITE_CANTOPEN'))) {
      // A WAL project needs its -shm file beside it, even to be read: a read-only folder has none.
      throw codedError('USAGE', coded('project.readOnlyFolder', { file: name }), { file: name });
    }
    throw notWritable(err, name);
  }
}

function checkIsOutcropProject(db: Database.Database, name: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name),
  );
  if (appId !== GPKG_APPLICATION_ID || !tables.has('gpkg_contents')) {
    throw codedError('NOT_A_PROJECT', coded('project.notGeoPackage', { file: name }));
  }
  if (!tables.has('outcrop_meta') || !tables.has('deposits') || !tables.has('surveys')) {
    throw codedError('NOT_A_PROJECT', coded('project.notOutcrop', { file: name }));
  }
}
