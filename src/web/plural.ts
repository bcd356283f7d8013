/**
 * A count with its noun, singular for one: "1 day", "2 days". The plural is
 * the noun with an "s" unless given ("1 person", "3 people").
 */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
