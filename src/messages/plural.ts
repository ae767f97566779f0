/** "1 survey", "12 surveys": a count with its noun (English text of the CLI and job summaries). */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => `${n} ${n === 1 ? noun : nouns}`;
