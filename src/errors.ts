/**
 * Outcrop's error types. Every error carries a stable `code` that the UI and the CLI
 * word their messages from; the message itself names file, feature and field.
 */
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
  /** Plain words a geologist understands: what was expected and what was found. */
  message: string;
}

/** Format a problem as one line: `file: feature 12 (id "dep-7"), line 40: field "x": message`. */
export function formatProblem(p: Problem): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  const where: string[] = [];
  if (p.featureIndex !== undefined) {
    where.push(
      p.featureId !== undefined && p.featureId !== null && p.featureId !== ''
        ? `feature ${p.featureIndex} (id ${JSON.stringify(String(p.featureId))})`
        : `feature ${p.featureIndex}`,
    );
  }
  if (p.line !== undefined) where.push(p.column !== undefined ? `line ${p.line}, column ${p.column}` : `line ${p.line}`);
  if (where.length) parts.push(where.join(', '));
  if (p.field) parts.push(`"${p.field}"`);
  return `${parts.join(': ')}${parts.length ? ': ' : ''}${p.message}`;
}

/** Thrown when validation found problems; `problems` lists every one (capped by the reader). */
export class ValidationError extends OutcropError {
  constructor(
    readonly problems: Problem[],
    summary?: string,
  ) {
    super(
      'VALIDATION',
      summary ??
        (problems.length === 1
          ? formatProblem(problems[0])
          : `${problems.length} problems, first: ${formatProblem(problems[0])}`),
      { problems },
    );
  }
}

/** Thrown when a whole input is unusable (not JSON, binary, wrong root type ...). */
export class BadInputError extends OutcropError {
  constructor(
    message: string,
    readonly problem?: Problem,
  ) {
    super('BAD_INPUT', problem ? formatProblem({ ...problem, message }) : message, problem);
  }
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
