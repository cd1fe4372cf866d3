import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { FedPGError } from '../core/errors';
import { FIGURE_SIZE, type Figure } from '../plot/figure';
import { plainText } from '../plot/notation';
import { paperFigure, PRESETS, type Preset, PX_PER_INCH } from '../plot/presets';
import { plotlyPage, printPDF, scheduleClose } from './chromium';

/** Static formats a figure renders to. */
export type StaticFormat = 'svg' | 'png' | 'pdf';

/** Options of `renderFigure` and `exportFigure`. */
export interface RenderOptions {
  /** Pixels (default: the figure's layout size, else 640×420). */
  width?: number;
  height?: number;
  /** PNG pixel ratio (default 3: 1920×1260 px for the default size, ≈ 290 dpi printed 6.7 in wide). */
  scale?: number;
  /**
   * Metadata written into the file: SVG <title>/<desc>, the PDF's title, PNG iTXt Title/Description
   * (`exportFigure`'s default: the figure's own, `figureMetadata`).
   */
  metadata?: { title?: string; description?: string };
}

/**
 * Render a figure to SVG (text), PNG or PDF (bytes) in headless Chromium with plotly.js's own exporter
 * (Plotly.toImage); PDF prints the SVG on a page of exactly the figure's size.
 */
export async function renderFigure(figure: Figure, format: StaticFormat, options: RenderOptions = {}): Promise<string | Buffer> {
  const width = options.width ?? (figure.layout.width as number | undefined) ?? FIGURE_SIZE.width;
  const height = options.height ?? (figure.layout.height as number | undefined) ?? FIGURE_SIZE.height;
  const p = await plotlyPage();
  try {
    const url = await p.evaluate(
      ({ fig, fmt, w, h, s }) => (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly.toImage({ data: fig.data, layout: fig.layout }, { format: fmt, width: w, height: h, scale: s }),
      { fig: figure, fmt: format === 'png' ? 'png' : 'svg', w: width, h: height, s: format === 'png' ? (options.scale ?? 3) : 1 },
    );
    const meta = options.metadata;
    if (format === 'png') {
      const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
      return meta ? pngWithText(png, { Title: meta.title, Description: meta.description }) : png;
    }
    const svg = svgWithMetadata(decodeURIComponent(url.slice(url.indexOf(',') + 1)), meta);
    if (format === 'svg') return svg;
    return await pdfOfSVG(svg, width, height, meta?.title);
  } finally {
    scheduleClose();
  }
}

/** The PDF title of a figure without one: Chromium would otherwise write the page's address, "about:blank". */
export const UNTITLED_FIGURE = 'fedpg-lab figure';

/** A rendered SVG printed on one PDF page of exactly `width`×`height` px, whose Title is `title` (never empty). */
async function pdfOfSVG(svg: string, width: number, height: number, title = ''): Promise<Buffer> {
  try {
    // Chromium writes the document's <title> as the PDF's Title, and the page's URL when it is empty.
    return await printPDF(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeXML(title.trim() || UNTITLED_FIGURE)}</title><style>@page{size:${width}px ${height}px;margin:0}body{margin:0}</style></head><body>${svg}</body></html>`, width, height);
  } finally {
    scheduleClose();
  }
}

function writeOut(path: string, data: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/**
 * Write a figure to `path` as SVG, PNG or PDF, chosen by the extension (publication size and fonts from
 * plot/figure.ts; PNG at 3× pixel density). The file's title (SVG <title>, PDF Title, PNG iTXt) is the
 * figure's title, else the file's name; its description the statistic and provenance. Creates the folder.
 * Returns the path.
 */
export async function exportFigure(figure: Figure, path: string, options: RenderOptions = {}): Promise<string> {
  const ext = extname(path).slice(1).toLowerCase();
  if (ext !== 'svg' && ext !== 'png' && ext !== 'pdf') throw new FedPGError(`exportFigure: path must end in .svg, .png or .pdf, got ${JSON.stringify(path)}`);
  const own = figureMetadata(figure);
  const metadata = options.metadata ?? { ...own, title: own.title || basename(path, extname(path)) };
  return writeOut(path, await renderFigure(figure, ext, { ...options, metadata }));
}

/**
 * What a figure's files say about it: its title (`meta.title`, else the first line of the drawn title) and
 * a description of its statistic and provenance, as plain text.
 */
export function figureMetadata(figure: Figure): { title: string; description: string } {
  const caption = figureCaption(figure);
  const drawn = (figure.layout.title as { text?: string } | undefined)?.text ?? '';
  return { title: caption.title || plainText(drawn.split(/<br\s*\/?>/)[0]).trim(), description: caption.description };
}

function escapeXML(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The SVG with <title> and <desc> as the first children of its root (what screen readers and file browsers show). */
export function svgWithMetadata(svg: string, meta?: { title?: string; description?: string }): string {
  if (!meta || (!meta.title && !meta.description)) return svg;
  const open = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  const tags = `${meta.title ? `<title>${escapeXML(meta.title)}</title>` : ''}${meta.description ? `<desc>${escapeXML(meta.description)}</desc>` : ''}`;
  return svg.slice(0, open) + tags + svg.slice(open);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of a PNG chunk's type and data (ISO 3309, as the PNG specification uses). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with iTXt chunks (UTF-8 text: titles carry θ̄, ∇ and minus signs) inserted after IHDR, one per
 * keyword (PNG spec §11.3.4.5: keyword, 0, compression flag 0, method 0, language '', 0, translated '', 0, text).
 */
export function pngWithText(png: Buffer, text: Record<string, string | undefined>): Buffer {
  const ihdrEnd = 8 + 4 + 4 + png.readUInt32BE(8) + 4;
  const chunks = Object.entries(text)
    .filter(([, v]) => v)
    .map(([k, v]) => {
      const data = Buffer.concat([Buffer.from(k, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(v as string, 'utf8')]);
      const type = Buffer.from('iTXt', 'latin1');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
      return Buffer.concat([len, type, data, crc]);
    });
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

/** A figure's caption parts: title, provenance and statistic, as plain text (metadata) and markdown (CAPTIONS.md). */
export function figureCaption(figure: Figure, caption?: string): { title: string; description: string; markdown: string } {
  const m = figure.meta ?? {};
  const title = plainText(m.title ?? '');
  const legend = m.legendNotes && m.legendNotes.length > 0 ? `Legend: ${m.legendNotes.join('; ')}.` : '';
  const parts = [caption, legend, m.statistic ? `Statistic: ${m.statistic}.` : '', m.provenance ? `Provenance: ${m.provenance}.` : ''].filter(Boolean) as string[];
  return { title, description: parts.map(plainText).join(' '), markdown: parts.join(' ') };
}

/**
 * Export a figure for print at a preset (plot/presets.ts: 'column' 3.5 in or 'page' 7 in): `<base>.svg`,
 * `<base>.pdf` (page of exactly the print size) and `<base>.png` (300 dpi). The title and provenance leave
 * the image and go into each file's metadata (SVG <title>/<desc>, PDF title, PNG iTXt) and the returned
 * caption, which the caller writes to CAPTIONS.md. Returns the paths and the caption's markdown.
 */
export async function exportPaperFigure(figure: Figure, base: string, preset: Preset | 'column' | 'page', options: { caption?: string; dpi?: number } = {}): Promise<{ files: string[]; caption: string }> {
  const p = typeof preset === 'string' ? PRESETS[preset] : preset;
  const fig = paperFigure(figure, p);
  // The print version's caption: with the legend's details when the preset moved them out of the legend.
  const cap = figureCaption(fig, options.caption);
  const metadata = { title: cap.title, description: cap.description };
  // The PDF prints the SVG drawn for the .svg file (one plotly.js drawing for both); the PNG is drawn while
  // the PDF prints (another page of Chromium).
  const svg = (await renderFigure(fig, 'svg', { metadata })) as string;
  const width = (fig.layout.width as number | undefined) ?? FIGURE_SIZE.width;
  const height = (fig.layout.height as number | undefined) ?? FIGURE_SIZE.height;
  const [pdf, png] = await Promise.all([pdfOfSVG(svg, width, height, metadata.title), renderFigure(fig, 'png', { metadata, scale: (options.dpi ?? 300) / PX_PER_INCH })]);
  return { files: [writeOut(`${base}.svg`, svg), writeOut(`${base}.pdf`, pdf), writeOut(`${base}.png`, png)], caption: cap.markdown };
}

/** One figure of a figure set: file name (no extension), caption sentence, figure (notebook version). */
export interface FigureSetEntry {
  name: string;
  caption: string;
  figure: Figure;
}

/**
 * Export a figure set for print: every figure at every preset (default 'column' and 'page') as
 * `<dir>/<preset>/<name>.{svg,pdf,png}`, each checked in Chromium (notebook/figureCheck.ts: legend off the
 * data, axis titles off the tick labels, every text ≥ 8 pt at print size); `<dir>/CAPTIONS.md` holds each
 * figure's caption with its statistic and provenance, and `<dir>/layout-check.json` what the check found.
 */
export async function exportFigureSet(entries: readonly FigureSetEntry[], dir: string, options: { presets?: readonly ('column' | 'page')[]; title?: string } = {}): Promise<{ files: string[]; problems: { figure: string; preset: string; detail: string }[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkFigureLayout }: typeof import('./figureCheck') = require('./figureCheck');
  const presets = options.presets ?? ['column', 'page'];
  const files: string[] = [];
  const problems: { figure: string; preset: string; detail: string }[] = [];
  const captions: string[] = [`# ${options.title ?? 'Figures'}`, '', `Each figure is in ${presets.map((p) => `\`${p}/\` (${PRESETS[p].widthIn} in wide)`).join(' and ')}, as SVG, PDF and PNG (300 dpi); text prints at ≥ 8 pt.`, ''];
  // Every (figure, preset) is exported and checked; up to four at a time, so that Chromium prints one's PDF
  // while it draws another's SVG and PNG. Files, problems and captions are kept in the entries' order.
  const tasks = entries.flatMap((e) => presets.map((preset) => ({ e, preset })));
  const done: { files: string[]; caption: string; problems: { figure: string; preset: string; detail: string }[] }[] = [];
  let nextTask = 0;
  const worker = async () => {
    while (nextTask < tasks.length) {
      const k = nextTask++;
      const { e, preset } = tasks[k];
      const [r, check] = await Promise.all([
        exportPaperFigure(e.figure, `${dir}/${preset}/${e.name}`, preset, { caption: e.caption }),
        checkFigureLayout(paperFigure(e.figure, preset), { widthIn: PRESETS[preset].widthIn }),
      ]);
      done[k] = { files: r.files, caption: r.caption, problems: check.problems.map((p) => ({ figure: e.name, preset, detail: p.detail })) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, tasks.length) }, worker));
  entries.forEach((e, i) => {
    const own = done.slice(i * presets.length, (i + 1) * presets.length);
    for (const d of own) {
      files.push(...d.files);
      problems.push(...d.problems);
    }
    // One caption per figure: the fullest of its presets' (a column version may carry its legend's details).
    const caption = own.map((d) => d.caption).reduce((a, b) => (b.length > a.length ? b : a), '');
    captions.push(`**${e.name}**${e.figure.meta?.title ? ` — ${e.figure.meta.title}` : ''}. ${caption}`, '');
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/CAPTIONS.md`, `${captions.join('\n')}`);
  writeFileSync(`${dir}/layout-check.json`, `${JSON.stringify({ figures: entries.length, presets, problems }, null, 2)}\n`);
  return { files, problems };
}
