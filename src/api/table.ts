import type { Project } from '../store/project';
import { filterSql } from '../store/read';
import { blobEnvelope } from '../store/gpkg/geometry-blob';
import type { TablePage, TableQuery, TableRow } from './contract';

const SORT_SQL: Record<string, Record<string, string>> = {
  deposits: { name: 'name COLLATE NOCASE', status: 'status', country: 'country', agency: 'agency', kind: 'deposit_type', codes: 'commodities_main', fid: 'fid' },
  surveys: { name: 'name COLLATE NOCASE', status: 'status', country: 'country', agency: 'agency', kind: 'team', codes: 'methods', fid: 'fid' },
};

/**
 * One page of the feature table: filtered, searched and sorted in SQL, so a 100k-row table
 * scrolls by fetching only the visible window (the renderer virtualises the rows).
 */
export function tablePage(project: Project, q: TableQuery): TablePage {
  const { where, params } = filterSql(q.layer, q.filter ?? {});
  if (q.agency?.length) {
    where.push(`agency IN (${q.agency.map(() => '?').join(', ')})`);
    params.push(...q.agency);
  }
  if (q.unlocated) where.push('geom IS NULL');
  if (q.search?.trim()) {
    // instr on lower() is a plain substring match: no LIKE wildcards to escape in user text
    const needle = q.search.trim().toLowerCase();
    const cols = q.layer === 'deposits' ? ['name', 'name_ja', 'name_romaji', 'alt_names', 'source_id'] : ['name', 'team', 'source_id'];
    where.push(`(${cols.map((c) => `instr(lower(coalesce(${c}, '')), ?) > 0`).join(' OR ')})`);
    params.push(...cols.map(() => needle));
  }
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (project.db.prepare(`SELECT count(*) n FROM ${q.layer}${whereSql}`).get(...params) as { n: number }).n;
  const sort = q.sort ? `${SORT_SQL[q.layer][q.sort.column]} ${q.sort.dir === 'desc' ? 'DESC' : 'ASC'}, fid` : 'fid';
  const codeCol = q.layer === 'deposits' ? 'commodities_main' : 'methods';
  const kindCol = q.layer === 'deposits' ? 'deposit_type' : 'team';
  const rows = project.db
    .prepare(
      `SELECT fid, id, name, ${codeCol} AS codes, status, country, agency, ${kindCol} AS kind, geom FROM ${q.layer}${whereSql} ORDER BY ${sort} LIMIT ? OFFSET ?`,
    )
    .all(...params, q.limit, q.offset) as any[];
  return {
    total,
    offset: q.offset,
    rows: rows.map((r): TableRow => {
      const e = r.geom == null ? null : blobEnvelope(r.geom); // NULL: no location (none in its file, or cleared in another program)
      return {
        fid: r.fid,
        id: r.id,
        name: r.name,
        codes: r.codes ? String(r.codes).split(';') : [],
        status: r.status,
        country: r.country,
        agency: r.agency,
        kind: r.kind,
        center: e ? [(e[0] + e[1]) / 2, (e[2] + e[3]) / 2] : null,
      };
    }),
  };
}
