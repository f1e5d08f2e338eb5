import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { DecisionRecordView } from './notes.presenter.js';

/**
 * The decision record (policy 004, Appendix 1) as a pdfmake document definition, from the same
 * plain view the page shows. Pure: rendering it is pdf.ts's job, so this can be tested without
 * making a PDF. Several records (a child's file) each start on a new page.
 */

const GREY = '#505a5f';

function paragraphs(text: string | null): Content[] {
  if (text === null || text.trim() === '')
    return [{ text: 'Nothing recorded', color: GREY, italics: true, margin: [0, 0, 0, 8] }];
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ text: line, margin: [0, 0, 0, 4] }));
}

// Headings carry a headline level, so that pageBreakBefore below keeps each with what follows.
function section(title: string, parts: Content[]): Content[] {
  return [{ text: title, style: 'h2', headlineLevel: 2 }, ...parts];
}

function labelled(label: string, text: string | null): Content[] {
  return [{ text: label, style: 'h3', headlineLevel: 3 }, ...paragraphs(text)];
}

function detailsTable(record: DecisionRecordView): Content {
  const rows: [string, string][] = [
    ['Child or young person', `${record.childName} (${record.childId})`],
    ['Date of birth', record.dateOfBirth],
    ['Supervision date', record.supervisionDate],
    ['Type of supervision', record.sessionType],
    [record.superviseesLabel, record.supervisees],
    ['Supervisor or manager', record.supervisor],
    ...(record.othersPresent === null
      ? []
      : [['Others present', record.othersPresent] as [string, string]]),
  ];
  return {
    table: {
      widths: [150, '*'],
      body: rows.map(([key, value]) => [{ text: key, bold: true }, { text: value }]),
    },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 12],
  };
}

function actionsTable(record: DecisionRecordView): Content {
  if (record.actions.length === 0) return { text: 'No actions agreed.', margin: [0, 0, 0, 8] };
  return {
    table: {
      headerRows: 1,
      widths: ['*', 130, 90],
      body: [
        [
          { text: 'Action', bold: true },
          { text: 'Who', bold: true },
          { text: 'Timescale', bold: true },
        ],
        ...record.actions.map((a) => [a.description, a.owner, a.timescale]),
      ],
    },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 8],
  };
}

function signaturesTable(record: DecisionRecordView): Content {
  return {
    table: {
      headerRows: 1,
      widths: [130, '*', 110],
      body: [
        [
          { text: 'Role', bold: true },
          { text: 'Name', bold: true },
          { text: 'Date signed', bold: true },
        ],
        ...record.signatures.map((s) => [s.role, s.name, s.signed]),
      ],
    },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 8],
  };
}

/** One record's content. */
export function decisionRecordContent(record: DecisionRecordView): Content[] {
  return [
    { text: record.organisation, style: 'organisation' },
    { text: 'Supervision decision record', style: 'h1' },
    { text: 'Individual child, young person or family record', style: 'caption' },
    detailsTable(record),
    ...section('Brief history', [
      ...labelled('Current status', record.status),
      ...labelled('What has happened since the last discussion', record.sinceLast),
      ...labelled('What has changed', record.changes),
    ]),
    ...section('Concerns', paragraphs(record.worries)),
    ...section('Strengths and protective factors', [
      ...paragraphs(record.strengths),
      ...labelled('What is working well', record.workingWell),
    ]),
    ...section('The child’s voice and lived experience', paragraphs(record.childVoice)),
    ...section('Decision', paragraphs(record.decision)),
    ...section('Rationale', paragraphs(record.rationale)),
    ...section('Actions agreed', [actionsTable(record)]),
    ...section('Signatures', [signaturesTable(record)]),
    ...(record.copied === null ? [] : [{ text: record.copied, style: 'note' } as Content]),
  ];
}

export interface DocumentOptions {
  /** The PDF's title, e.g. "Supervision decision record: Child name, 24 Nov 2026". */
  title: string;
  /** What to say when there is no record (a child's file for a period with none). */
  emptyText?: string;
  /** Who the file is about, for the heading of one with no records. */
  heading?: { organisation: string; childName: string; dateOfBirth: string };
}

