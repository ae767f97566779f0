import { type VocabKind, vocabLabel } from '../model/vocab';
import type { Layer } from '../store/columns';

/** Coded properties per layer and the vocabulary each uses. */
const CODED: Record<Layer, Record<string, VocabKind>> = {
  deposits: {
    commodities_main: 'commodity',
    commodities_secondary: 'commodity',
    commodities_trace: 'commodity',
    deposit_type: 'depositType',
    status: 'devStatus',
  },
  surveys: { methods: 'surveyMethod', status: 'surveyStatus' },
};

/**
 * Properties with vocabulary codes replaced by their English or Japanese labels, for partners
 * who read the file directly ("リチウム" rather than "Li"). Imports accept labels in either
 * language, so a labelled export still round-trips.
 */
export function withLabels(layer: Layer, props: Record<string, unknown>, lang: 'en' | 'ja'): Record<string, unknown> {
  const out = { ...props };
  for (const [key, kind] of Object.entries(CODED[layer])) {
    const v = out[key];
    if (Array.isArray(v)) out[key] = v.map((c) => vocabLabel(kind, String(c), lang));
    else if (typeof v === 'string' && v) out[key] = vocabLabel(kind, v, lang);
  }
  return out;
}
