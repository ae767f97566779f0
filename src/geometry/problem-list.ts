import type { Problem } from '../errors';
import { coded, type ProblemCode, type ProblemParams } from '../messages/en';

/** Where a geometry comes from, copied onto every problem found in it. */
export interface GeometryContext {
  file?: string;
  featureIndex?: number;
  featureId?: string | number;
}

/**
 * Problems of one geometry. A broken geometry can have thousands of bad positions; listing
 * them all drowns the useful first few, so each kind is capped and the rest summarised.
 */
export class ProblemList {
  readonly items: Problem[] = [];
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly ctx: GeometryContext,
    private readonly capPerKind = 10,
  ) {}

  /** Problems found so far, counting those beyond the cap. */
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** Add a problem; `kind` groups problems for the cap (e.g. "position", "crossing"). */
  add(kind: string, field: string, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= this.capPerKind) this.items.push(this.problem(field, message));
  }

  /** Add a coded problem (src/messages/en.ts); `kind` groups problems for the cap. */
  addCoded(kind: string, field: string, code: ProblemCode, params: ProblemParams = {}): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= this.capPerKind) this.items.push({ ...this.problem(field, ''), ...coded(code, params) });
  }

  /** Append one summary line per capped kind ("… and 120 more …"). */
  finish(): Problem[] {
    for (const [kind, n] of this.counts) {
      if (n > this.capPerKind) {
        const more = n - this.capPerKind;
        this.items.push(
          { ...this.problem('geometry', ''), ...coded(more === 1 ? 'geometry.oneMoreOfKind' : 'geometry.moreOfKind', { more, kind, cap: this.capPerKind }) },
        );
      }
    }
    return this.items;
  }

  private problem(field: string, message: string): Problem {
    const p: Problem = { field, message };
    if (this.ctx.file !== undefined) p.file = this.ctx.file;
    if (this.ctx.featureIndex !== undefined) p.featureIndex = this.ctx.featureIndex;
    if (this.ctx.featureId !== undefined) p.featureId = this.ctx.featureId;
    return p;
  }
}

/** `[lon, lat]` for messages: at most 6 decimals (~0.1 m), longitude wrapped into −180…180. */
export function formatLonLat(x: number, y: number): string {
  let lon = x;
  while (lon > 180) lon -= 360;
  while (lon < -180) lon += 360;
  return `[${round6(lon)}, ${round6(y)}]`;
}

function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

/** Describe a JSON value's kind in words: "a string", "an object", "null" ... */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  switch (typeof v) {
    case 'string':
      return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return Number.isFinite(v) ? `the number ${v}` : 'a number too large to represent';
    case 'boolean':
      return `${v}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}
