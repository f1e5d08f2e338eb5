import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * Renders a pdfmake document definition to a PDF, on the server, with nothing fetched: the
 * Roboto fonts that come with pdfmake are read once into its virtual file system (Roboto covers
 * the accented and other Latin letters in children's and workers' names, which the PDF
 * standard fonts do not), and every other file or web address a document might name is refused.
 */

const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

interface VirtualFs {
  writeFileSync(name: string, data: Buffer): void;
}

let ready = false;

function setUp(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  // pdfmake's own virtual file system: not in its published types.
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  for (const file of Object.values(FONT_FILES))
    vfs.writeFileSync(file, readFileSync(require.resolve(`pdfmake/fonts/Roboto/${file}`)));
  pdfmake.setFonts({ Roboto: { ...FONT_FILES } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  ready = true;
}

export async function renderPdf(document: TDocumentDefinitions): Promise<Buffer> {
  setUp();
  return pdfmake.createPdf(document).getBuffer();
}

/**
 * Renders a document as a stream, sent as PDFKit writes it rather than gathered into one buffer
 * first. pdfmake lays out every page before the first byte, so what bounds the memory of a long
 * document is the number of records in it (see RANGE_RECORD_LIMIT).
 */
export async function renderPdfStream(
  document: TDocumentDefinitions,
): Promise<NodeJS.ReadableStream> {
  setUp();
  const pdf = (await pdfmake.createPdf(document).getStream()) as NodeJS.ReadableStream & {
    end(): void;
  };
  pdf.end();
  return pdf;
}
