import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { InputProblem } from '../domain/scheduling/extract.js';
import type { Policy } from '../domain/scheduling/policy.js';
import { validatePolicy } from '../domain/scheduling/policy-schema.js';

/**
 * The preset policies shipped in presets/ (one YAML file each, named by the policy's id), and
 * councils' own policy files, loaded and validated.
 */

const PRESET_DIR = fileURLToPath(new URL('./presets/', import.meta.url));

export class PolicyError extends Error {
  constructor(
    /** The file, or the id that was asked for. */
    readonly where: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(
      `${where}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
    );
    this.name = 'PolicyError';
  }
}

export function presetIds(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => basename(name, '.yaml'))
    .sort();
}

/** Parses and validates a policy file's text; `where` names it in messages. */
export function parsePolicy(text: string, where: string): Policy {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new PolicyError(
      where,
      document.errors.map((error) => ({
        path: '',
        message: error.message.replace(/\s+/g, ' ').trim(),
      })),
    );
  }
  const result = validatePolicy(document.toJS());
  if (!result.ok) throw new PolicyError(where, result.problems);
  return result.policy;
}

const presetCache = new Map<string, Policy>();

export function loadPreset(id: string): Policy {
  let policy = presetCache.get(id);
  if (policy === undefined) {
    if (!presetIds().includes(id)) {
      throw new PolicyError(id, [
        { path: '', message: `is not a preset policy (the presets are ${presetIds().join(', ')})` },
      ]);
    }
    const file = `${PRESET_DIR}${id}.yaml`;
    policy = parsePolicy(readFileSync(file, 'utf8'), `presets/${id}.yaml`);
    if (policy.id !== id)
      throw new PolicyError(file, [{ path: 'id', message: `must be "${id}", the file's name` }]);
    presetCache.set(id, policy);
  }
  return policy;
}

function looksLikePath(reference: string): boolean {
  return (
    reference.includes('/') ||
    reference.includes('\\') ||
    ['.yaml', '.yml', '.json'].includes(extname(reference))
  );
}

/** A preset by id, or a council's own policy file by path (YAML or JSON). */
export function resolvePolicy(reference: string): Policy {
  if (!looksLikePath(reference)) {
    if (presetIds().includes(reference)) return loadPreset(reference);
    throw new PolicyError(reference, [
      {
        path: '',
        message: `is not a preset policy or a policy file (the presets are ${presetIds().join(', ')})`,
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(reference, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyError(reference, [
      {
        path: '',
        message:
          code === 'ENOENT' ? 'no such policy file' : `cannot be read (${code ?? 'unknown error'})`,
      },
    ]);
  }
  return parsePolicy(text, reference);
}
