import { pngChunk } from '../io/crc32.js';

/**
 * The render record embedded in each output PNG (a tEXt chunk, keyword "artifact-scan"), so a
 * run killed after an output was renamed into place but before the manifest recorded it can
 * prove on resume that the file is ours, with this seed and these parameters, and adopt it.
 * Written here because sharp writes no PNG text chunks; a tEXt chunk is 20 lines (PNG spec 11.3.4.3).
 */
export const RECORD_KEYWORD = 'artifact-scan';

/** The PNG with a tEXt chunk inserted right after IHDR. Latin-1 text, as tEXt requires (JSON with \\u escapes fits). */
export function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  const chunk = pngChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(asciiOnly(text), 'latin1')]));
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

/** The text of the first tEXt chunk with this keyword, or undefined. */
export function readTextChunk(png: Buffer, keyword: string): string | undefined {
  for (let o = 8; o + 12 <= png.length; ) {
    const length = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    if (o + 12 + length > png.length) return undefined;
    if (type === 'tEXt') {
      const data = png.subarray(o + 8, o + 8 + length);
      const nul = data.indexOf(0);
      if (nul > 0 && data.toString('latin1', 0, nul) === keyword) return data.toString('latin1', nul + 1);
    }
    if (type === 'IDAT' || type === 'IEND') return undefined;
    o += 12 + length;
  }
  return undefined;
}

function asciiOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
