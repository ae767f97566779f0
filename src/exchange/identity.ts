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
 * the exchange log of whoever merges them, the origin of its operations there. Tied to the file
 * (a copy gets its own when first opened for writing: src/store/replica.ts).
 */
export function replicaId(project: Project): string {
  return (project.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_id'`).pluck().get() as string | undefined) ?? '';
}

export function projectIdentity(project: Project): Identity {
  return project.getSetting<Identity>('identity') ?? {};
}
