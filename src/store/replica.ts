import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** How many earlier replica ids a file remembers (`replica_previous`). */
const PREVIOUS_KEPT = 50;

/**
 * The replica id a project file exchanges under (`outcrop_meta.replica_id`: the `origin` of the
 * packages it sends and of its operations elsewhere) belongs to the file it was minted for,
 * recorded beside it as `replica_file` (inode and creation time). A copy of the file (how a
 * project is usually handed to another team) would otherwise carry the original's id; so when
 * a project is opened for writing as another file, it gets a fresh id and keeps the earlier
 * ones in `replica_previous`. A rename keeps the inode, so the id; a copy, a restore from backup
 * or a sync tool that replaces the file gets a new one. Nothing depends on the id staying the
 * same (merges go by feature versions, "since the last package" by the file's own log), so a
 * new id costs only a new name in the other side's exchange log.
 *
 * Run by Project.open on a writable connection before anything else uses it, so the claim is
 * never part of another operation's transaction.
 */
export function claimReplica(db: Database.Database, file: string, fresh: boolean): void {
  const here = fileIdentity(file);
  if (!here) return;
  const get = (key: string) => db.prepare(`SELECT value FROM outcrop_meta WHERE key = ?`).pluck().get(key) as string | undefined;
  const id = get('replica_id');
  const recorded = get('replica_file');
  if (id && recorded === here) return;
  const set = db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  db.transaction(() => {
    // A new project keeps the id its migration minted; any other file may be a copy (also one
    // made before files recorded theirs): a fresh id.
    if (!(fresh && id)) {
      const previous = [...(JSON.parse(get('replica_previous') ?? '[]') as string[]), ...(id ? [id] : [])].slice(-PREVIOUS_KEPT);
      set.run('replica_id', randomUUID());
      set.run('replica_previous', JSON.stringify(previous));
    }
    set.run('replica_file', here);
  }).immediate();
}

/** Inode and creation time of a file (a copy has others; a rename keeps both); null where the file system has no inodes. */
function fileIdentity(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    if (!s.ino) return null;
    // The device number is left out: removable disks and network mounts get a new one per mount.
    return s.birthtimeNs > 0n ? `${s.ino}:${s.birthtimeNs}` : `${s.ino}`;
  } catch {
    return null;
  }
}
