import type { Project } from '../store/project';

/** Who a project's changes come from: shown beside every record and conflict from them. */
export interface Identity {
  team?: string | null;
  agency?: string | null;
  country?: string | null;
  observer?: string | null;
  device?: string | null;
}

export function replicaId(project: Project): string {
  return (project.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_id'`).pluck().get() as string | undefined) ?? '';
}

export function projectIdentity(project: Project): Identity {
  return project.getSetting<Identity>('identity') ?? {};
}
