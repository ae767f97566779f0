import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Layer } from '../store/columns';
import { autoTarget } from './field-map';
import { checkFile, detectFormat, type InputFormat, type ReadInputOptions } from './pipeline';

export interface SourceField {
  name: string;
  /** Up to three distinct non-empty values, as text (cut at 60 characters). */
  samples: string[];
  /** How many sampled features have a value. */
  filled: number;
  /** Where it goes when the user maps nothing (src/model/mapping.ts rules); null = extra. */
  auto: string | null;
}

export interface InspectResult {
  file: string;
  format: InputFormat;
  /** The layer the features go to (forced, or by their geometry). */
  layer: Layer;
  /** Features read for the samples. */
  sampled: number;
  fields: SourceField[];
  /** Identifies the source's schema (layer + field names) so a mapping can be remembered for it. */
  signature: string;
}

const SAMPLE_FEATURES = 500;
const SAMPLE_VALUES = 3;

/** A schema's signature: the same fields (in any order) into the same layer → the same mapping. */
export function schemaSignature(layer: Layer, fieldNames: readonly string[]): string {
  return createHash('sha256').update(`${layer}\u0000${[...fieldNames].sort().join('\u0001')}`).digest('hex').slice(0, 16);
}

/**
 * The fields of a source file before it is imported: names, sample values and where each would
 * go, for the field mapping step. Reads at most a few hundred features; writes nothing.
 */
export async function inspectFile(path: string, opts: ReadInputOptions & { sample?: number } = {}): Promise<InspectResult> {
  const format = detectFormat(path, opts.format);
  const fields = new Map<string, { samples: Set<string>; filled: number }>();
  const layers = { deposits: 0, surveys: 0 };
  let sampled = 0;
  for await (const f of checkFile(path, { ...opts, fieldMap: undefined, onProgress: undefined })) {
    sampled++;
    const type = (f.raw.geometry as { type?: string } | null)?.type;
    const layer = f.ok ? f.layer : type === 'Polygon' || type === 'MultiPolygon' ? 'surveys' : 'deposits';
    layers[layer]++;
    for (const [k, v] of Object.entries(f.raw.properties ?? {})) {
      let e = fields.get(k);
      if (!e) fields.set(k, (e = { samples: new Set(), filled: 0 }));
      if (v === null || v === undefined || v === '') continue;
      e.filled++;
      if (e.samples.size < SAMPLE_VALUES) {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        e.samples.add(text.length > 60 ? `${text.slice(0, 59)}…` : text);
      }
    }
    if (sampled >= (opts.sample ?? SAMPLE_FEATURES)) break;
  }
  const layer: Layer = opts.layer ?? (layers.surveys > layers.deposits ? 'surveys' : 'deposits');
  const names = [...fields.keys()];
  return {
    file: basename(path),
    format,
    layer,
    sampled,
    fields: names.map((name) => ({ name, samples: [...fields.get(name)!.samples], filled: fields.get(name)!.filled, auto: autoTarget(layer, name) })),
    signature: schemaSignature(layer, names),
  };
}
