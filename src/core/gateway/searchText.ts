/** Words for tool search: what a query and a tool's texts are cut into before ranking. */

/** Words too common to tell tools apart; small on purpose (BM25's idf already discounts common words). */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does for from has have how i in into is it its me my of on or our so than that the ' +
    'their them then there these this those to was we were what when where which who will with would you your'
  ).split(' '),
);

/**
 * Lowercased words of `text`: split at every character that is not a letter or digit, and inside camelCase
 * (`createIssue`, `HTTPServer`), without stop words, plurals folded to the singular (issues → issue,
 * branches → branch, entries → entry) so a query need not match a description's number.
 */
export function words(text: string): string[] {
  const spaced = text.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2');
  const out: string[] = [];
  for (const raw of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '' || STOP_WORDS.has(raw)) continue;
    out.push(singular(raw));
  }
  return out;
}

function singular(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || /(?:ss|us|is)$/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** `text` cut to about `max` characters at a word boundary, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.75 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
