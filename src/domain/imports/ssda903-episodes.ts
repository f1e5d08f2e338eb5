import { BAD_DATE, describeBadDate, isoOf, NO_DATE, readDate } from './dates.js';
import { quote, type Problems } from './problems.js';
import {
  EPISODE_END_REASONS,
  isNewEpisodeReason,
  legalStatusMapping,
  NEW_EPISODE_REASONS,
  placeMapping,
} from './ssda903-codes.js';
import {
  emptyBatch,
  type ImportBatch,
  type ImportedAllocation,
  type ImportedChild,
  type ImportedInvolvement,
  type ImportedLegal,
  type ImportedPlacement,
} from './types.js';

/**
 * From SSDA903 episodes to Oversight's records, shared by the CSV and XML readers (which check
 * each row and add it here), in docs/imports.md terms:
 *
 * - A child's episodes, in date order, make looked-after (`cla`) periods. An episode starting
 *   the day the previous one ended continues the period (the 903 starts a new episode for every
 *   change of legal status or placement), unless the previous one ended with the child leaving
 *   care (a REC other than X1) and this one says the child started to be looked after (RNE S).
 *   A gap ends the period.
 * - Placements change with a new carer (RNE P or B), or a new placement type; a change of legal
 *   status only (L), or of placement with the same carers (T, U) keeps the placement. Temporary
 *   placements (T0–T4) are absences from the placement, which carries on through them.
 * - Interim care orders (LS C1) make `care-proceedings` periods.
 * - Short breaks (LS V3, V4) are not looked-after periods for supervision and are left out.
 * - Social-worker episodes become the allocation history, by SW_ID.
 */

export interface Episode {
  decom: number;
  /** NO_DATE while open. */
  dec: number;
  rne: string;
  ls: string;
  place: string;
  plPost: string;
  rec: string;
  row: number;
}

export interface SwEpisode {
  swId: string;
  start: number;
  end: number;
  row: number;
}

export interface Ssda903Problems {
  header: Problems;
  episodes: Problems;
  sw: Problems;
}

/** Column names used in problems, as the CSV heads them (the XML uses the same, bar PL). */
export interface Ssda903Columns {
  child: string;
  place: string;
  /** What a position in the file is called in messages: a CSV row, an XML line. */
  row: 'row' | 'line';
}

function iso(day: number): string | null {
  return day === NO_DATE ? null : isoOf(day);
}

