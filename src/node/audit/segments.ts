import { readdir } from 'node:fs/promises';

/** Segment files are `YYYY-MM-DD-NNNN.jsonl` (UTC day, counter within the day), so names sort by age. */
const SEGMENT = /^(\d{4}-\d{2}-\d{2})-(\d{4})\.jsonl$/;

export interface SegmentName {
  readonly name: string;
  readonly day: string;
  readonly counter: number;
}

export function parseSegmentName(name: string): SegmentName | undefined {
  const match = SEGMENT.exec(name);
  return match ? { name, day: match[1]!, counter: Number(match[2]) } : undefined;
}

export function segmentName(day: string, counter: number): string {
  return `${day}-${String(counter).padStart(4, '0')}.jsonl`;
}

/** The segments of a log folder, oldest first; other files are ignored. */
export async function listSegments(dir: string): Promise<SegmentName[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map(parseSegmentName)
    .filter((s): s is SegmentName => s !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
