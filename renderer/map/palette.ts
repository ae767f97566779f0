/**
 * Deposit colours by main commodity: a fixed palette for the critical minerals the joint US–Japan
 * mapping is about; everything else is grey. Colours are distinct for the common forms of
 * colour blindness as far as nine classes allow (after the Okabe–Ito set, extended).
 */
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import { COMMODITIES } from '../../src/model/vocab';

export interface PaletteClass {
  /** Legend key: a commodity code, or a group code standing for its members. */
  key: string;
  color: string;
  /** Commodity codes drawn in this colour. */
  codes: readonly string[];
}

const REE_CODES = ['REE', ...COMMODITIES.filter((c) => (c as { group?: string }).group === 'REE').map((c) => c.code)];
const PGE_CODES = ['PGE', ...COMMODITIES.filter((c) => (c as { group?: string }).group === 'PGE').map((c) => c.code)];

export const PALETTE: readonly PaletteClass[] = [
  { key: 'Li', color: '#e0218a', codes: ['Li'] },
  { key: 'Co', color: '#0b4fd6', codes: ['Co'] },
  { key: 'Ni', color: '#009e73', codes: ['Ni'] },
  { key: 'Cu', color: '#e66a00', codes: ['Cu'] },
  { key: 'REE', color: '#7b2fbe', codes: REE_CODES },
  { key: 'graphite', color: '#1a1a1a', codes: ['graphite'] },
  { key: 'PGE', color: '#00a0c8', codes: PGE_CODES },
  { key: 'W', color: '#b58900', codes: ['W'] },
  { key: 'Mn', color: '#8c4a2f', codes: ['Mn'] },
];

export const OTHER_COLOR = '#8d939c';

/** The colour of a main commodity code (e.g. 'Nd' → the REE purple). */
export function commodityColor(code: string | null | undefined): string {
  if (!code) return OTHER_COLOR;
  return PALETTE.find((p) => p.codes.includes(code))?.color ?? OTHER_COLOR;
}

/** A MapLibre `match` on the tile property `commodity` giving the palette colour. */
export function commodityColorExpression(property = 'commodity'): ExpressionSpecification {
  const pairs: (string | string[])[] = [];
  for (const p of PALETTE) pairs.push([...p.codes], p.color);
  return ['match', ['coalesce', ['get', property], ''], ...pairs, OTHER_COLOR] as unknown as ExpressionSpecification;
}
