/**
 * Checks the API's answers against its own OpenAPI 3.1 document, with a small JSON Schema
 * validator covering exactly the words the document uses: type (one or a list, so nullable is
 * ["string", "null"]), properties, required, additionalProperties: false, enum, items, format
 * (date, date-time), minLength, maxLength, minimum and $ref. Any other word in a schema is a
 * problem, so the document cannot say more than is checked. Annotations (description, examples,
 * title) are allowed; examples are checked against their schemas.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = Record<string, unknown>;

const ANNOTATIONS = new Set(['description', 'examples', 'title']);
const KEYWORDS = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'items',
  'format',
  'minLength',
  'maxLength',
  'minimum',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function isDateTime(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  return match !== null && isRealDate(match[1] ?? '') && !Number.isNaN(Date.parse(text));
}

function headerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'object':
      return isNode(value);
    default:
      return typeOf(value) === type;
  }
}

export interface Answer {
  method: string;
  /** The path called, with its query, e.g. /api/v1/children/C1/due?subject=child */
  url: string;
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export class OpenApiCheck {
  /** The part of a called path before the document's paths (its server's path). */
  readonly basePath: string;

  constructor(readonly document: Node) {
    const servers = document.servers;
    const url = Array.isArray(servers) && isNode(servers[0]) ? String(servers[0].url) : 'http://x/';
    this.basePath = new URL(url).pathname.replace(/\/$/, '');
  }

  /** Follows a local reference (`#/components/schemas/Due`); throws if it leads nowhere. */
  resolve(node: unknown): Node {
    let current = node;
    for (let hops = 0; isNode(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 20) throw new Error('a cycle of $ref');
      const ref = current.$ref;
      if (!ref.startsWith('#/')) throw new Error(`${ref}: only local references are checked`);
      let target: unknown = this.document;
      for (const part of ref.slice(2).split('/'))
        target = isNode(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
      if (target === undefined) throw new Error(`${ref} leads nowhere`);
      current = target;
    }
    if (!isNode(current)) throw new Error(`not an object: ${JSON.stringify(current)}`);
    return current;
  }

  /** Every way `value` breaks `schema`, each with its JSON path; empty when it conforms. */
  validate(schema: unknown, value: unknown, at = '$'): string[] {
    const node = isNode(schema) ? schema : {};
    const s =
      typeof node.$ref === 'string' ? { ...this.resolve(node), ...node, $ref: undefined } : node;
    const problems: string[] = [];
    for (const key of Object.keys(s)) {
      if (s[key] === undefined) continue;
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key))
        problems.push(`${at}: the schema uses "${key}", which this check does not know`);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      for (const t of types) if (!TYPES.has(t)) problems.push(`${at}: unknown type ${t}`);
      if (!types.some((t) => matchesType(t, value))) {
        problems.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
        return problems;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => e === value))
      problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
    if (typeof value === 'string') {
      if (s.format === 'date' && !isRealDate(value))
        problems.push(`${at}: "${value}" is not a date (YYYY-MM-DD)`);
      if (s.format === 'date-time' && !isDateTime(value))
        problems.push(`${at}: "${value}" is not a date-time`);
      if (s.format !== undefined && s.format !== 'date' && s.format !== 'date-time')
        problems.push(`${at}: unknown format ${JSON.stringify(s.format)}`);
      if (typeof s.minLength === 'number' && value.length < s.minLength)
        problems.push(`${at}: shorter than ${String(s.minLength)}`);
      if (typeof s.maxLength === 'number' && value.length > s.maxLength)
        problems.push(`${at}: longer than ${String(s.maxLength)}`);
    }
    if (typeof value === 'number' && typeof s.minimum === 'number' && value < s.minimum)
      problems.push(`${at}: ${String(value)} is less than ${String(s.minimum)}`);
    if (isNode(value)) {
      const properties = isNode(s.properties) ? s.properties : {};
      if (Array.isArray(s.required))
        for (const name of s.required as string[])
          if (!(name in value)) problems.push(`${at}: ${name} is required`);
      if (s.additionalProperties !== undefined && s.additionalProperties !== false)
        problems.push(`${at}: additionalProperties is checked only as false`);
      for (const [name, item] of Object.entries(value)) {
        if (name in properties)
          problems.push(...this.validate(properties[name], item, `${at}.${name}`));
        else if (s.additionalProperties === false)
          problems.push(`${at}: ${name} is not a property the document allows`);
      }
    }
    if (Array.isArray(value) && s.items !== undefined)
      value.forEach((item, i) =>
        problems.push(...this.validate(s.items, item, `${at}[${String(i)}]`)),
      );
    return problems;
  }

  /** Every operation: its path template, method and the statuses it documents. */
  operations(): { path: string; method: string; operation: Node; statuses: string[] }[] {
    const out: { path: string; method: string; operation: Node; statuses: string[] }[] = [];
    const paths = isNode(this.document.paths) ? this.document.paths : {};
    for (const [path, item] of Object.entries(paths)) {
      if (!isNode(item)) continue;
      for (const method of METHODS) {
        const operation = item[method];
        if (!isNode(operation)) continue;
        const responses = isNode(operation.responses) ? operation.responses : {};
        out.push({
          path,
          method: method.toUpperCase(),
          operation,
          statuses: Object.keys(responses),
        });
      }
    }
    return out;
  }

  /** The document's operation for a call, by its path template (`/children/{id}/due`). */
  find(
    method: string,
    url: string,
  ): { path: string; operation: Node; params: Record<string, string> } {
    const pathname = new URL(url, 'http://x').pathname;
    if (!pathname.startsWith(this.basePath))
      throw new Error(`${url} is not under ${this.basePath}`);
    const rest = pathname.slice(this.basePath.length);
    for (const op of this.operations()) {
      if (op.method !== method.toUpperCase()) continue;
      const names: string[] = [];
      const pattern = op.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
          names.push(name);
          return '([^/]*)';
        });
      const match = new RegExp(`^${pattern}$`).exec(rest);
      if (match === null) continue;
      const params = Object.fromEntries(
        names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return { path: op.path, operation: op.operation, params };
    }
    throw new Error(`the document has no operation for ${method} ${url}`);
  }

  /** Every way an answer breaks the document: an undocumented status, header or body. */
  checkAnswer(answer: Answer): { path: string; problems: string[] } {
    const { path, operation } = this.find(answer.method, answer.url);
    const problems: string[] = [];
    const responses = isNode(operation.responses) ? operation.responses : {};
    const documented = responses[String(answer.status)];
    if (documented === undefined)
      return {
        path,
        problems: [`${answer.method} ${path}: status ${String(answer.status)} is not documented`],
      };
    const response = this.resolve(documented);
    const headers = isNode(response.headers) ? response.headers : {};
    for (const [name, spec] of Object.entries(headers)) {
      const header = this.resolve(spec);
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required === true) problems.push(`header ${name} is missing`);
        continue;
      }
      const text = headerText(value);
      const schema = isNode(header.schema) ? this.resolve(header.schema) : {};
      const parsed = schema.type === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text;
      problems.push(...this.validate(schema, parsed, `header ${name}`));
    }
    const content = isNode(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length > 0) {
      const type = headerText(answer.headers['content-type']).split(';')[0]?.trim() ?? '';
      const media = content[type];
      if (!isNode(media)) {
        problems.push(`content type ${type} is not one of ${mediaTypes.join(', ')}`);
      } else {
        let body: unknown;
        try {
          body = JSON.parse(answer.body) as Json;
        } catch {
          problems.push('the body is not JSON');
        }
        if (body !== undefined) problems.push(...this.validate(media.schema, body));
      }
    }
    return { path, problems };
  }

  /**
   * Whether the document holds together: every reference leads somewhere, every schema uses
   * only words this check knows, every example fits its schema, every path's parameters are
   * declared and every operation has an id.
   */
  checkDocument(): string[] {
    const problems: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (Array.isArray(node))
        node.forEach((n, i) => {
          walk(n, `${where}[${String(i)}]`);
        });
      if (!isNode(node)) return;
      if (typeof node.$ref === 'string') {
        try {
          this.resolve(node);
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };
    walk(this.document, '$');
    const components = isNode(this.document.components) ? this.document.components : {};
    const schemas = isNode(components.schemas) ? components.schemas : {};
    for (const [name, schema] of Object.entries(schemas)) {
      const examples = isNode(schema) && Array.isArray(schema.examples) ? schema.examples : [];
      for (const example of examples)
        problems.push(...this.validate(schema, example, `example of ${name}`));
    }
    const seen = new Set<unknown>();
    const schemaWords = (schema: unknown, where: string) => {
      if (!isNode(schema) || seen.has(schema)) return;
      seen.add(schema);
      if (typeof schema.$ref === 'string') {
        try {
          schemaWords(this.resolve(schema), where);
        } catch {
          return; // reported by the walk above
        }
      }
      for (const key of Object.keys(schema))
        if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key))
          problems.push(`${where}: the schema uses "${key}", which this check does not know`);
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      for (const t of types)
        if (t !== undefined && !TYPES.has(String(t)))
          problems.push(`${where}: unknown type ${String(t)}`);
      if (schema.format !== undefined && schema.format !== 'date' && schema.format !== 'date-time')
        problems.push(`${where}: unknown format ${JSON.stringify(schema.format)}`);
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
        problems.push(`${where}: additionalProperties is checked only as false`);
      if (isNode(schema.properties))
        for (const [name, sub] of Object.entries(schema.properties))
          schemaWords(sub, `${where}.${name}`);
      schemaWords(schema.items, `${where}[]`);
    };
    for (const [name, schema] of Object.entries(schemas)) schemaWords(schema, name);
    for (const op of this.operations()) {
      const where = `${op.method} ${op.path}`;
      if (typeof op.operation.operationId !== 'string') problems.push(`${where}: no operationId`);
      const declared = (Array.isArray(op.operation.parameters) ? op.operation.parameters : [])
        .map((p) => this.resolve(p))
        .filter((p) => p.in === 'path')
        .map((p) => String(p.name));
      const inPath = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      if (JSON.stringify([...declared].sort()) !== JSON.stringify([...inPath].sort()))
        problems.push(
          `${where}: path parameters ${inPath.join(', ')} but declares ${declared.join(', ')}`,
        );
      const body = op.operation.requestBody;
      if (isNode(body)) {
        const content = isNode(body.content) ? body.content : {};
        for (const media of Object.values(content)) {
          if (!isNode(media)) continue;
          schemaWords(media.schema, `${where} request body`);
          const examples = isNode(media.examples) ? media.examples : {};
          for (const [name, example] of Object.entries(examples))
            problems.push(
              ...this.validate(
                media.schema,
                this.resolve(example).value,
                `${where} example ${name}`,
              ),
            );
        }
      }
      for (const status of op.statuses) {
        const response = this.resolve((op.operation.responses as Node)[status]);
        if (typeof response.description !== 'string')
          problems.push(`${where} ${status}: no description`);
        const content = isNode(response.content) ? response.content : {};
        for (const media of Object.values(content))
          if (isNode(media)) schemaWords(media.schema, `${where} ${status}`);
      }
    }
    return problems;
  }
}
