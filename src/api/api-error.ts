import { asCancelled, BadInputError, environmentError, errorKey, OutcropError, ValidationError } from '../errors';
import type { ApiError } from './contract';

/**
 * An error as the API returns it: code, the core's English message, and (when the core coded
 * it) the message's key and params, so the UI words it in its language; a validation's problems
 * (at most 1000) and a refused input's one coded problem ride along. Calls and jobs alike.
 */
export function toApiError(err: unknown): ApiError {
  err = environmentError(err) ?? err;
  const c = asCancelled(err);
  if (c) return { code: 'CANCELLED', message: c.message };
  if (err instanceof ValidationError) return { code: 'VALIDATION', message: err.message, ...errorKey(err), problems: err.problems.slice(0, 1000) };
  if (err instanceof OutcropError) {
    const keyed = errorKey(err);
    const problem = err instanceof BadInputError && err.problem?.code ? { problems: [err.problem] } : {};
    return { code: err.code, message: err.message, ...keyed, ...problem };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
