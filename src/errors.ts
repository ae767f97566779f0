/**
 * Outcrop's error types. Every error carries a stable `code` that the UI and the CLI
 * word their messages from; the message itself names file, feature and field.
 */
import { coded, PLACE_EN, problemLineWith } from './messages/en';

export type ErrorCode =
  | 'BAD_INPUT' // malformed file, wrong structure, unusable as a whole
  | 'VALIDATION' // one or more features/records failed validation
  | 'NOT_FOUND'
  | 'SCHEMA_TOO_NEW' // project made by a newer Outcrop
  | 'NOT_A_PROJECT' // file is not an Outcrop GeoPackage
  | 'CANCELLED'
  | 'USAGE'
  | 'INTERNAL';

export class OutcropError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: object,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem found in one feature (or in the file as a whole when featureIndex is undefined). */
export interface Problem {
  /** File name as the user gave it (basename is enough for messages). */
  file?: string;
  /** 0-based index of the feature in the file (CSV: data row index, not counting the header). */
  featureIndex?: number;
  /** The feature's own id, when it has one. */
  featureId?: string | number;
  /** Property/field name, or a coordinate path such as "geometry.coordinates[0][3]". */
  field?: string;
  /** 1-based line and column in the source text, when known. */
  line?: number;
  column?: number;
  /** Plain words a geologist understands: what was expected and what was found (English). */
  message: string;
  /** Stable key of the message (src/messages/en.ts), for the UI to word it in the user's language. */
  code?: string;
  /** The message's parameters, inserted verbatim into its template. */
  params?: Record<string, string | number>;
}

/** Format a problem as one line: `file: feature 12 (id "dep-7"), line 40: field "x": message`. */
export function formatProblem(p: Problem): string {
  return problemLineWith(PLACE_EN, p, p.message);
}

/** Thrown when validation found problems; `problems` lists every one (capped by the reader). */
export class ValidationError extends OutcropError {
  /** `summary` may be coded (`coded(...)`): its key and params then ride in `details`. */
  constructor(
    readonly problems: Problem[],
    summary?: string | { code: string; params: Record<string, string | number>; message: string },
  ) {
    super(
      'VALIDATION',
      (typeof summary === 'string' ? summary : summary?.message) ??
        (problems.length === 1
          ? formatProblem(problems[0])
          : `${problems.length} problems, first: ${formatProblem(problems[0])}`),
      typeof summary === 'object' ? { problems, key: summary.code, params: summary.params } : { problems },
    );
  }
}

/**
 * Thrown when a whole input is unusable (not JSON, binary, wrong root type ...). The message may
 * be coded (`coded(...)` from ./messages/en) so the UI can word it; its key and params then ride
 * in `details` (as `key`/`params`, beside the problem's fields).
 */
export class BadInputError extends OutcropError {
  readonly problem?: Problem;
  constructor(message: string | { code: string; params: Record<string, string | number>; message: string }, problem?: Problem) {
    const text = typeof message === 'string' ? message : message.message;
    const keyed = typeof message === 'string' ? {} : { key: message.code, params: message.params };
    super('BAD_INPUT', problem ? formatProblem({ ...problem, message: text }) : text, problem || typeof message !== 'string' ? { ...problem, ...keyed } : undefined);
    if (problem) this.problem = typeof message === 'string' ? problem : { ...problem, message: text, code: message.code, params: message.params };
  }
}

/** An OutcropError whose message is coded (`coded(...)`): key and params go into `details`. */
export function codedError(code: ErrorCode, msg: { code: string; params: Record<string, string | number>; message: string }, details?: object): OutcropError {
  return new OutcropError(code, msg.message, { ...details, key: msg.code, params: msg.params });
}

/**
 * A BadInputError refusing a whole input for one problem (`file: feature 3: message`), keeping
 * the problem's code so the UI words it (and its place) in the user's language.
 */
export function problemError(p: Problem): BadInputError {
  return p.code ? new BadInputError({ code: p.code, params: p.params ?? {}, message: p.message }, p) : new BadInputError(p.message, p);
}

/** The message key and params an error carries in `details` (see BadInputError), if any. */
export function errorKey(err: OutcropError): { key: string; params: Record<string, string | number> } | undefined {
  const d = err.details as { key?: unknown; params?: unknown } | undefined;
  if (!d || typeof d.key !== 'string') return undefined;
  return { key: d.key, params: d.params && typeof d.params === 'object' ? (d.params as Record<string, string | number>) : {} };
}

export class CancelledError extends OutcropError {
  constructor(message = 'Cancelled') {
    super('CANCELLED', message);
  }
}

/** Normalise an abort (DOMException AbortError or our CancelledError) into CancelledError. */
export function asCancelled(err: unknown): CancelledError | undefined {
  if (err instanceof CancelledError) return err;
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'AbortError') {
    return new CancelledError();
  }
  return undefined;
}

/**
 * An error of the machine rather than of Outcrop, as a coded error the user can act on: another
 * program holding the project's write lock past the wait (SQLITE_BUSY/LOCKED), a full disk
 * (SQLITE_FULL, ENOSPC, EDQUOT) or a disk that failed a write (SQLITE_IOERR). Undefined for
 * anything else. The write that met it was rolled back, and an output never half written.
 */
export function environmentError(err: unknown): OutcropError | undefined {
  if (err instanceof OutcropError || !err || typeof err !== 'object') return undefined;
  const code = String((err as { code?: unknown }).code ?? '');
  const detail = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return codedError('USAGE', coded('project.locked'));
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return codedError('USAGE', coded('disk.full', { detail }));
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return codedError('USAGE', coded('disk.ioError', { detail }));
  return undefined;
}
