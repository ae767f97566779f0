import type { Project } from './project';

export interface Count {
  key: string | null;
  count: number;
}

export interface ProjectStats {
  layers: { deposits: number; surveys: number };
  byCommodity: Count[];
  byCountry: Count[];
  byStatus: Count[];
  surveysByAgency: Count[];
  depositsByAgency: Count[];
  surveysByCountry: Count[];
  surveysByTeam: Count[];
}

/** Counts per layer, main commodity, country, status and survey agency (largest first). */
export function projectStats(project: Project): ProjectStats {
  const db = project.db;
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const groups = (sql: string) => db.prepare(sql).all() as Count[];
  // Split the ';'-joined code lists with a recursive CTE so each main commodity counts once.
  const byCommodity = groups(`
    WITH RECURSIVE split(rest, code) AS (
      SELECT commodities_main || ';', NULL FROM deposits WHERE commodities_main IS NOT NULL
      UNION ALL
      SELECT substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1) FROM split WHERE rest != ''
    )
    SELECT code AS key, count(*) AS count FROM split WHERE code IS NOT NULL GROUP BY code
    UNION ALL
    SELECT NULL, count(*) FROM deposits WHERE commodities_main IS NULL HAVING count(*) > 0
    ORDER BY count DESC, key`);
  return {
    layers: { deposits: n('SELECT count(*) n FROM deposits'), surveys: n('SELECT count(*) n FROM surveys') },
    byCommodity,
    byCountry: groups('SELECT country AS key, count(*) AS count FROM deposits GROUP BY country ORDER BY count DESC, key'),
    byStatus: groups('SELECT status AS key, count(*) AS count FROM deposits GROUP BY status ORDER BY count DESC, key'),
    surveysByAgency: groups('SELECT agency AS key, count(*) AS count FROM surveys GROUP BY agency ORDER BY count DESC, key'),
    depositsByAgency: groups('SELECT agency AS key, count(*) AS count FROM deposits GROUP BY agency ORDER BY count DESC, key'),
    surveysByCountry: groups('SELECT country AS key, count(*) AS count FROM surveys GROUP BY country ORDER BY count DESC, key'),
    surveysByTeam: groups('SELECT team AS key, count(*) AS count FROM surveys GROUP BY team ORDER BY count DESC, key'),
  };
}
