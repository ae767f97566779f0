/**
 * A dBASE III table reader for Shapefile attributes, decoding text with the platform's
 * TextDecoder (WHATWG encodings: UTF-8, Shift_JIS, windows-1252 …). Layout per the dBASE III
 * file format (header 32 bytes, 32-byte field descriptors ended by 0x0D, fixed-length records
 * each led by a deletion flag). Types: C text, N/F numbers, L logical, D date (YYYYMMDD);
 * anything else is kept as trimmed text. The header is parsed here and records are decoded one
 * at a time as src/formats/shapefile/read.ts streams them: the table is never held whole.
 */
type Decoder = InstanceType<typeof TextDecoder>;

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
}

/** The table's header: record count and layout; records are then read one by one. */
export interface DbfHeader {
  /** Records the header announces. */
  headerCount: number;
  /** Bytes before the first record (header and field descriptors). */
  headerLength: number;
  /** Bytes per record, its deletion flag included. */
  recordLength: number;
  /** Language driver id (byte 29), for the encoding when there is no .cpg. */
  languageDriver: number;
  fields: DbfField[];
}

/** The fixed 32 bytes that start every .dbf. */
export const DBF_HEAD = 32;

/** Counts and lengths from the first 32 bytes (`head`); throws when they cannot be a dBASE table. */
export function parseDbfHead(head: Uint8Array): Omit<DbfHeader, 'fields'> {
  if (head.length < DBF_HEAD) throw new Error(`the .dbf is ${head.length} bytes, shorter than its 32-byte header`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength < DBF_HEAD + 1) throw new Error(`its header says the header is ${headerLength} bytes long, less than the 33 bytes a dBASE header needs`);
  if (recordLength < 1) throw new Error('its header says each record is 0 bytes long');
  return { headerCount: view.getUint32(4, true), headerLength, recordLength, languageDriver: head[29] };
}

/** The field descriptors: the bytes after the first 32, up to `headerLength`. */
export function parseDbfFields(descriptors: Uint8Array, decoder: Decoder): DbfField[] {
  const fields: DbfField[] = [];
  for (let off = 0; off + 32 <= descriptors.length && descriptors[off] !== 0x0d; off += 32) {
    const raw = descriptors.subarray(off, off + 11);
    const end = raw.indexOf(0);
    fields.push({
      name: decoder.decode(end < 0 ? raw : raw.subarray(0, end)).trim(),
      type: String.fromCharCode(descriptors[off + 11]),
      length: descriptors[off + 16],
      decimals: descriptors[off + 17],
    });
  }
  return fields;
}

/**
 * One record's properties from its `recordLength` bytes (deletion flag first). `decoder` must be
 * fatal (`{ fatal: true }`): a field whose bytes are not valid in the encoding is decoded by
 * `lenient` (U+FFFD for the bad bytes) and its name pushed to `badFields`, so the reader can say
 * which field of which feature does not match the encoding instead of importing mojibake silently.
 */
export function decodeDbfRecord(record: Uint8Array, fields: readonly DbfField[], decoder: Decoder, lenient: Decoder, badFields: string[]): Record<string, unknown> {
  let off = 1; // skip the deletion flag
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const bytes = record.subarray(off, off + f.length);
    off += f.length;
    let text: string;
    try {
      text = decoder.decode(bytes).trim();
    } catch {
      text = lenient.decode(bytes).trim();
      badFields.push(f.name);
    }
    out[f.name] = valueOf(f.type, text);
  }
  return out;
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