/** The children of a range's PDF: each with their decision records, oldest first. */
export interface ChildFile {
  childId: string;
  childName: string;
  dateOfBirth: string;
  records: readonly DecisionRecordView[];
}

export interface RangeOptions {
  title: string;
  organisation: string;
  /** "From 1 Sep 2026 to 30 Nov 2026". */
  rangeText: string;
  /** "Children of Team North", "Children in your place". */
  placeText: string;
}

/**
 * Decision records across children (a date range, a team or a service) as one document: a
 * cover with the contents (each child, and the page their records begin on), then each child's
 * records, each on a new page, laid out as a child's own file is.
 */
export function decisionRecordsRangeDocument(
  children: readonly ChildFile[],
  options: RangeOptions,
): TDocumentDefinitions {
  const cover: Content[] = [
    { text: options.organisation, style: 'organisation' },
    { text: 'Supervision decision records', style: 'h1' },
    { text: `${options.placeText}. ${options.rangeText}.`, style: 'caption' },
  ];
  const body: Content[] =
    children.length === 0
      ? [{ text: 'There are no signed supervision decision records for these children and dates.' }]
      : [
          {
            toc: { title: { text: 'Contents', style: 'h2' }, numberStyle: { bold: false } },
          },
          ...children.map((child): Content => ({
            stack: [
              {
                text: `${child.childName} (${child.childId}), born ${child.dateOfBirth}: ${String(child.records.length)} ${child.records.length === 1 ? 'record' : 'records'}`,
                style: 'caption',
                tocItem: true,
                tocMargin: [0, 0, 0, 4],
              },
              ...child.records.map((record, index) => ({
                stack: decisionRecordContent(record),
                ...(index === 0 ? {} : { pageBreak: 'before' as const }),
              })),
            ],
            pageBreak: 'before',
          })),
        ];
  const base = decisionRecordsDocument([], { title: options.title });
  return { ...base, content: [...cover, ...body] };
}

export function decisionRecordsDocument(
  records: readonly DecisionRecordView[],
  options: DocumentOptions,
): TDocumentDefinitions {
  const content: Content[] =
    records.length === 0
      ? [
          { text: options.heading?.organisation ?? '', style: 'organisation' },
          { text: 'Supervision decision records', style: 'h1' },
          ...(options.heading === undefined
            ? []
            : [
                {
                  text: `${options.heading.childName}, born ${options.heading.dateOfBirth}`,
                  style: 'caption',
                } as Content,
              ]),
          { text: options.emptyText ?? 'There are no decision records.' },
        ]
      : records.map((record, index) => ({
          stack: decisionRecordContent(record),
          ...(index === 0 ? {} : { pageBreak: 'before' }),
        }));
  return {
    info: { title: options.title, subject: 'Supervision decision record', creator: 'Oversight' },
    language: 'en-GB',
    displayTitle: true,
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 56],
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.2 },
    styles: {
      organisation: { fontSize: 11, color: GREY, margin: [0, 0, 0, 4] },
      h1: { fontSize: 20, bold: true, margin: [0, 0, 0, 2] },
      caption: { fontSize: 11, color: GREY, margin: [0, 0, 0, 12] },
      h2: { fontSize: 14, bold: true, margin: [0, 10, 0, 4] },
      h3: { fontSize: 11, bold: true, margin: [0, 4, 0, 2] },
      note: { fontSize: 10, color: GREY, margin: [0, 8, 0, 0] },
    },
    // A heading left alone at the foot of a page goes over to the next, with what it heads.
    pageBreakBefore: (node, nodes) =>
      node.headlineLevel !== undefined && nodes.getFollowingNodesOnPage().length === 0,
    footer: (currentPage: number, pageCount: number) => ({
      columns: [
        { text: 'Confidential: for the child’s file', color: GREY, fontSize: 8 },
        {
          text: `Page ${String(currentPage)} of ${String(pageCount)}`,
          alignment: 'right',
          color: GREY,
          fontSize: 8,
        },
      ],
      margin: [48, 16, 48, 0],
    }),
    content,
  };
}
