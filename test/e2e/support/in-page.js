// Functions that run inside the browser page (passed to Playwright's evaluate), written in plain
// JavaScript because the project's TypeScript has no DOM types. Each must be self-contained:
// Playwright sends its source text to the page. Their types are in in-page.d.ts.
/* global document, getComputedStyle */

/** Rows of a due list's table (components/due-list). */
export function readDueRows(trs) {
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')];
    const link = cells[0]?.querySelector('a');
    const workerLink = cells[5]?.querySelector('a');
    return {
      name: text(link),
      href: link?.getAttribute('href') ?? '',
      // "Child C001604": the kind, without the id.
      kind: text(cells[0]?.querySelector('.app-kind')).replace(/\s+\S+$/, ''),
      status: text(cells[2]?.querySelector('.govuk-tag')),
      daysOverdue: text(cells[3]),
      due: text(cells[4]),
      worker: text(cells[5]),
      workerHref: workerLink?.getAttribute('href') ?? null,
      reason: text(cells[6]),
    };
  });
}

/** Rows of a table whose first cell links to a record: its name, address and status tag. */
export function readLinkedRows(trs) {
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return trs.map((tr) => {
    const link = tr.querySelector('th a, td a');
    const firstNumber = tr.querySelector('td.govuk-table__cell--numeric');
    return {
      name: text(link),
      href: link?.getAttribute('href') ?? '',
      status: text(tr.querySelector('.govuk-tag')),
      firstNumber: firstNumber === null ? null : Number(text(firstNumber).replace(/,/g, '')),
    };
  });
}

/** Rows of a summary list: key, value text and the status tag in the value, if any. */
export function readSummaryRows(rows) {
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return rows.map((row) => ({
    key: text(row.querySelector('dt')),
    value: text(row.querySelector('dd')),
    status: text(row.querySelector('dd .govuk-tag')),
  }));
}

/** How wide the page is against its window. */
export function pageWidths() {
  return {
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  };
}

/** The outermost elements past the window's right edge that are not in a scrolling box. */
export function elementsPastTheEdge() {
  const width = document.documentElement.clientWidth;
  const inScrollingBox = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const past = [...document.querySelectorAll('body *')].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && !inScrollingBox(el),
  );
  return past
    .filter((el) => !past.includes(el.parentElement))
    .slice(0, 10)
    .map(
      (el) =>
        `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`,
    );
}