/** DD/MM/YYYY, as the 903 writes dates, for messages. */
function shown(day: number): string {
  const text = isoOf(day);
  return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}`;
}

export class Ssda903Builder {
  private readonly episodes = new Map<string, Episode[]>();
  private readonly swEpisodes = new Map<string, SwEpisode[]>();
  private readonly dateOfBirth = new Map<string, { day: number; row: number }>();

  constructor(
    private readonly problems: Ssda903Problems,
    private readonly columns: Ssda903Columns = { child: 'CHILD', place: 'PLACE', row: 'row' },
  ) {}

  /** Checks one episode's fields, and keeps it when it can be used. */
  addEpisode(
    fields: {
      child: string;
      decom: string;
      dec: string;
      rne: string;
      ls: string;
      place: string;
      plPost: string;
      rec: string;
    },
    row: number,
    problems: Problems = this.problems.episodes,
  ): void {
    let usable = true;
    if (fields.child === '') {
      problems.error(`${this.columns.child} is blank: every episode must name its child.`, {
        row,
        column: this.columns.child,
      });
      usable = false;
    }
    const decom = readDate(fields.decom);
    if (decom === NO_DATE) {
      problems.error('DECOM (the date the episode started) is blank.', { row, column: 'DECOM' });
      usable = false;
    } else if (decom === BAD_DATE) {
      problems.error(`DECOM ${describeBadDate(fields.decom)}.`, { row, column: 'DECOM' });
      usable = false;
    }
    const dec = readDate(fields.dec);
    if (dec === BAD_DATE) {
      problems.error(`DEC ${describeBadDate(fields.dec)}.`, { row, column: 'DEC' });
      usable = false;
    } else if (dec !== NO_DATE && decom !== NO_DATE && decom !== BAD_DATE && dec < decom) {
      problems.error(
        `DEC (the episode's end, ${fields.dec}) is before DECOM (its start, ${fields.decom}).`,
        { row, column: 'DEC' },
      );
      usable = false;
    }

    const ls = fields.ls.toUpperCase();
    if (legalStatusMapping(ls) === undefined)
      problems.warning(
        ls === ''
          ? 'LS (legal status) is blank: no legal period was recorded for this episode.'
          : `Unknown LS code ${quote(ls)}: no legal period was recorded for this episode.`,
        { row, column: 'LS' },
      );
    const place = fields.place.toUpperCase();
    if (placeMapping(place) === undefined) {
      problems.warning(
        place === ''
          ? "PLACE is blank: the placement was treated as 'other'."
          : `Unknown PLACE code ${quote(place)}: treated as 'other'.`,
        { row, column: this.columns.place },
      );
    }
    let rne = fields.rne.toUpperCase();
    if (rne !== '' && !isNewEpisodeReason(rne)) {
      problems.warning(
        `Unknown RNE code ${quote(rne)}: treated as P (a change of placement and carer).`,
        { row, column: 'RNE' },
      );
      rne = 'P';
    }
    const rec = fields.rec.toUpperCase();
    if (rec !== '' && !EPISODE_END_REASONS.has(rec))
      problems.warning(`Unknown REC code ${quote(rec)}: treated as the child leaving care.`, {
        row,
        column: 'REC',
      });
    if (rec !== '' && rec !== 'X1' && dec === NO_DATE)
      problems.warning(
        `REC ${quote(rec)} is given but DEC is blank: the episode was treated as still open.`,
        { row, column: 'REC' },
      );
    if (!usable) return;

    const episode: Episode = { decom, dec, rne, ls, place, plPost: fields.plPost, rec, row };
    const list = this.episodes.get(fields.child);
    if (list === undefined) this.episodes.set(fields.child, [episode]);
    else list.push(episode);
  }

  addSwEpisode(
    fields: { child: string; swId: string; start: string; end: string },
    row: number,
    problems: Problems = this.problems.sw,
  ): void {
    let usable = true;
    if (fields.child === '') {
      problems.error(
        `${this.columns.child} is blank: every social worker episode must name its child.`,
        { row, column: this.columns.child },
      );
      usable = false;
    }
    if (fields.swId === '') {
      problems.error('SW_ID (the social worker) is blank.', { row, column: 'SW_ID' });
      usable = false;
    } else if (!fields.swId.startsWith('SW') && !fields.swId.startsWith('XX')) {
      problems.warning(
        `SW_ID ${quote(fields.swId)} does not start with SW or XX as the DfE asks: used as it is.`,
        { row, column: 'SW_ID' },
      );
    }
    const start = readDate(fields.start);
    if (start === NO_DATE || start === BAD_DATE) {
      problems.error(
        start === NO_DATE
          ? 'SW_DECOM (the date the social worker was allocated) is blank.'
          : `SW_DECOM ${describeBadDate(fields.start)}.`,
        { row, column: 'SW_DECOM' },
      );
      usable = false;
    }
    const end = readDate(fields.end);
    if (end === BAD_DATE) {
      problems.error(`SW_DEC ${describeBadDate(fields.end)}.`, { row, column: 'SW_DEC' });
      usable = false;
    } else if (usable && end !== NO_DATE && end < start) {
      problems.error(
        `SW_DEC (the allocation's end, ${fields.end}) is before SW_DECOM (its start, ${fields.start}).`,
        { row, column: 'SW_DEC' },
      );
      usable = false;
    }
    if (!usable) return;
    const episode: SwEpisode = { swId: fields.swId, start, end, row };
    const list = this.swEpisodes.get(fields.child);
    if (list === undefined) this.swEpisodes.set(fields.child, [episode]);
    else list.push(episode);
  }

  addHeader(
    fields: { child: string; dob: string },
    row: number,
    problems: Problems = this.problems.header,
  ): void {
    if (fields.child === '') {
      problems.error(`${this.columns.child} is blank: every child must have an identifier.`, {
        row,
        column: this.columns.child,
      });
      return;
    }
    const dob = readDate(fields.dob);
    if (dob === BAD_DATE) {
      problems.error(`DOB ${describeBadDate(fields.dob)}.`, { row, column: 'DOB' });
      return;
    }
    const earlier = this.dateOfBirth.get(fields.child);
    if (earlier !== undefined) {
      if (earlier.day !== dob)
        problems.error(
          `Child ${quote(fields.child)} is in the header twice with different dates of birth (${this.columns.row}s ${earlier.row} and ${row}).`,
          { row, column: this.columns.child },
        );
      return;
    }
    this.dateOfBirth.set(fields.child, { day: dob, row });
  }

  get hasEpisodes(): boolean {
    return this.episodes.size > 0;
  }

  /** The batch: one child for each child with an episode or a social worker episode. */
  build(options: { episodes: boolean; header: boolean }): ImportBatch {
    const batch = emptyBatch('ssda903');
    if (options.episodes) {
      batch.covers.involvementTypes.push('cla');
      batch.covers.legalTypes.push('care-proceedings');
    }
    const shortBreaks = { episodes: 0, children: 0, firstRow: Number.POSITIVE_INFINITY };

    for (const [id, episodes] of this.episodes) {
      const child: ImportedChild = { id };
      this.buildEpisodes(id, episodes, child, shortBreaks);
      batch.children.set(id, child);
    }
    for (const [id, episodes] of this.swEpisodes) {
      let child = batch.children.get(id);
      if (child === undefined) {
        child = { id };
        batch.children.set(id, child);
      }
      episodes.sort((a, b) => a.start - b.start || a.row - b.row);
      const records: ImportedAllocation[] = episodes.map((e) => ({
        start: isoOf(e.start),
        end: iso(e.end),
        worker: { id: e.swId },
        teamKey: null,
      }));
      child.allocations = { from: records[0]?.start ?? null, records };
    }

    let headerOnly = 0;
    for (const [id, { day }] of this.dateOfBirth) {
      const child = batch.children.get(id);
      if (child === undefined) headerOnly++;
      else if (day !== NO_DATE) child.dateOfBirth = isoOf(day);
    }
    if (headerOnly > 0 && options.header)
      this.problems.header.warning(
        `${headerOnly} ${headerOnly === 1 ? 'child has' : 'children have'} a header but no episodes or social worker episodes, so nothing was imported for ${headerOnly === 1 ? 'that child' : 'them'}.`,
      );
    if (shortBreaks.episodes > 0)
      this.problems.episodes.warning(
        `${shortBreaks.episodes} short-break ${shortBreaks.episodes === 1 ? 'episode' : 'episodes'} (legal status V3 or V4) of ${shortBreaks.children} ${shortBreaks.children === 1 ? 'child' : 'children'} ${shortBreaks.episodes === 1 ? 'was' : 'were'} not imported as looked-after periods: short breaks are not supervised as looked-after children (record them as 'cwd-review').`,
        { row: shortBreaks.firstRow },
      );
    return batch;
  }

  private buildEpisodes(
    id: string,
    episodes: Episode[],
    child: ImportedChild,
    shortBreaks: { episodes: number; children: number; firstRow: number },
  ): void {
    const problems = this.problems.episodes;
    episodes.sort((a, b) => a.decom - b.decom || a.row - b.row);
    const involvements: ImportedInvolvement[] = [];
    const placements: ImportedPlacement[] = [];
    const legal: ImportedLegal[] = [];

    let last: Episode | null = null; // the previous episode, of any kind
    let prev: Episode | null = null; // the previous episode taken into a period
    let period: ImportedInvolvement | null = null;
    let placement: ImportedPlacement | null = null;
    let placementCode = '';
    let placementPost = '';
    let afterTemporary = false;
    let proceedings: ImportedLegal | null = null;
    let first = true;
    let hadShortBreak = false;

    for (const episode of episodes) {
      if (last !== null && (last.dec === NO_DATE || episode.decom < last.dec)) {
        problems.error(
          last.dec === NO_DATE
            ? `Child ${quote(id)}: this episode starts on ${shown(episode.decom)} while the episode starting ${shown(last.decom)} (${this.columns.row} ${last.row}) has no end date (DEC). A child's episodes must not overlap.`
            : `Child ${quote(id)}: this episode starts on ${shown(episode.decom)}, before the episode starting ${shown(last.decom)} (${this.columns.row} ${last.row}) ended on ${shown(last.dec)}. A child's episodes must not overlap.`,
          { row: episode.row, column: 'DECOM' },
        );
        continue;
      }
      last = episode;
      const status = legalStatusMapping(episode.ls);
      if (status?.shortBreak === true) {
        shortBreaks.episodes++;
        shortBreaks.firstRow = Math.min(shortBreaks.firstRow, episode.row);
        if (!hadShortBreak) shortBreaks.children++;
        hadShortBreak = true;
        period = null;
        placement = null;
        proceedings = null;
        prev = null;
        first = false;
        continue;
      }
      const end = iso(episode.dec);
      const mapping = placeMapping(episode.place);
      const type = mapping?.type ?? 'other';

      if (period !== null && prev !== null && this.continuesPeriod(id, prev, episode)) {
        period.end = end;
        // The placement.
        if (placement !== null && mapping?.temporary === true) {
          placement.end = end;
          afterTemporary = true;
        } else if (
          placement !== null &&
          ((afterTemporary &&
            episode.place === placementCode &&
            (episode.plPost === '' || placementPost === '' || episode.plPost === placementPost)) ||
            ((episode.rne === 'L' || episode.rne === 'T' || episode.rne === 'U') &&
              type === placement.type))
        ) {
          placement.end = end;
          placementCode = episode.place;
          if (episode.plPost !== '') placementPost = episode.plPost;
          afterTemporary = false;
        } else {
          if (placement !== null) placement.end = isoOf(episode.decom);
          placement = { type, start: isoOf(episode.decom), end, stableFrom: null };
          placements.push(placement);
          placementCode = episode.place;
          placementPost = episode.plPost;
          afterTemporary = mapping?.temporary === true;
        }
        // Care proceedings.
        if (status?.type === 'care-proceedings') {
          if (proceedings !== null) proceedings.end = end;
          else {
            proceedings = { type: 'care-proceedings', start: isoOf(episode.decom), end };
            legal.push(proceedings);
          }
        } else if (proceedings !== null) {
          proceedings.end = isoOf(episode.decom);
          proceedings = null;
        }
      } else {
        if (prev !== null && prev.rec === 'X1' && prev.dec !== NO_DATE && episode.decom > prev.dec)
          problems.warning(
            `REC X1 on the episode ending ${shown(prev.dec)} (${this.columns.row} ${prev.row}) says a new episode starts that day, but the next one starts on ${shown(episode.decom)}: the period of care was treated as ending on ${shown(prev.dec)}.`,
            { row: episode.row, column: 'DECOM' },
          );
        const start = isoOf(episode.decom);
        // The child's first episode in the file, when its RNE says something was already under
        // way before it: the period, the placement (same carers) or the legal status.
        const already = first && episode.rne !== '' && episode.rne !== 'S';
        period = { type: 'cla', start, end };
        if (already) period.continues = true;
        involvements.push(period);
        placement = { type, start, end, stableFrom: null };
        if (first && (episode.rne === 'L' || episode.rne === 'T' || episode.rne === 'U'))
          placement.continues = true;
        placements.push(placement);
        placementCode = episode.place;
        placementPost = episode.plPost;
        afterTemporary = mapping?.temporary === true;
        proceedings = null;
        if (status?.type === 'care-proceedings') {
          proceedings = { type: 'care-proceedings', start, end };
          if (first && (episode.rne === 'P' || episode.rne === 'T')) proceedings.continues = true;
          legal.push(proceedings);
        }
      }
      prev = episode;
      first = false;
    }
    if (prev !== null && prev === last && prev.rec === 'X1' && prev.dec !== NO_DATE)
      problems.warning(
        `REC X1 says a new episode starts on ${shown(prev.dec)}, but child ${quote(id)} has none: the period of care was treated as ending then.`,
        { row: prev.row, column: 'REC' },
      );

    const from = episodes.length > 0 ? isoOf(Math.min(...episodes.map((e) => e.decom))) : null;
    child.involvements = { from, records: involvements };
    child.placements = { from, records: placements };
    child.legal = { from, records: legal };
  }

  /** Whether `episode` carries on the period of care `prev` was in. */
  private continuesPeriod(id: string, prev: Episode, episode: Episode): boolean {
    if (prev.dec === NO_DATE || episode.decom !== prev.dec) return false;
    const leftCare = prev.rec !== '' && prev.rec !== 'X1';
    if (leftCare && episode.rne === 'S') return false;
    if (leftCare)
      this.problems.episodes.warning(
        `Child ${quote(id)}: REC ${quote(prev.rec)} on the episode ending ${shown(prev.dec)} (${this.columns.row} ${prev.row}) says the child left care, but this episode starts that day with RNE ${quote(episode.rne)} (${NEW_EPISODE_REASONS[episode.rne] ?? 'no reason given'}): treated as one continuing period of care.`,
        { row: episode.row, column: 'RNE' },
      );
    else if (episode.rne === 'S')
      this.problems.episodes.warning(
        `Child ${quote(id)}: RNE S (started to be looked after) on an episode that follows the one ending ${shown(prev.dec)} (${this.columns.row} ${prev.row}, REC ${prev.rec === '' ? 'blank' : prev.rec}) without a gap: treated as one continuing period of care.`,
        { row: episode.row, column: 'RNE' },
      );
    return true;
  }
}
