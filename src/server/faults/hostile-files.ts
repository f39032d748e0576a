import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** CRC-32 of the ZIP format, fed in pieces. */
function crc32Table(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const TABLE = crc32Table();
function crc32(crc: number, buf: Buffer): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

interface Entry {
  name: string;
  method: 0 | 8;
  data: Buffer;
  crc: number;
  size: number;
}

/** Deflates a long text made of many pieces without holding it whole: raw deflate blocks joined with sync flushes. */
function deflateParts(parts: Iterable<string>): { data: Buffer; crc: number; size: number } {
  const out: Buffer[] = [];
  let crc = 0;
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (last: boolean) => {
    const b = Buffer.concat(pending);
    out.push(
      zlib.deflateRawSync(b, { level: 9, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }),
    );
    pending = [];
    pendingBytes = 0;
  };
  for (const p of parts) {
    const b = Buffer.from(p, 'utf8');
    crc = crc32(crc, b);
    size += b.length;
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= 8 * 1024 * 1024) flush(false);
  }
  flush(true);
  return { data: Buffer.concat(out), crc, size };
}

function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const small = (name: string, text: string): Entry => {
  const b = Buffer.from(text, 'utf8');
  return { name, method: 8, data: zlib.deflateRawSync(b), crc: crc32(0, b), size: b.length };
};

/** A zip of the given files (text, deflated), as any producer writes one: for parts of an .xlsx written by hand. */
export const zipOfTexts = (files: Record<string, string>): Buffer =>
  zip(Object.entries(files).map(([name, text]) => small(name, text)));

/**
 * The file that used to stall or kill the server: a well-formed .xlsx whose one sheet has
 * `rows` tiny rows (3,000,000 unpack to ~100 MB), plus `paddingBytes` of random bytes stored
 * uncompressed, so that the file's size and its declared sizes pass checks that trust them.
 */
export function hostileWorkbook(rows = 3_000_000, paddingBytes = 500 * 1024): Buffer {
  function* sheet(): Generator<string> {
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
    // Rows without positions are as valid as numbered ones, and compress to almost nothing.
    const chunk = '<row><c><v>1</v></c></row>'.repeat(10_000);
    for (let r = 0; r < rows; r += 10_000)
      yield r + 10_000 <= rows ? chunk : '<row><c><v>1</v></c></row>'.repeat(rows - r);
    yield '</sheetData></worksheet>';
  }
  const big = deflateParts(sheet());
  const padding = crypto.randomBytes(paddingBytes);
  return zip([
    small(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    small(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    small(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="回答" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    small(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    { name: 'xl/worksheets/sheet1.xml', method: 8, ...big },
    { name: 'xl/media/padding.bin', method: 0, data: padding, crc: crc32(0, padding), size: padding.length },
  ]);
}
