import { createReadStream, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { BadInputError } from '../../errors';
import { coded } from '../../messages/en';

/** One file of a shapefile (.shp, .dbf …), in a zip or on disk, opened as a stream on demand. */
export interface ShapefilePart {
  /** Its name as written (in the zip, or on disk), e.g. "Sites.DBF". */
  name: string;
  /** Uncompressed size in bytes (the zip's central directory, or the file system). */
  size: number;
  open(): Promise<Readable>;
}

/** The parts of one shapefile: .shp and whatever sits beside it. */
export interface ShapefileParts {
  /** The file the user named (zip or .shp), for messages. */
  file: string;
  /** "file.zip: layer.shp", or "layer.shp" for a plain shapefile: where the problem is. */
  where: string;
  shp: ShapefilePart;
  shx?: ShapefilePart;
  dbf?: ShapefilePart;
  prj?: ShapefilePart;
  cpg?: ShapefilePart;
  /** Release the zip (its file descriptor); streams opened from it are destroyed by their readers. */
  close(): void;
}

/**
 * Largest .shp/.shx/.dbf a zip may declare. The format's offsets are 32-bit (GDAL reads up to
 * 4 GiB); a zip that declares more is damaged or a zip bomb, and is refused before reading.
 */
export const PART_LIMIT = 4 * 1024 ** 3;
/** Deflate's largest expansion (RFC 1951: a 258-byte match costs at least 2 bits). */
const MAX_DEFLATE_RATIO = 1032;
/** Largest .prj or .cpg (read whole): real ones are a few hundred bytes. */
export const SMALL_PART_LIMIT = 1024 * 1024;

const SIDE = ['shx', 'dbf', 'prj', 'cpg'] as const;

/**
 * Find the shapefile to read: in a .zip (reading only its central directory; `layer` chooses
 * when it holds several) or a plain .shp with its siblings (names matched case-insensitively).
 */
export async function openShapefileParts(path: string, layer?: string): Promise<ShapefileParts> {
  return /\.shp$/i.test(path) ? openPlain(path, layer) : openZip(path, layer);
}

async function openPlain(path: string, layer?: string): Promise<ShapefileParts> {
  const file = basename(path);
  const dir = dirname(path);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (e) {
    throw new BadInputError(coded('shapefile.cannotOpen', { file, detail: errText(e) }));
  }
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const shpName = byLower.get(file.toLowerCase());
  if (!shpName) throw new BadInputError(coded('shapefile.cannotOpen', { file, detail: 'no such file' }));
  const stem = shpName.slice(0, -4);
  if (layer !== undefined && layer.toLowerCase().replace(/\.shp$/, '') !== stem.toLowerCase()) {
    throw new BadInputError(coded('shapefile.notThisLayer', { file, layer }));
  }
  const part = async (name: string): Promise<ShapefilePart> => {
    const full = join(dir, name);
    const st = await fsp.stat(full);
    return { name, size: st.size, open: async () => createReadStream(full, { highWaterMark: 256 * 1024 }) };
  };
  const parts: ShapefileParts = { file, where: file, shp: await part(shpName), close() {} };
  for (const ext of SIDE) {
    const n = byLower.get(`${stem.toLowerCase()}.${ext}`);
    if (n) parts[ext] = await part(n);
  }
  return parts;
}

async function openZip(path: string, layer?: string): Promise<ShapefileParts> {
  const file = basename(path);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch (e) {
    throw new BadInputError(coded('shapefile.notZip', { file, detail: errText(e) }));
  }
  // yauzl reports later trouble (a damaged entry) both to the stream and here; the stream's copy is the one we word.
  zip.on('error', () => {});
  try {
    const entries = new Map<string, yauzl.Entry>();
    // Files another importer reads (USGS ships MRDS as mrds-csv.zip holding mrds.csv), to name them.
    const others: string[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        const lower = e.fileName.toLowerCase();
        if (!lower.startsWith('__macosx/') && /\.(shp|shx|dbf|prj|cpg)$/.test(lower)) entries.set(lower, e);
        else if (!lower.startsWith('__macosx/') && /\.(csv|geojson|json|gpkg)$/.test(lower)) others.push(e.fileName);
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    }).catch((e) => {
      throw new BadInputError(coded('shapefile.notZip', { file, detail: errText(e) }));
    });
    const stems = [...entries.keys()].filter((n) => n.endsWith('.shp')).map((n) => n.slice(0, -4));
    if (!stems.length) {
      if (others.length) throw new BadInputError(coded('shapefile.noShpButData', { file, files: others.slice(0, 5).map((f) => `"${f}"`).join(', '), first: basename(others[0]) }));
      throw new BadInputError(coded('shapefile.noShp', { file }));
    }
    const list = () => stems.map((s) => `"${basename(entries.get(s + '.shp')!.fileName, '.shp')}"`).join(', ');
    let stem: string;
    if (layer !== undefined) {
      const want = layer.toLowerCase().replace(/\.shp$/, '');
      const found = stems.find((s) => s === want || basename(s) === want);
      if (!found) throw new BadInputError(coded('shapefile.noLayer', { file, layer, layers: list() }));
      stem = found;
    } else if (stems.length === 1) {
      stem = stems[0];
    } else {
      throw new BadInputError(coded('shapefile.severalLayers', { file, count: stems.length, layers: list() }));
    }
    const shpEntry = entries.get(stem + '.shp')!;
    const where = `${file}: ${shpEntry.fileName}`;
    const part = (e: yauzl.Entry, ext: string): ShapefilePart => {
      const limit = ext === 'prj' || ext === 'cpg' ? SMALL_PART_LIMIT : PART_LIMIT;
      if (e.uncompressedSize > limit) {
        throw new BadInputError(coded('shapefile.partTooBig', { where, part: e.fileName, size: e.uncompressedSize, limit }));
      }
      if (e.isEncrypted()) throw new BadInputError(coded('shapefile.encrypted', { where, part: e.fileName }));
      // Deflate expands at most 1032:1; a zip that claims more is lying about its sizes (or a bomb).
      const most = e.compressionMethod === 8 ? e.compressedSize * MAX_DEFLATE_RATIO + 1024 : e.compressedSize;
      if (e.uncompressedSize > most) {
        throw new BadInputError(coded('shapefile.impossibleSize', { where, part: e.fileName, size: e.uncompressedSize, compressed: e.compressedSize }));
      }
      return {
        name: e.fileName,
        size: e.uncompressedSize,
        open: () => new Promise<Readable>((resolve, reject) => zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(detach(s))))),
      };
    };
    const parts: ShapefileParts = { file, where, shp: part(shpEntry, 'shp'), close: () => zip.close() };
    for (const ext of SIDE) {
      const e = entries.get(`${stem}.${ext}`);
      if (e) parts[ext] = part(e, ext);
    }
    return parts;
  } catch (e) {
    zip.close();
    throw e;
  }
}

