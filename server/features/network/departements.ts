import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = path.resolve(here, '../../../db/reference/departements.json');
let cache: Map<string, string[]> | undefined;

const key = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();

/** The départements of a region by its name (shipped reference data); empty for an unknown name. */
export function departementsOfRegionName(name: string): string[] {
  if (!cache) {
    const data = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { regions: Record<string, string[]> };
    cache = new Map(Object.entries(data.regions).map(([n, list]) => [key(n), list]));
  }
  return cache.get(key(name)) ?? [];
}
