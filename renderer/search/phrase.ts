import { foldedForms } from './fold-cache';
import { wordMatcher } from '../../common/text/tokenize';

/**
 * Whether `text` holds the folded `words` next to each other and in order, with anything but
 * letters and digits (spaces, line breaks, punctuation OCR put there) between them. Words match as
 * folded (case, accents, script), not by spelling variant: quotes ask for these words. Every word
 * the tokenizer reads counts, as it does in the fingerprints.
 */
export function holdsPhrase(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const pattern = wordMatcher();
  // The last words read, as a ring: enough to compare with the phrase at each new word.
  const recent: string[] = [];
  let count = 0;
  for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
    const folded = foldedForms(found[0]).folded;
    recent[count % words.length] = folded;
    count++;
    if (count < words.length) continue;
    let all = true;
    for (let i = 0; i < words.length && all; i++) all = recent[(count - words.length + i) % words.length] === words[i];
    if (all) return true;
  }
  return false;
}
