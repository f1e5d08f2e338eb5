import { BAD_DATE, describeBadDate, isoOf, NO_DATE, readDate } from './dates.js';
import { Problems, quote } from './problems.js';
import type { NamedSource } from './text-source.js';
import {
  emptyBatch,
  type ImportedChild,
  type ImportedInvolvement,
  type ImportedLegal,
  type ImportResult,
} from './types.js';
import { child, children, readXmlRecords, textOf, type XmlElement } from './xml.js';

/**
 * The CIN census (`Message` / `Children` / `Child`), read a child at a time. Each `CINdetails`
 * (one referral and what followed it) gives, in docs/imports.md terms:
 *
 * - a `cin` involvement from `CINreferralDate` to `CINclosureDate`, unless the referral led to
 *   no further action (`ReferralNFA` true): such a child was never open as a child in need;
 * - an `assessment` for each `Assessments` block, from `AssessmentActualStartDate` to
 *   `AssessmentAuthorisationDate`;
 * - a `cp` involvement for each `ChildProtectionPlans` block, from `CPPstartDate` to `CPPendDate`;
 * - a `pre-proceedings` legal period for each `PreProceedingsandFGDM` block (2025-26 on), from
 *   `PPStartDate` to the earlier of `StepDecisionDate` and `CourtAppDate`.
 *
 * A block left open in an episode that has closed is taken to have ended with the episode.
 * `CINPlanDates` and `Section47` have no involvement type of their own and are not imported.
 */

const CIN_TYPES = ['cin', 'assessment', 'cp'] as const;

interface Block {
  type: ImportedInvolvement['type'] | 'pre-proceedings';
  label: string;
  startElement: string;
  /** Elements that end the block; the earliest given wins. */
  endElements: readonly string[];
}

const BLOCKS: Readonly<Record<string, Block>> = {
  assessments: {
    type: 'assessment',
    label: 'assessment',
    startElement: 'AssessmentActualStartDate',
    endElements: ['AssessmentAuthorisationDate'],
  },
  childprotectionplans: {
    type: 'cp',
    label: 'child protection plan',
    startElement: 'CPPstartDate',
    endElements: ['CPPendDate'],
  },
  preproceedingsandfgdm: {
    type: 'pre-proceedings',
    label: 'pre-proceedings',
    startElement: 'PPStartDate',
    endElements: ['StepDecisionDate', 'CourtAppDate'],
  },
};

