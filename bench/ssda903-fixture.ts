import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * A large synthetic SSDA903 Episodes table, for the import bench: children with one to eight
 * contiguous episodes each (changes of placement and of legal status, temporary placements,
 * short breaks, periods still open), in the DfE column layout and date format. Seeded, so every
 * run reads the same file. The content is random, not realistic, but every row is valid.
 */

export const EPISODES_HEADING =
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['U1', 'U3', 'U4', 'U6', 'U6', 'U6', 'K2', 'K2', 'P1', 'A4', 'A6', 'H5', 'R1', 'S1'];
const LEGAL = ['C1', 'C2', 'C2', 'C2', 'V2', 'V2', 'E1', 'L2', 'J2'];
const LEAVING = ['E4A', 'E4B', 'E11', 'E13', 'E41', 'E45', 'E5', 'E6', 'E8'];
const CHANGE = ['CARPL', 'CLOSE', 'STAND', 'CHILD', 'OTHER'];
const DAY = 86_400_000;
const FIRST = Date.UTC(2014, 0, 1);

function dmy(time: number): string {
  const d = new Date(time);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${d.getUTCFullYear()}`;
}

/** The file's lines (the heading first, then `rows` episodes), each without its line end. */
export function* episodeLines(options: { rows: number; seed: number }): Generator<string> {
  const next = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  yield EPISODES_HEADING;
  let written = 0;
  let child = 100_000;
  while (written < options.rows) {
    child++;
    const episodes = Math.min(options.rows - written, 1 + Math.floor(next() * 8));
    let start = FIRST + Math.floor(next() * 10 * 365) * DAY;
    let ls = pick(LEGAL);
    let place = pick(PLACES);
    const shortBreaks = next() < 0.03;
    for (let i = 0; i < episodes; i++) {
      const last = i === episodes - 1;
      let rne = 'S';
      if (i > 0) {
        const change = next();
        if (change < 0.3) {
          rne = 'L';
          ls = pick(LEGAL);
        } else if (change < 0.8) {
          rne = 'P';
          place = next() < 0.05 ? 'T1' : pick(PLACES);
        } else {
          rne = 'B';
          ls = pick(LEGAL);
          place = pick(PLACES);
        }
      } else if (next() < 0.4) rne = 'P';
      const legal = shortBreaks ? 'V3' : ls;
      const length = 1 + Math.floor(next() * 400);
      const end = start + length * DAY;
      const open = last && next() < 0.6;
      const dec = open ? '' : dmy(end);
      const rec = open ? '' : last ? pick(LEAVING) : 'X1';
      const reason = !open && !place.startsWith('T') ? pick(CHANGE) : '';
      const urn =
        place.startsWith('T') || place === 'P1'
          ? ''
          : `SC${100_000 + Math.floor(next() * 899_999)}`;
      yield `${child},${dmy(start)},${rne},${legal},N${1 + Math.floor(next() * 8)},${place},PR${Math.floor(next() * 6)},${dec},${rec},${reason},AB1 2CD,EF3 4GH,${urn}`;
      written++;
      start = end;
    }
  }
}

/** The whole file as one string (CRLF line ends, as councils' systems write them). */
export function episodesCsv(options: { rows: number; seed: number }): string {
  return `${[...episodeLines(options)].join('\r\n')}\r\n`;
}

/** Writes the file; returns its size in bytes. */
export async function writeEpisodesFixture(
  file: string,
  options: { rows: number; seed: number },
): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for (const line of episodeLines(options)) {
    const text = `${line}\r\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
