import type { ToolInfo } from '../lifecycle/session';
import { compareText } from './namespacing';
import { truncate, words } from './searchText';

export { CALL_TOOL, CALL_TOOL_NAME, parseCallToolArguments, parseSearchToolsArguments, SEARCH_TOOLS, SEARCH_TOOLS_NAME } from './metaTools';
export type { CallToolRequest, MetaToolArguments, SearchToolsRequest } from './metaTools';

/**
 * Tool search for large fleets: BM25 (k1 1.2, b 0.75) over each tool's name (weight 3), title (2), server name,
 * top-level argument names and description (1 each), cut by `words` (searchText.ts). A query word of three letters or
 * more also matches longer words it starts ("repo" → "repository") at half weight. A query equal to a tool's name
 * (qualified or not; spaces read as `_`) adds 50, a name starting with the query adds 5. Results: score descending,
 * then name; the same index and query always give the same list. Build a new index when the catalogue changes.
 */

export interface SearchableTool {
  readonly qualifiedName: string;
  readonly server: string;
  readonly tool: ToolInfo;
}

export interface ToolSearchHit {
  /** The qualified name, to pass to `call_tool`. */
  readonly name: string;
  readonly server: string;
  readonly title?: string;
  /** The description, cut to about 200 characters ('' when the tool has none). */
  readonly description: string;
  readonly score: number;
}

export interface ToolSearchOptions {
  /** At most this many hits (default 8, at least 1). */
  readonly limit?: number;
  /** Only this server's tools. */
  readonly server?: string;
}

export const DEFAULT_SEARCH_LIMIT = 8;
export const DESCRIPTION_LENGTH = 200;
const K1 = 1.2;
const B = 0.75;
const FIELD_WEIGHTS = { name: 3, title: 2, other: 1 } as const;
const PREFIX_WORD_WEIGHT = 0.5;
const EXACT_NAME_BONUS = 50;
const NAME_PREFIX_BONUS = 5;
const MIN_PREFIX_LENGTH = 3;

interface Posting {
  readonly doc: number;
  readonly tf: number;
}

export class ToolSearchIndex {
  private readonly docs: readonly SearchableTool[];
  private readonly postings = new Map<string, Posting[]>();
  /** The indexed words in order, to find those a query word starts. */
  private readonly vocabulary: readonly string[];
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  /** Lowercased qualified and plain names, per tool. */
  private readonly names: readonly (readonly [string, string])[];

  constructor(tools: readonly SearchableTool[]) {
    this.docs = [...tools];
    this.lengths = new Float64Array(this.docs.length);
    this.docs.forEach((entry, doc) => {
      const counts = termCounts(entry);
      for (const [term, tf] of counts) {
        this.lengths[doc]! += tf;
        const list = this.postings.get(term);
        if (list === undefined) this.postings.set(term, [{ doc, tf }]);
        else list.push({ doc, tf });
      }
    });
    this.vocabulary = [...this.postings.keys()].sort(compareText);
    this.averageLength = this.lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, this.docs.length);
    this.names = this.docs.map((d) => [d.qualifiedName.toLowerCase(), d.tool.name.toLowerCase()] as const);
  }

  get size(): number {
    return this.docs.length;
  }

  /** The best tools for a query; a query with no searchable word (empty, only stop words) finds nothing. */
  search(query: string, options: ToolSearchOptions = {}): ToolSearchHit[] {
    const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_SEARCH_LIMIT));
    const scores = new Float64Array(this.docs.length);
    for (const term of new Set(words(query))) this.addTermScores(term, scores);
    this.addNameBonuses(query, scores);
    const ranked: number[] = [];
    scores.forEach((score, doc) => {
      if (score > 0 && (options.server === undefined || this.docs[doc]!.server === options.server)) ranked.push(doc);
    });
    ranked.sort((a, b) => scores[b]! - scores[a]! || compareText(this.docs[a]!.qualifiedName, this.docs[b]!.qualifiedName));
    return ranked.slice(0, limit).map((doc) => this.hit(doc, scores[doc]!));
  }

  /** Adds, per tool, the better of the word's own score and half the best score of a longer word it starts. */
  private addTermScores(term: string, scores: Float64Array): void {
    const best = new Float64Array(this.docs.length);
    this.scoreTerm(term, 1, best);
    if (term.length >= MIN_PREFIX_LENGTH) {
      for (let i = lowerBound(this.vocabulary, term); i < this.vocabulary.length && this.vocabulary[i]!.startsWith(term); i++) {
        if (this.vocabulary[i] !== term) this.scoreTerm(this.vocabulary[i]!, PREFIX_WORD_WEIGHT, best);
      }
    }
    best.forEach((score, doc) => (scores[doc]! += score));
  }

  private scoreTerm(term: string, weight: number, best: Float64Array): void {
    const list = this.postings.get(term);
    if (list === undefined) return;
    const n = this.docs.length;
    const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
    for (const { doc, tf } of list) {
      const norm = tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.averageLength);
      best[doc] = Math.max(best[doc]!, (weight * idf * tf * (K1 + 1)) / norm);
    }
  }

  private addNameBonuses(query: string, scores: Float64Array): void {
    const wanted = query.trim().toLowerCase().replace(/\s+/g, '_');
    if (wanted === '') return;
    this.names.forEach(([qualified, plain], doc) => {
      if (qualified === wanted || plain === wanted) scores[doc]! += EXACT_NAME_BONUS;
      else if (wanted.length >= MIN_PREFIX_LENGTH && (qualified.startsWith(wanted) || plain.startsWith(wanted))) scores[doc]! += NAME_PREFIX_BONUS;
    });
  }

  private hit(doc: number, score: number): ToolSearchHit {
    const { qualifiedName, server, tool } = this.docs[doc]!;
    const description = truncate(tool.description ?? '', DESCRIPTION_LENGTH);
    const rounded = Math.round(score * 1000) / 1000;
    return tool.title === undefined ? { name: qualifiedName, server, description, score: rounded } : { name: qualifiedName, server, title: tool.title, description, score: rounded };
  }
}

/** Each word of a tool's texts with its weighted count. */
function termCounts({ server, tool }: SearchableTool): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string | undefined, weight: number): void => {
    if (text !== undefined) for (const word of words(text)) counts.set(word, (counts.get(word) ?? 0) + weight);
  };
  add(tool.name, FIELD_WEIGHTS.name);
  add(tool.title, FIELD_WEIGHTS.title);
  add(server, FIELD_WEIGHTS.other);
  add(tool.description, FIELD_WEIGHTS.other);
  const properties = tool.inputSchema['properties'];
  if (typeof properties === 'object' && properties !== null) for (const name of Object.keys(properties)) add(name, FIELD_WEIGHTS.other);
  return counts;
}

/** The first index whose word is not before `word`. */
function lowerBound(sorted: readonly string[], word: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < word) low = mid + 1;
    else high = mid;
  }
  return low;
}
