import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A well-formed PNG (valid CRCs) whose header claims `width` × `height` 8-bit gray pixels, with
 * `rows` rows of data: a few hundred bytes that would decode to gigabytes, for the size checks.
 */
export function pngClaiming(width: number, height: number, rows = 1): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    // Each row is a filter byte and `width` samples; zeros compress to almost nothing.
    pngChunk('IDAT', deflateSync(Buffer.alloc((width + 1) * rows), { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
