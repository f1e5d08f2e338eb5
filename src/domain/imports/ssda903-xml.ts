import { Problems, quote } from './problems.js';
import { Ssda903Builder } from './ssda903-episodes.js';
import type { NamedSource } from './text-source.js';
import type { ImportResult } from './types.js';
import { child, readXmlRecords, textOf, type XmlElement } from './xml.js';

/**
 * The SSDA903 return as one XML file (`EXPSSDA903`, one `CHILD` per child with a `HEADER` and
 * its `EPISODE`s), read a child at a time. Element names are read in any case; `PL` is the CSV's
 * PLACE. Dates are DD/MM/YYYY as in the CSV tables (YYYY-MM-DD is read too). The XML elements of
 * social worker episodes were not published with the samples Oversight was built from, so any
 * element of a child holding an `SW_ID` with `SW_DECOM` is read as one.
 */
export async function parseSsda903Xml(file: NamedSource): Promise<ImportResult> {
  const problems = new Problems(file.name);
  const builder = new Ssda903Builder(
    { header: problems, episodes: problems, sw: problems },
    { child: 'CHILDID', place: 'PL', row: 'line' },
  );
  let children = 0;

  const root = await readXmlRecords(file.content, problems, 'child', (element) => {
    children++;
    const header = child(element, 'header');
    const id = header !== undefined ? textOf(header, 'childid') : textOf(element, 'childid');
    if (id === '') {
      problems.error('CHILDID is blank: this child and their episodes were not read.', {
        row: (header ?? element).line,
        column: 'CHILDID',
      });
      return;
    }
    const own = problems.withPrefix(`Child ${quote(id)}: `);
    if (header !== undefined)
      builder.addHeader({ child: id, dob: textOf(header, 'dob') }, header.line, own);
    const swEpisodes: XmlElement[] = [];
    for (const part of element.children) {
      if (part.name === 'episode') {
        const place = child(part, 'pl') !== undefined ? textOf(part, 'pl') : textOf(part, 'place');
        builder.addEpisode(
          {
            child: id,
            decom: textOf(part, 'decom'),
            dec: textOf(part, 'dec'),
            rne: textOf(part, 'rne'),
            ls: textOf(part, 'ls'),
            place,
            plPost: textOf(part, 'pl_post'),
            rec: textOf(part, 'rec'),
          },
          part.line,
          own,
        );
      } else {
        collectSwEpisodes(part, swEpisodes);
      }
    }
    for (const sw of swEpisodes) {
      builder.addSwEpisode(
        {
          child: id,
          swId: textOf(sw, 'sw_id').toUpperCase(),
          start: textOf(sw, 'sw_decom'),
          end: textOf(sw, 'sw_dec'),
        },
        sw.line,
        own,
      );
    }
  });

  const batch = builder.build({ episodes: true, header: true });
  if (root !== null && children === 0)
    problems.error(
      `The file has no CHILD elements (its root element is <${root}>): is it an SSDA903 XML file?`,
    );
  return { batch, problems: problems.list };
}

function collectSwEpisodes(element: XmlElement, into: XmlElement[]): void {
  if (child(element, 'sw_id') !== undefined && child(element, 'sw_decom') !== undefined) {
    into.push(element);
    return;
  }
  for (const part of element.children) collectSwEpisodes(part, into);
}