function booleanOf(text: string): boolean | undefined {
  switch (text.toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

/** DD/MM/YYYY for messages to people, whatever the file's form. */
function shown(day: number): string {
  const text = isoOf(day);
  return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}`;
}

export async function parseCinCensusXml(file: NamedSource): Promise<ImportResult> {
  const problems = new Problems(file.name);
  const batch = emptyBatch('cin-census');
  batch.covers.involvementTypes.push(...CIN_TYPES);
  batch.covers.legalTypes.push('pre-proceedings');
  const firstLine = new Map<string, number>();
  let count = 0;
  let noFurtherAction = 0;

  /** A date element of `parent`: its day, NO_DATE when absent, BAD_DATE after an error. */
  const dateIn = (
    parent: XmlElement,
    written: string,
    own: Problems,
    required: string | null,
  ): number => {
    const element = child(parent, written.toLowerCase());
    const text = element?.text.trim() ?? '';
    const day = readDate(text);
    if (day === NO_DATE && required !== null)
      own.error(`${written} (${required}) is missing.`, {
        row: element?.line ?? parent.line,
        column: written,
      });
    else if (day === BAD_DATE)
      own.error(`${written} ${describeBadDate(text, 'YYYY-MM-DD')}.`, {
        row: element?.line ?? parent.line,
        column: written,
      });
    return day;
  };

  const onChild = (element: XmlElement) => {
    count++;
    const identifiers = child(element, 'childidentifiers');
    const id = identifiers !== undefined ? textOf(identifiers, 'lachildid') : '';
    if (id === '') {
      problems.error('LAchildID is missing or blank: this child was not read.', {
        row: (identifiers ?? element).line,
        column: 'LAchildID',
      });
      return;
    }
    const own = problems.withPrefix(`Child ${quote(id)}: `);
    const earlier = firstLine.get(id);
    if (earlier !== undefined) {
      own.error(
        `LAchildID ${quote(id)} is also used by the child at line ${earlier}: each child must appear once.`,
        { row: element.line, column: 'LAchildID' },
      );
      return;
    }
    firstLine.set(id, element.line);
    reportStrayText(element, own);

    const imported: ImportedChild = { id };
    const involvements: ImportedInvolvement[] = [];
    const legal: ImportedLegal[] = [];
    let from = Number.POSITIVE_INFINITY;

    if (identifiers !== undefined) {
      const dob = dateIn(identifiers, 'PersonBirthDate', own, null);
      if (dob !== NO_DATE && dob !== BAD_DATE) imported.dateOfBirth = isoOf(dob);
    }

    const episodes = children(element, 'cindetails');
    if (episodes.length === 0) {
      own.error('The child has no CINdetails: every child in the census needs at least one.', {
        row: element.line,
        column: 'CINdetails',
      });
      return;
    }
    for (const details of episodes) {
      const referral = dateIn(details, 'CINreferralDate', own, 'the referral date');
      const closure = dateIn(details, 'CINclosureDate', own, null);
      const referralOk = referral !== NO_DATE && referral !== BAD_DATE;
      const closureOk = closure !== NO_DATE && closure !== BAD_DATE;
      if (referralOk && closureOk && closure < referral) {
        own.error(
          `CINclosureDate (${shown(closure)}) is before CINreferralDate (${shown(referral)}).`,
          { row: child(details, 'cinclosuredate')?.line ?? details.line, column: 'CINclosureDate' },
        );
        continue;
      }
      if (!referralOk) continue;
      from = Math.min(from, referral);
      const nfaText = textOf(details, 'referralnfa');
      let nfa = booleanOf(nfaText);
      if (nfa === undefined && nfaText !== '') {
        own.warning(`ReferralNFA ${quote(nfaText)} is not true or false: treated as false.`, {
          row: child(details, 'referralnfa')?.line ?? details.line,
          column: 'ReferralNFA',
        });
      }
      nfa ??= false;
      if (nfa) noFurtherAction++;
      else
        involvements.push({
          type: 'cin',
          start: isoOf(referral),
          end: closureOk ? isoOf(closure) : null,
        });

      for (const block of details.children) {
        if (!Object.hasOwn(BLOCKS, block.name)) continue;
        const spec = BLOCKS[block.name] as Block;
        const start = dateIn(block, spec.startElement, own, `the ${spec.label}'s start`);
        let end = NO_DATE;
        let endElement = spec.endElements[0] ?? '';
        let endBad = false;
        for (const name of spec.endElements) {
          const day = dateIn(block, name, own, null);
          if (day === BAD_DATE) endBad = true;
          else if (day !== NO_DATE && (end === NO_DATE || day < end))
            [end, endElement] = [day, name];
        }
        if (start === NO_DATE || start === BAD_DATE || endBad) continue;
        if (end !== NO_DATE && end < start) {
          own.error(
            `The ${spec.label} starting ${shown(start)} ends before it starts (${endElement} ${shown(end)}).`,
            { row: child(block, endElement.toLowerCase())?.line ?? block.line, column: endElement },
          );
          continue;
        }
        if (start < referral)
          own.warning(
            `The ${spec.label} starting ${shown(start)} starts before the referral of its CIN episode (${shown(referral)}): imported as recorded.`,
            {
              row: child(block, spec.startElement.toLowerCase())?.line ?? block.line,
              column: spec.startElement,
            },
          );
        if (closureOk && start > closure)
          own.warning(
            `The ${spec.label} starting ${shown(start)} starts after its CIN episode closed (${shown(closure)}): imported as recorded.`,
            {
              row: child(block, spec.startElement.toLowerCase())?.line ?? block.line,
              column: spec.startElement,
            },
          );
        if (end === NO_DATE && closureOk && start <= closure) {
          end = closure;
          own.warning(
            `The ${spec.label} starting ${shown(start)} has no end date but its CIN episode closed on ${shown(closure)}: treated as ending then.`,
            { row: block.line, column: spec.endElements[0] ?? '' },
          );
        }
        from = Math.min(from, start);
        const period = { start: isoOf(start), end: end === NO_DATE ? null : isoOf(end) };
        if (spec.type === 'pre-proceedings') legal.push({ type: 'pre-proceedings', ...period });
        else involvements.push({ type: spec.type, ...period });
      }
    }

    const fromIso = Number.isFinite(from) ? isoOf(from) : null;
    imported.involvements = { from: fromIso, records: involvements };
    imported.legal = { from: fromIso, records: legal };
    batch.children.set(id, imported);
  };

  const onHeader = (header: XmlElement) => {
    const details = child(header, 'collectiondetails');
    if (details === undefined) return;
    const year = textOf(details, 'year');
    const referenceText = textOf(details, 'referencedate');
    const reference = readDate(referenceText);
    if (reference === BAD_DATE)
      problems.warning(`ReferenceDate ${describeBadDate(referenceText, 'YYYY-MM-DD')}.`, {
        row: child(details, 'referencedate')?.line ?? details.line,
        column: 'ReferenceDate',
      });
    else if (reference !== NO_DATE && year !== '' && isoOf(reference).slice(0, 4) !== year)
      problems.warning(
        `The header's Year (${year}) does not match its ReferenceDate (${shown(reference)}). Oversight uses neither, so nothing was assumed from them.`,
        { row: child(details, 'year')?.line ?? details.line, column: 'Year' },
      );
  };

  const root = await readXmlRecords(
    file.content,
    problems,
    'child',
    (element) => {
      if (element.name === 'header') onHeader(element);
      else onChild(element);
    },
    ['header'],
  );
  if (noFurtherAction > 0)
    problems.warning(
      `${noFurtherAction} ${noFurtherAction === 1 ? 'referral' : 'referrals'} ended with no further action (ReferralNFA true): ${noFurtherAction === 1 ? 'it is' : 'they are'} not a period of child in need, so no 'cin' involvement was recorded for ${noFurtherAction === 1 ? 'it' : 'them'} (their assessments and plans, if any, were).`,
    );
  if (root !== null && count === 0)
    problems.error(
      `The file has no Child elements (its root element is <${root}>): is it a CIN census file?`,
    );
  return { batch, problems: problems.list };
}

/** Text directly inside an element that holds elements is a typing slip; say it was ignored. */
function reportStrayText(element: XmlElement, problems: Problems): void {
  if (element.children.length === 0) return;
  const text = element.text.trim();
  if (text !== '')
    problems.warning(`Unexpected text ${quote(text)} inside <${element.written}>: ignored.`, {
      row: element.line,
      column: element.written,
    });
  for (const c of element.children) reportStrayText(c, problems);
}
