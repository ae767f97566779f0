import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../../helpers/cli';
import { sharedPath } from '../../helpers/data';
import { defaultActor } from '../../../src/store/project';

const NAMES = ['OUTCROP_USER', 'USER', 'USERNAME', 'LOGNAME'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

function setEnv(values: Partial<Record<(typeof NAMES)[number], string>>) {
  for (const n of NAMES) delete process.env[n];
  Object.assign(process.env, values);
}

describe('who the history records', () => {
  it('is $OUTCROP_USER first, then the login name from the environment, then the OS record of the user', () => {
    setEnv({ OUTCROP_USER: 'field-tablet-3', USER: 'akiko', LOGNAME: 'akiko' });
    expect(defaultActor()).toBe('field-tablet-3');
    setEnv({ USER: 'akiko', LOGNAME: 'root' });
    expect(defaultActor()).toBe('akiko');
    setEnv({ USERNAME: 'Akiko Sato' }); // Windows sets USERNAME, not USER
    expect(defaultActor()).toBe('Akiko Sato');
    setEnv({ LOGNAME: 'cron-user' });
    expect(defaultActor()).toBe('cron-user');
    setEnv({}); // a service or container with none of them set
    expect(defaultActor()).toBe(userInfo().username);
  });

  it('the CLI records the OS user when the environment names none (it recorded nobody)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-actor-'));
    try {
      const project = join(dir, 'p.gpkg');
      const env = { ...process.env };
      for (const n of NAMES) delete env[n];
      const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
      expect(run(['init', project]).status).toBe(0);
      const r = run(['import', project, sharedPath('deposits', 'japan-sites.geojson')]);
      expect(r.stderr).toBe('');
      const db = new Database(project, { readonly: true });
      const ops = db.prepare(`SELECT actor FROM outcrop_ops WHERE kind = 'import'`).all() as { actor: string | null }[];
      const sources = db.prepare('SELECT imported_by FROM outcrop_sources').all() as { imported_by: string | null }[];
      db.close();
      expect(ops).toEqual([{ actor: userInfo().username }]);
      expect(sources).toEqual([{ imported_by: userInfo().username }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
