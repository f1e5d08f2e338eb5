// Copies what the compiler does not: the preset policy files, beside the compiled loader.
import { cpSync } from 'node:fs';

cpSync('src/policies/presets', 'dist/src/policies/presets', { recursive: true });
