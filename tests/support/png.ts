/**
 * A small PNG reader for tests, independent of the renderer that wrote the file: checks the signature and every
 * chunk's CRC, reads IHDR, inflates the IDAT data with node:zlib and undoes the row filters. 8-bit truecolour (RGB or
 * RGBA), non-interlaced — what resvg writes; anything else is refused with a reason.
 */
import { crc32, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, row by row. */
  rgba: Buffer;
}

/** Width and height from the IHDR chunk (which must come first). */
export function pngHeader(png: Buffer): { width: number; height: number; bitDepth: number; colourType: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: wrong signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR is not the first chunk');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24] ?? 0,
    colourType: png[25] ?? 0,
  };
}

export function decodePng(png: Buffer): DecodedPng {
  const { width, height, bitDepth, colourType } = pngHeader(png);
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6)) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}`);
  }
  if (png[28] !== 0) throw new Error('unsupported PNG: interlaced');
  const idat: Buffer[] = [];
  let offset = 8;
  let ended = false;
  while (offset < png.length && !ended) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a bad CRC`);
    }
    if (type === 'IDAT') idat.push(data);
    ended = type === 'IEND';
    offset += 12 + length;
  }
  if (!ended) throw new Error('PNG has no IEND chunk');
  const channels = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1))
    throw new Error(`PNG data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      pixels[y * stride + x] = ((line[x] ?? 0) + predictor(filter, a, b, c)) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = Buffer.alloc(width * height * 4, 0xff);
  for (let i = 0; i < width * height; i++) pixels.copy(rgba, i * 4, i * 3, i * 3 + 3);
  return { width, height, rgba };
}

function predictor(filter: number | undefined, a: number, b: number, c: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return Math.floor((a + b) / 2);
    case 4: {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default:
      throw new Error(`PNG row filter ${filter} is not one of 0-4`);
  }
}

/** The pixel at (x, y) as `#rrggbb` (alpha left out). */
export function colourAt(image: DecodedPng, x: number, y: number): string {
  const i = (y * image.width + x) * 4;
  return `#${image.rgba.subarray(i, i + 3).toString('hex')}`;
}

/** How many pixels in the rectangle are "ink": clearly darker than white. */
export function inkIn(image: DecodedPng, rect: { x: number; y: number; width: number; height: number }): number {
  let ink = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = (y * image.width + x) * 4;
      const lightness = ((image.rgba[i] ?? 0) + (image.rgba[i + 1] ?? 0) + (image.rgba[i + 2] ?? 0)) / 3;
      if (lightness < 160) ink++;
    }
  }
  return ink;
}

/** Pixels in the rectangle within `tolerance` (per channel) of `hex`. */
export function pixelsNear(
  image: DecodedPng,
  hex: string,
  rect: { x: number; y: number; width: number; height: number },
  tolerance = 24,
): number {
  const target = Buffer.from(hex.replace('#', ''), 'hex');
  let count = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = (y * image.width + x) * 4;
      if ([0, 1, 2].every((c) => Math.abs((image.rgba[i + c] ?? 0) - (target[c] ?? 0)) <= tolerance)) count++;
    }
  }
  return count;
}
