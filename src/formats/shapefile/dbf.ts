/**
 * A dBASE III table reader for Shapefile attributes, decoding text with the platform's
 * TextDecoder (WHATWG encodings: UTF-8, Shift_JIS, windows-1252 …). Layout per the dBASE III
 * file format (header 32 bytes, 32-byte field descriptors ended by 0x0D, fixed-length records
 * each led by a deletion flag). Types: C text, N/F numbers, L logical, D date (YYYYMMDD);
 * anything else is kept as trimmed text.
 */
export interface DbfTable {
  /** Records the header announces. */
  headerCount: number;
  /** Whole records actually present in the bytes (less than headerCount when truncated). */
  presentCount: number;
  fields: Array<{ name: string; type: string; length: number; decimals: number }>;
  /** Properties of record `i` (0-based), or undefined past the end. */
  record(i: number): Record<string, unknown> | undefined;
}

export function readDbf(bytes: Uint8Array, encoding: string): DbfTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 32) throw new Error(`the .dbf is ${bytes.length} bytes, shorter than its 32-byte header`);
  const headerCount = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const decoder = new TextDecoder(encoding);
  const fields: DbfTable['fields'] = [];
  for (let off = 32; off + 32 <= headerLength && bytes[off] !== 0x0d; off += 32) {
    const raw = bytes.subarray(off, off + 11);
    const end = raw.indexOf(0);
    fields.push({
      name: decoder.decode(end < 0 ? raw : raw.subarray(0, end)).trim(),
      type: String.fromCharCode(bytes[off + 11]),
      length: bytes[off + 16],
      decimals: bytes[off + 17],
    });
  }
  const present = recordLength ? Math.max(0, Math.floor((bytes.length - headerLength) / recordLength)) : 0;
  const presentCount = Math.min(headerCount, present);
  return {
    headerCount,
    presentCount,
    fields,
    record(i) {
      if (i < 0 || i >= presentCount) return undefined;
      let off = headerLength + i * recordLength + 1; // skip the deletion flag
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const text = decoder.decode(bytes.subarray(off, off + f.length)).trim();
        off += f.length;
        out[f.name] = valueOf(f.type, text);
      }
      return out;
    },
  };
}

function valueOf(type: string, text: string): unknown {
  switch (type) {
    case 'N':
    case 'F': {
      if (!text || /^\*+$/.test(text)) return null;
      const n = Number(text);
      return Number.isFinite(n) ? n : null;
    }
    case 'L':
      return /^[YyTt]$/.test(text) ? true : /^[NnFf]$/.test(text) ? false : null;
    case 'D':
      return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text || null;
    default:
      return text === '' ? null : text;
  }
}
