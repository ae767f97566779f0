import { randomUUID } from 'node:crypto';

declare const brand: unique symbol;
export type Branded<T, B extends string> = T & { readonly [brand]: B };
export type DepositId = Branded<string, 'DepositId'>;
export type SurveyId = Branded<string, 'SurveyId'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newId<T extends DepositId | SurveyId>(): T {
  return randomUUID() as T;
}

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}
