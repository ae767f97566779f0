/**
 * The user's field mapping of an import: which source field fills which Outcrop field. Applied
 * to each feature's properties before the model mapping (src/model/mapping.ts) runs, so a
 * mapped field is read exactly as if the source had used Outcrop's own column name. Nothing is
 * dropped: a field mapped to "extra" is kept verbatim under its own name, and a source field
 * pushed aside by a mapping (it already had the target's name) is kept in `extra` too.
 */
import { DEPOSIT_PROPERTY_ALIASES, normalizePropertyName, SURVEY_PROPERTY_ALIASES } from '../model/mapping';
import type { Layer } from '../store/columns';
import { BadInputError } from '../errors';
import { coded } from '../messages/en';

/** Source field name → Outcrop field (snake_case, e.g. "commodities_main"), or null = keep in `extra`. */
export type FieldMap = Record<string, string | null>;

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The Outcrop fields a source field can be mapped onto, per layer, in form order. */
export const FIELD_TARGETS: Record<Layer, readonly string[]> = {
  deposits: Object.keys(DEPOSIT_PROPERTY_ALIASES).map(snake),
  surveys: Object.keys(SURVEY_PROPERTY_ALIASES).map(snake),
};

/**
 * The Outcrop field a source field fills when the user maps nothing: its own name, or the first
 * field whose aliases list it (the rules of src/model/mapping.ts); null = it goes to `extra`.
 */
export function autoTarget(layer: Layer, sourceField: string): string | null {
  const n = normalizePropertyName(sourceField);
  const aliases: Record<string, readonly string[]> = layer === 'deposits' ? DEPOSIT_PROPERTY_ALIASES : SURVEY_PROPERTY_ALIASES;
  // deposit_type is both a code column and the verbatim text's alias: the text is what a source means.
  for (const [field, list] of Object.entries(aliases)) if (field !== 'depositType' && (list as readonly string[]).includes(n)) return snake(field);
  return null;
}

/** Refuse a mapping onto something that is not a field of the layer (a typo must not silently stash data). */
export function checkFieldMap(layer: Layer | undefined, map: FieldMap, file: string): void {
  // Without a layer (points and polygons routed by geometry), either layer's fields will do.
  const targets = new Set(layer ? FIELD_TARGETS[layer] : [...FIELD_TARGETS.deposits, ...FIELD_TARGETS.surveys]);
  const bad = Object.entries(map).filter(([, t]) => t !== null && !targets.has(t));
  if (bad.length) {
    const code = layer === 'deposits' ? 'import.mapNotDepositField' : layer === 'surveys' ? 'import.mapNotSurveyField' : 'import.mapNotField';
    throw new BadInputError(coded(code, { file, pairs: bad.map(([s, t]) => `"${s}" → "${t}"`).join(', '), targets: [...targets].join(', ') }));
  }
  const seen = new Map<string, string>();
  for (const [s, t] of Object.entries(map)) {
    if (t === null) continue;
    const other = seen.get(t);
    if (other) throw new BadInputError(coded('import.mapTwice', { file, first: other, second: s, target: t }));
    seen.set(t, s);
  }
}

/** The feature's properties with the mapping applied (a new object; the input is not changed). */
export function applyFieldMap(props: Record<string, unknown>, map: FieldMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const mappedTargets = new Set(Object.values(map).filter((t): t is string => t !== null));
  const put = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(props)) {
    if (Object.hasOwn(map, k)) continue;
    // A field that is not mapped but carries a mapped target's name would compete with it.
    if (mappedTargets.has(normalizePropertyName(k))) put(extra, k, v);
    else put(out, k, v);
  }
  for (const [source, target] of Object.entries(map)) {
    if (!Object.hasOwn(props, source)) continue;
    if (target === null) put(extra, source, props[source]);
    else put(out, target, props[source]);
  }
  if (Object.keys(extra).length) {
    const prior = out.extra;
    put(out, 'extra', prior && typeof prior === 'object' && !Array.isArray(prior) ? { ...(prior as object), ...extra } : prior === undefined ? extra : { ...extra, extra: prior });
  }
  return out;
}
