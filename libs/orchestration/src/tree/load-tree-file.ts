import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { TreeConfigError } from './tree-config.error.js';

/** Reads and parses a YAML tree file; unreadable or malformed files throw a `TreeConfigError` naming the file. */
export function loadTreeFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TreeConfigError([`tree config: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new TreeConfigError([`tree config: ${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
