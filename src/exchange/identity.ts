import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Project } from '../store/project';

/** Who a project's changes come from: shown beside every record and conflict from them. */
export interface Identity {
  team?: string | null;
  agency?: string | null;
  country?: string | null;
  observer?: string | null;
  device?: string | null;
}

/**
 * The id this project file exchanges under: the `origin` of the packages it sends, the peer in
 * the exchange log of whoever merges them, the origin of its operations there.
 *
 * A copy of a project file (how a project is usually given to another team) carries the
 * original's `replica_id`, so the id is tied to the file it was minted for: its device and inode,
 * kept beside it as `replica_file`. When the project is used for writing as another file — a
 * copy, or a file restored from a backup or moved to another disk — it gets a fresh id (earlier
 * ones are kept in `replica_previous`); a rename or a move on the same disk keeps it. Nothing
 * depends on the id staying the same: merges go by feature versions (UUIDs), "since the last
 * package" by this file's own log of what it sent. Read-only: the stored id as it is.
 */
export function replicaId(project: Project): string {
  const get = (key: string) => project.db.prepare(`SELECT value FROM outcrop_meta WHERE key = ?`).pluck().get(key) as string | undefined;
  const id = get('replica_id') ?? '';
  const here = project.readonly ? null : fileIdentity(project.file);
  if (!here || (id && get('replica_file') === here)) return id;
  const next = randomUUID();
  const previous = [...JSON.parse(get('replica_previous') ?? '[]'), ...(id ? [id] : [])];
  const set = project.db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  project.db.transaction(() => {
    set.run('replica_id', next);
    set.run('replica_file', here);
    set.run('replica_previous', JSON.stringify(previous));
  })();
  return next;
}

/** Device and inode of a file (a copy has another inode); null where the file system has none. */
function fileIdentity(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return s.ino ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

export function projectIdentity(project: Project): Identity {
  return project.getSetting<Identity>('identity') ?? {};
}
