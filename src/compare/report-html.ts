import type { Comparison, SiteContext } from './compare-sites';
import type { SiteScore } from './scoring';
import { siteMapShapes } from './site-map';
import { CRITERIA } from './weights';

/**
 * A self-contained HTML report of a comparison: no external URL of any kind (inline CSS,
 * inline SVG maps, no scripts), so it opens offline and can be mailed as one file. Every
 * string from the data goes through `esc`.
 */
export function comparisonToHtml(c: Comparison, opts: { title?: string; project?: string; generatedAt?: string } = {}): string {
  const title = opts.title ?? 'Site comparison';
  const order = c.scores.map((s, i) => ({ s, i })).sort((a, b) => a.s.rank - b.s.rank || a.s.name.localeCompare(b.s.name));
  const at = opts.generatedAt ?? new Date().toISOString();
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}.ex{color:#a00}.ok{color:#070}
.site{display:flex;gap:1.5em;align-items:flex-start;border-top:1px solid #ddd;padding-top:1em}svg{border:1px solid #bbb;background:#fbfbf8;flex:none}
.muted{color:#666}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="muted">${opts.project ? `Project ${esc(opts.project)} · ` : ''}generated ${esc(at)} · radius ${num(c.radiusKm)} km · ${c.scores.length} sites</p>
<p class="layers">Infrastructure layer: <b>${esc(c.infrastructureLabel ?? 'none (not assessed)')}</b> · Exclusion zones: <b>${esc(c.exclusionsLabel ?? 'none (not assessed)')}</b>${
    c.exclusionsLabel ? ` (${c.weights.exclusionMode === 'hard' ? 'hard constraint' : 'penalty'})` : ''
  }</p>
<h2>Ranking</h2>
<table><tr><th>Rank</th><th>Site</th><th>Score</th><th>Rank under ±20 % weights</th><th>Rank under ±20 % commodity priorities</th><th>Note</th></tr>
${order
  .map(({ s, i }) => {
    const sens = c.sensitivity.sites[i];
    const cs = c.commoditySensitivity.sites[i];
    return `<tr><td class="n">${s.rank}</td><td>${esc(s.name)}</td><td class="n">${num(s.score, 4)}</td><td>${
      sens.stable ? '<span class="ok">stable</span>' : `${sens.minRank}–${sens.maxRank} (max change ${sens.maxChange})`
    }</td><td>${cs.stable ? '<span class="ok">stable</span>' : `${cs.minRank}–${cs.maxRank} (max change ${cs.maxChange})`}</td><td>${
      s.excluded ? '<span class="ex">excluded: inside an exclusion zone</span>' : ''
    }</td></tr>`;
  })
  .join('\n')}
</table>
<h2>Method</h2>
<p>Each criterion is computed from the project's data. Its raw value is min–max normalised across the compared sites
(norm = (v − min)/(max − min), reversed where smaller is better, so the best site gets 1 and the worst 0; when all sites
have the same value every site gets 0, so the criterion adds nothing; a value that could not be measured gets 0).
The score is Σ weight × norm. Sites inside an exclusion zone under the hard constraint are ranked after all others.
Sensitivity: each criterion weight is changed by −20 % and +20 % in turn and the sites re-ranked; a site is
<em>stable</em> when its rank never changes. The same is done for each priority-commodity weight that decides some
counted deposit's priority: the deposit criteria are computed again from the same deposits.</p>
<ul>
<li><b>deposits</b>: deposits within ${num(c.radiusKm)} km of a point site (inside a polygon site) that carry a priority commodity, each counted with its highest commodity weight.</li>
<li><b>development</b>: best development status among them (producer 5, past producer 4, plant 3, prospect 2, occurrence 1).</li>
<li><b>resources</b>: their reported tonnage (Mt) weighted by commodity priority.</li>
<li><b>infrastructure</b>: great-circle km to the nearest ${esc(c.infrastructureLabel ?? 'infrastructure feature (not given: not assessed)')}; smaller is better.</li>
<li><b>coverage</b>: fraction of the site (point site: its ${num(c.radiusKm)} km circle) inside surveyed areas — confidence in the data.</li>
<li><b>exclusion</b>: fraction of the site inside the exclusion zones of ${esc(c.exclusionsLabel ?? '(none given: not assessed)')} (mode: ${esc(c.weights.exclusionMode)}); smaller is better.</li>
<li><b>permitting</b>: permit stage, none 0 … operating 5.</li>
</ul>
<h3>Weights</h3>
<table><tr>${CRITERIA.map((k) => `<th>${k}</th>`).join('')}</tr><tr>${CRITERIA.map((k) => `<td class="n">${num(c.weights.criteria[k], 3)}</td>`).join('')}</tr></table>
<p class="muted">Commodity priorities: ${Object.entries(c.weights.commodities)
    .map(([k, v]) => `${esc(k)} ${num(v, 2)}`)
    .join(', ')}; other critical commodities ${num(c.weights.otherCritical, 2)}.</p>
<h2>Criteria</h2>`);
  for (const key of CRITERIA) {
    parts.push(`<h3>${key}</h3><table><tr><th>Site</th><th>Raw</th><th>Unit</th><th>Normalised</th><th>Weight</th><th>Contribution</th><th>Explanation</th></tr>`);
    for (const { s } of order) {
      const k = s.criteria.find((x) => x.key === key);
      if (!k) continue;
      parts.push(
        `<tr><td>${esc(s.name)}</td><td class="n">${k.raw === null ? '—' : num(k.raw, 4)}</td><td>${esc(k.unit)}</td><td class="n">${num(k.normalised, 4)}</td><td class="n">${num(k.weight, 3)}</td><td class="n">${num(k.contribution, 4)}</td><td>${esc(k.explanation)}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  parts.push('<h2>Sensitivity (±20 % per weight)</h2><table><tr><th>Weight changed</th>');
  for (const { s } of order) parts.push(`<th>${esc(s.name)}</th>`);
  parts.push('</tr>');
  parts.push(`<tr><td>baseline</td>${order.map(({ s }) => `<td class="n">${s.rank}</td>`).join('')}</tr>`);
  for (const v of c.sensitivity.variations) {
    parts.push(
      `<tr><td>${v.criterion} × ${v.factor}</td>${order
        .map(({ s, i }) => `<td class="n${v.ranks[i] !== s.rank ? ' ex' : ''}">${v.ranks[i]}</td>`)
        .join('')}</tr>`,
    );
  }
  parts.push('</table>');
  parts.push('<h2>Sensitivity to commodity priorities (±20 % per commodity weight)</h2>');
  if (!c.commoditySensitivity.variations.length) parts.push('<p class="muted">No counted deposit carries a weighted priority commodity: nothing to vary.</p>');
  else {
    parts.push('<table><tr><th>Commodity weight changed</th>');
    for (const { s } of order) parts.push(`<th>${esc(s.name)}</th>`);
    parts.push('</tr>');
    parts.push(`<tr><td>baseline</td>${order.map(({ s }) => `<td class="n">${s.rank}</td>`).join('')}</tr>`);
    for (const v of c.commoditySensitivity.variations) {
      const w = v.commodity === 'otherCritical' ? c.weights.otherCritical : c.weights.commodities[v.commodity];
      parts.push(
        `<tr><td>${esc(v.commodity === 'otherCritical' ? 'other critical' : v.commodity)} ${num(w, 2)} × ${v.factor}</td>${order
          .map(({ s, i }) => `<td class="n${v.ranks[i] !== s.rank ? ' ex' : ''}">${v.ranks[i]}</td>`)
          .join('')}</tr>`,
      );
    }
    parts.push('</table>');
  }
  parts.push('<h2>Sites</h2>');
  for (const { s, i } of order) parts.push(siteSection(s, c.contexts[i]));
  parts.push(`<p class="muted">Maps: local equirectangular projection centred on each site (north up). Green: surveyed; red: exclusion zones;
dots: deposits (dark = priority commodity); dashed: the area assessed.</p></body></html>\n`);
  return parts.join('\n');
}

function siteSection(s: SiteScore, ctx: SiteContext): string {
  const site = ctx.site;
  const rows = [
    ['Roles', (site.roles ?? []).join(', ') || '—'],
    ['Target commodities', (site.targetCommodities ?? []).join(', ') || '—'],
    ['Permit stage', site.permitStage ?? '—'],
    ['Deposits counted', `${ctx.deposits.length} (${ctx.priorities.filter((p) => p > 0).length} priority)`],
  ];
  const top = ctx.deposits
    .filter((_, i) => ctx.priorities[i] > 0)
    .slice(0, 10)
    .map((d) => `<li>${esc(d.name)} — ${esc(d.commodities.join(', '))}${d.status ? `, ${esc(d.status)}` : ''}, ${num(d.distanceKm, 1)} km</li>`)
    .join('');
  return `<div class="site">${siteMap(ctx)}<div><h3>${s.rank}. ${esc(s.name)}${s.excluded ? ' <span class="ex">(excluded)</span>' : ''}</h3>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${top ? `<p>Nearest priority deposits:</p><ul>${top}</ul>` : ''}</div></div>`;
}

/** Inline SVG map: local equirectangular projection centred on the site's assessed area (the shapes: site-map.ts). */
export function siteMap(ctx: SiteContext): string {
  const m = siteMapShapes(ctx);
  const out: string[] = [`<svg width="${m.size}" height="${m.size}" viewBox="0 0 ${m.size} ${m.size}" role="img" aria-label="map of ${esc(ctx.site.name)}">`];
  const site: string[] = [];
  for (const p of m.paths) {
    if (p.kind === 'exclusion') out.push(`<path d="${p.d}" fill="#e33" fill-opacity="0.25" stroke="#c00" fill-rule="evenodd"><title>${esc(p.title)}</title></path>`);
    else if (p.kind === 'covered') out.push(`<path d="${p.d}" fill="#3a3" fill-opacity="0.25" stroke="none" fill-rule="evenodd"/>`);
    else if (p.kind === 'assessed') out.push(`<path d="${p.d}" fill="none" stroke="#555" stroke-dasharray="4 3"/>`);
    else site.push(m.point ? `<path d="${p.d}" stroke="#000" stroke-width="2.5"/>` : `<path d="${p.d}" fill="#000" fill-opacity="0.08" stroke="#000" stroke-width="2"/>`);
  }
  for (const d of m.dots) {
    out.push(`<circle cx="${d.x.toFixed(1)}" cy="${d.y.toFixed(1)}" r="${d.priority ? 3 : 2}" fill="${d.priority ? '#1a3d8f' : '#9aa'}"><title>${esc(d.name)}</title></circle>`);
  }
  out.push(...site, '</svg>');
  return out.join('');
}

/** Escape text for HTML element content and double-quoted attributes. */
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function num(x: number, d = 2): string {
  return Number.isFinite(x) ? String(Math.round(x * 10 ** d) / 10 ** d) : '—';
}