/**
 * yauzl's stream of a stored (uncompressed) entry is an old-style Readable that marks itself
 * destroyed when it ends and never emits 'close', so async iteration and 'readable' reads wait
 * forever on it. Its data is piped into a plain PassThrough; destroying that one destroys the
 * source (which releases the zip's file descriptor).
 */
function detach(src: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  let settled = false;
  src.on('end', () => (settled = true));
  src.on('error', (e) => {
    if (!settled) out.destroy(e);
    settled = true;
  });
  out.on('close', () => {
    if (settled) return;
    settled = true;
    src.unpipe(out);
    src.destroy();
  });
  return src.pipe(out);
}

/** A small part (.prj, .cpg) as bytes; refused when larger than SMALL_PART_LIMIT. */
export async function readSmallPart(parts: ShapefileParts, part: ShapefilePart): Promise<Uint8Array> {
  if (part.size > SMALL_PART_LIMIT) {
    throw new BadInputError(coded('shapefile.partTooBig', { where: parts.where, part: part.name, size: part.size, limit: SMALL_PART_LIMIT }));
  }
  const chunks: Buffer[] = [];
  let n = 0;
  const s = await part.open();
  try {
    for await (const c of s as AsyncIterable<Buffer>) {
      n += c.length;
      if (n > SMALL_PART_LIMIT) {
        throw new BadInputError(coded('shapefile.partTooBig', { where: parts.where, part: part.name, size: n, limit: SMALL_PART_LIMIT }));
      }
      chunks.push(c);
    }
  } finally {
    s.destroy();
  }
  return Buffer.concat(chunks);
}

export function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
