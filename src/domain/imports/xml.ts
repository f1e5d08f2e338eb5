import { SaxesParser } from 'saxes';
import type { Problems } from './problems.js';
import { textChunks, UnreadableTextError, type TextSource } from './text-source.js';

/**
 * An element of an XML record: its name lower-cased and without a namespace prefix (files in
 * the wild vary the case: `CINPlanDates`, `CINplanDates`), the name as written for problems,
 * the line it was on, its text and its child elements.
 */
export interface XmlElement {
  name: string;
  written: string;
  line: number;
  text: string;
  children: XmlElement[];
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon < 0 ? name : name.slice(colon + 1)).toLowerCase();
}

/**
 * Streams an XML file, handing over each `record` element (and each element named in
 * `collect`, such as a header) as a small tree once it closes, so that a large file never sits
 * in memory whole. Returns the root element's name, or null when the file could not be read (an
 * error is added).
 */
export async function readXmlRecords(
  source: TextSource,
  problems: Problems,
  record: string,
  onElement: (element: XmlElement) => void,
  collect: readonly string[] = [],
): Promise<string | null> {
  const parser = new SaxesParser({ position: true });
  const stack: (XmlElement | null)[] = [];
  // In an object, as the handlers set it.
  const state: { root: string | null } = { root: null };

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    state.root ??= name;
    const parent = stack.length > 0 ? stack[stack.length - 1] : null;
    if (parent !== null && parent !== undefined) {
      const element: XmlElement = {
        name,
        written: tag.name,
        line: parser.line,
        text: '',
        children: [],
      };
      parent.children.push(element);
      stack.push(element);
    } else if (name === record || collect.includes(name)) {
      stack.push({ name, written: tag.name, line: parser.line, text: '', children: [] });
    } else {
      stack.push(null);
    }
  });
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top !== null && top !== undefined) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop();
    const parent = stack[stack.length - 1];
    if (element !== null && element !== undefined && (parent === null || parent === undefined))
      onElement(element);
  });
  parser.on('error', (error) => {
    throw error;
  });

  let legacyNoted = false;
  try {
    for await (const chunk of textChunks(source, () => {
      if (!legacyNoted) {
        legacyNoted = true;
        problems.warning(
          'The file is not UTF-8: it was read as Windows-1252. Check that names with accents look right.',
        );
      }
    }))
      parser.write(chunk);
    parser.close();
  } catch (error) {
    if (error instanceof UnreadableTextError) {
      problems.error(error.message.replace('"CSV UTF-8"', 'XML (UTF-8)'));
      return null;
    }
    if (error instanceof Error) {
      const detail = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.+$/, '');
      problems.error(
        `The file is not well-formed XML, so it cannot be read past this line: ${detail}.`,
        { row: parser.line },
      );
      return null;
    }
    throw error;
  }
  if (state.root === null) {
    problems.error('The file is empty or holds no XML elements.');
    return null;
  }
  return state.root;
}

/** The first child element named `name` (lower case), if any. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) if (c.name === name) return c;
  return undefined;
}

/** Every child element named `name` (lower case). */
export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The trimmed text of the first child element named `name`, or '' when absent or empty. */
export function textOf(element: XmlElement, name: string): string {
  return child(element, name)?.text.trim() ?? '';
}

/** The first element named `name` anywhere below `element`, depth first. */
export function descendant(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) {
    if (c.name === name) return c;
    const found = descendant(c, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
