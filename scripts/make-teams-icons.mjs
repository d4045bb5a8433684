// Draws the two Teams app icons and writes them as PNG files next to the Teams manifest:
//   manifests/teams/color.png    192×192, full colour: a teal rounded square with a white ring and centre dot
//   manifests/teams/outline.png   32×32, the same ring and dot in white on a transparent background
//
// Run it again after changing the design: `node scripts/make-teams-icons.mjs`. The generated files are committed.
// Only node built-ins: shapes are rasterised with supersampling (anti-aliased edges) and encoded as 8-bit RGBA PNG
// (IHDR, IDAT, IEND chunks, CRC32 from zlib.crc32).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Top and bottom of the colour icon's vertical gradient (Tailwind teal-600 → teal-700). */
const TEAL_TOP = [0x0d, 0x94, 0x88];
const TEAL_BOTTOM = [0x0f, 0x76, 0x6e];
const WHITE = [0xff, 0xff, 0xff];

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes straight (non-premultiplied) RGBA pixels, row by row, as a PNG file. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Rasterises an icon: `paint(x, y)` returns [r, g, b, a] (a in 0..1) for a point in pixel coordinates; each pixel
 * averages samples×samples points in premultiplied space, so edges are smooth and colours stay exact.
 */
function render(size, samples, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = paint(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (py * size + px) * 4;
      if (a === 0) {
        // Fully transparent: keep the colour white so a resampler never bleeds a dark fringe into the edges.
        rgba[o] = 255;
        rgba[o + 1] = 255;
        rgba[o + 2] = 255;
        rgba[o + 3] = 0;
      } else {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
        rgba[o + 3] = Math.round((a / n) * 255);
      }
    }
  }
  return rgba;
}

function insideRoundedSquare(x, y, size, radius) {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The mark: a ring and a centre dot, "the centre" of Center of Excellence. Sizes are fractions of the icon. */
function insideMark(x, y, size, { outer, inner, dot }) {
  const c = size / 2;
  const d = Math.hypot(x - c, y - c);
  return (d <= outer * size && d >= inner * size) || d <= dot * size;
}

export function drawColorIcon(size = 192) {
  const radius = size * 0.21;
  const mark = { outer: 0.28, inner: 0.2, dot: 0.075 };
  return render(size, 4, (x, y) => {
    if (!insideRoundedSquare(x, y, size, radius)) return [0, 0, 0, 0];
    if (insideMark(x, y, size, mark)) return [...WHITE, 1];
    const t = y / size;
    return [...TEAL_TOP.map((top, i) => top + (TEAL_BOTTOM[i] - top) * t), 1];
  });
}

export function drawOutlineIcon(size = 32) {
  // Thicker strokes than the colour icon: at 32 px (shown even smaller) a thin ring would blur away.
  const mark = { outer: 0.43, inner: 0.32, dot: 0.12 };
  return render(size, 8, (x, y) => (insideMark(x, y, size, mark) ? [...WHITE, 1] : [...WHITE, 0]));
}

export function writeTeamsIcons(dir = fileURLToPath(new URL('../manifests/teams/', import.meta.url))) {
  mkdirSync(dir, { recursive: true });
  const files = [
    ['color.png', encodePng(192, 192, drawColorIcon(192))],
    ['outline.png', encodePng(32, 32, drawOutlineIcon(32))],
  ];
  for (const [name, png] of files) {
    const path = join(dir, name);
    writeFileSync(path, png);
    console.log(`wrote ${path} (${png.length} bytes)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  writeTeamsIcons();
}
