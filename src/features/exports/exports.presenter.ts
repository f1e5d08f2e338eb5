import { londonDate } from '../../clock.js';
import { presentAction } from '../actions/actions.presenter.js';
import {
  displayName,
  INVOLVEMENT_LABELS,
  label,
  REQUIREMENT_LABELS,
  SUBJECT_LABELS,
} from '../oversight/labels.js';
import { daysOverdue } from '../oversight/oversight.service.js';
import type { ActionExportRow, ActionsExport, DueExport, DueExportRow } from './exports.service.js';
import type { Cell, Column, Table } from './table.js';

/** The exports' columns and cells, in the words the pages use. */

const STATUS_WORDS: Record<string, string> = {
  'on-track': 'On track',
  due: 'Due',
  overdue: 'Overdue',
  met: 'Met',
  missed: 'Missed',
  breached: 'Breached',
};

export const DUE_COLUMNS: readonly Column[] = [
  { header: 'Subject', type: 'text', width: 12 },
  { header: 'ID', type: 'text', width: 14 },
  { header: 'Name', type: 'text', width: 28 },
  { header: 'Requirement', type: 'text', width: 26 },
  { header: 'Status', type: 'text', width: 10 },
  { header: 'Due', type: 'date', width: 13 },
  { header: 'Overdue after', type: 'date', width: 14 },
  { header: 'Days overdue', type: 'number', width: 13 },
  { header: 'Last supervision', type: 'date', width: 16 },
  { header: 'Reason', type: 'text', width: 60 },
  { header: 'Worker', type: 'text', width: 24 },
  { header: 'Team', type: 'text', width: 24 },
  { header: 'Service', type: 'text', width: 24 },
  { header: 'Involvements', type: 'text', width: 28 },
  { header: "Manager's override", type: 'text', width: 18 },
];

export function dueCells(row: DueExportRow, asOf: string): Cell[] {
  return [
    label(SUBJECT_LABELS, row.subjectKind),
    row.subjectId,
    row.subjectName,
    label(REQUIREMENT_LABELS, row.requirement),
    STATUS_WORDS[row.effectiveStatus] ?? row.effectiveStatus,
    row.effectiveDue,
    row.effectiveLatest,
    daysOverdue(row, asOf),
    row.lastEvent,
    row.reason,
    // A worker's own row names no worker beside them, as on the page.
    row.workerId === null || row.subjectKind === 'worker'
      ? null
      : displayName(row.workerName, 'worker', row.workerId),
    row.teamName,
    row.serviceName,
    row.involvements.map((type) => label(INVOLVEMENT_LABELS, type)).join('; ') || null,
    row.overrideId === null ? null : 'Yes',
  ];
}

export function dueTable(list: DueExport): Table {
  const asOf = list.asOf;
  return {
    columns: DUE_COLUMNS,
    batches: (async function* () {
      for await (const batch of list.batches) yield batch.map((row) => dueCells(row, asOf));
    })(),
  };
}

const LIST_WORDS: Record<ActionExportRow['list'], string> = {
  open: 'Mine, open',
  'marked-done': 'Mine, marked done',
  agreed: 'Agreed with someone I supervise',
  attention: 'Overdue or drifting',
};

export const ACTION_COLUMNS: readonly Column[] = [
  { header: 'List', type: 'text', width: 22 },
  { header: 'Action', type: 'text', width: 50 },
  { header: 'Child', type: 'text', width: 26 },
  { header: 'Owner', type: 'text', width: 24 },
  { header: "Owner's team", type: 'text', width: 24 },
  { header: 'Agreed at', type: 'text', width: 26 },
  { header: 'Agreed on', type: 'date', width: 13 },
  { header: 'Due', type: 'date', width: 13 },
  { header: 'Days overdue', type: 'number', width: 13 },
  { header: 'Times carried forward', type: 'number', width: 20 },
  { header: 'Drifting', type: 'text', width: 10 },
  { header: 'Marked done on', type: 'date', width: 15 },
];

export function actionCells(row: ActionExportRow, today: string): Cell[] {
  // The page's own presentation: a child the viewer may not see is not named (nor its id given).
  const view = presentAction(row.action, row.reach, today);
  return [
    LIST_WORDS[row.list],
    view.description,
    view.childName,
    view.ownerName,
    view.teamName,
    view.sessionLabel.charAt(0).toUpperCase() + view.sessionLabel.slice(1),
    view.sessionDate,
    view.dueDate,
    view.daysOverdue,
    view.carried,
    view.drifted ? 'Yes' : null,
    // When it was marked, as the day in London.
    view.markedDoneAt === null ? null : londonDate(new Date(view.markedDoneAt)),
  ];
}

export function actionsTable(list: ActionsExport, options: { withList: boolean }): Table {
  const today = list.today;
  const keep = (cells: Cell[]) => (options.withList ? cells : cells.slice(1));
  return {
    columns: options.withList ? ACTION_COLUMNS : ACTION_COLUMNS.slice(1),
    batches: (async function* () {
      for await (const batch of list.batches)
        yield batch.map((row) => keep(actionCells(row, today)));
    })(),
  };
}
