import { describe, expect, it } from 'vitest';
import { prepareFile, type PreparedFeature } from '../../../src/import/prepare-file';
import { packBatch, packedBuffers, unpackBatch } from '../../../src/import/prepare-protocol';
import { prepareInsert } from '../../../src/store/write-session';
import { DEPOSIT_COLUMNS } from '../../../src/store/columns';
import type { DepositFields } from '../../../src/model/deposit';
import { emptyDepositFields, emptySurveyFields } from '../../../src/model/defaults';
import { hasSharedData, sharedPath } from '../../helpers/data';

// Batches cross from the import worker to the writer as UTF-8 text with a length per value and
// "as above" marks (src/import/prepare-protocol.ts). What arrives must equal what was sent.

/** Where `notes` is among a deposit's INSERT values (geometry first). */
const NOTES = 1 + DEPOSIT_COLUMNS.indexOf('notes');

const defaults = { at: '2026-12-07T00:00:00.000Z', actor: 'tester' };

/** A batch after a real trip between threads: every buffer transferred, the rest cloned. */
function viaMessage(items: PreparedFeature[]): PreparedFeature[] {
  // Deep copies first: packBatch must not be allowed to lean on the sender's objects.
  const sent = structuredClone(items).map((it) =>
    it.ok ? { ...it, insert: { ...it.insert, values: it.insert.values.map((v, k) => (k === 0 ? Buffer.from(v as Uint8Array) : v)) } } : it,
  );
  const packed = packBatch(sent);
  const arrived = structuredClone(packed, { transfer: packedBuffers(packed) });
  return unpackBatch(arrived);
}

/**
 * Blobs compared by content: a transferred blob is a Buffer over the batch's memory, a cloned
 * row's arrives as a Uint8Array (which better-sqlite3 binds alike).
 */
function plain(items: PreparedFeature[]): unknown {
  return items.map((it) => (it.ok ? { ...it, insert: { ...it.insert, values: it.insert.values.map((v) => (v instanceof Uint8Array ? [...v] : v)) } } : it));
}

function deposit(name: string, extra: Partial<DepositFields> = {}, id?: string): PreparedFeature {
  const fields: DepositFields = { ...emptyDepositFields(name), ...extra };
  return { ok: true, insert: prepareInsert('deposits', fields, { type: 'Point', coordinates: [138.7, 35.36] }, id, undefined, defaults) };
}

describe('import batches between threads', () => {
  it('carries text exactly: Japanese, emoji, hostile strings, long non-ASCII text, empty strings apart from null', () => {
    const items = [
      deposit('菱刈鉱山', { nameRomaji: 'Hishikari', notes: '' }),
      deposit('菱刈鉱山', { nameRomaji: 'Hishikari', notes: '⛏️ 金 (Au) 🇯🇵' }),
      deposit('<script>alert(1)</script>', { notes: "'; DROP TABLE deposits; --" }),
      deposit('x'.repeat(70_000) + 'é'.repeat(70_000)), // longer than any guess from the ASCII length
    ];
    const back = viaMessage(items);
    expect(plain(back)).toEqual(plain(items));
    // "" and null stay apart, and a value repeated from the row above is the same text.
    const notes = (list: PreparedFeature[]) => list.map((it) => (it.ok ? it.insert.values[NOTES] : undefined));
    expect(notes(items).slice(0, 3)).toEqual(['', '⛏️ 金 (Au) 🇯🇵', "'; DROP TABLE deposits; --"]);
    expect(notes(back)).toEqual(notes(items));
    expect(back[3].ok && back[3].insert.values[NOTES]).toBeNull();
  });

  it('keeps a byte order mark at the start of the batch text (a decoder drops it by default)', () => {
    // The first text of a batch is a row's id today, never a BOM; whatever comes first, it must
    // arrive as sent, and the values after it must not shift.
    const first = deposit('a', { notes: 'n1' });
    if (!first.ok) throw new Error('unreachable');
    first.insert.values[1] = first.insert.id = '\uFEFFfirst'; // the id is values[1]
    const items = [first, deposit('\uFEFF', { notes: '\uFEFFn2' })];
    expect(plain(viaMessage(items))).toEqual(plain(items));
  });

  it('keeps "as above" per layer when deposits and surveys alternate, and sends odd rows whole', () => {
    const survey = (name: string): PreparedFeature => ({
      ok: true,
      insert: prepareInsert(
        'surveys',
        { ...emptySurveyFields(name), agency: 'GSJ', country: 'Japan' },
        { type: 'Polygon', coordinates: [[[138, 35], [139, 35], [139, 36], [138, 35]]] },
        undefined,
        undefined,
        defaults,
      ),
    });
    const numeric = deposit('numeric value');
    if (numeric.ok) numeric.insert.values[5] = 42; // not text: this row must travel by structured clone
    const rejected: PreparedFeature = {
      ok: false,
      raw: { index: 7, geometry: { type: 'Point', coordinates: [999, 0] }, properties: { name: 'bad' } } as never,
      problems: [{ featureIndex: 7, field: 'geometry', message: 'longitude 999 is outside −180..180' } as never],
    };
    const items = [deposit('a'), survey('s1'), deposit('a'), survey('s1'), numeric, rejected, deposit('b', {}, '0192f0c4-1f6e-7c3a-9a51-2b6a3c4d5e6f'), survey('s2')];
    const back = viaMessage(items);
    expect(plain(back)).toEqual(plain(items));
    expect(back[4].ok && back[4].insert.values[5]).toBe(42);
    expect(back.map((it) => it.ok && it.insert.minted)).toEqual([true, true, true, true, true, false, false, true]);
  });

  it.skipIf(!hasSharedData)('carries every batch of a real file unchanged (USGS major deposits)', async () => {
    for await (const batch of prepareFile(sharedPath('deposits', 'usgs-major-deposits-world.geojson'), {}, defaults, new Map())) {
      expect(plain(viaMessage(batch))).toEqual(plain(batch));
    }
  });
});
