import { crc32 } from '../io/crc32.js';

/**
 * PNG structure checks done on the bytes before decoding (no pixel is allocated):
 * - every chunk's CRC (libpng skips the CRCs of some chunks and ancillary ones; a file with a
 *   wrong CRC is damaged, and a damaged file must not yield findings);
 * - the header's claimed size against the compressed data present: deflate cannot compress
 *   better than about 1032:1 (RFC 1951's longest match, 258 bytes, per 2-bit-minimum code), so
 *   a 1.5 KB file claiming 16777216x2 pixels is refused before libvips allocates for it.
 * Written here because it is a short walk over the chunk list that no dependency offers.
 */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Best deflate ratio (raw bytes per compressed byte), with headroom. */
const MAX_DEFLATE_RATIO = 1100;
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function isPng(data: Uint8Array): boolean {
  return data.length >= 8 && Buffer.from(data.buffer, data.byteOffset, 8).equals(SIGNATURE);
}

/** Why a PNG is damaged (one line, no path), or undefined when its structure is sound. */
export function pngProblem(data: Buffer): string | undefined {
  let header: PngHeader | undefined;
  let idatBytes = 0;
  let offset = 8;
  let sawEnd = false;
  while (offset + 8 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (length > 0x7fffffff || offset + 12 + length > data.length) return `truncated or corrupt PNG data (chunk ${printableType(type)} runs past the end of the file)`;
    const expected = data.readUInt32BE(offset + 8 + length);
    const actual = crc32(data.subarray(offset + 4, offset + 8 + length));
    if (expected !== actual) return `damaged PNG: the ${printableType(type)} chunk's checksum (CRC) is wrong`;
    if (type === 'IHDR' && length >= 13) {
      header = { width: data.readUInt32BE(offset + 8), height: data.readUInt32BE(offset + 12), bitDepth: data[offset + 16], colorType: data[offset + 17] };
    } else if (type === 'IDAT') idatBytes += length;
    else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    offset += 12 + length;
  }
  if (!header) return 'truncated or corrupt PNG data (no IHDR header)';
  if (!sawEnd) return 'truncated or corrupt PNG data (no IEND chunk)';
  const channels = CHANNELS[header.colorType] ?? 4;
  const rowBytes = 1 + Math.ceil((header.width * channels * header.bitDepth) / 8);
  const rawBytes = header.height * rowBytes;
  if (rawBytes > (idatBytes + 64) * MAX_DEFLATE_RATIO) {
    return `truncated or corrupt PNG data (the header claims ${header.width}x${header.height} pixels, more than ${idatBytes} bytes of image data can hold)`;
  }
  return undefined;
}

function printableType(type: string): string {
  return /^[A-Za-z]{4}$/.test(type) ? type : 'unnamed';
}
