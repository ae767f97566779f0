/**
 * Keep a UTF-16 surrogate pair whole across chunks of text: a high surrogate that ends a chunk
 * is held back and put in front of the next chunk. Returns the text to use now and what to hold.
 */
export function carrySurrogate(held: string, text: string): [now: string, hold: string] {
  if (held) text = held + text;
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? [text.slice(0, -1), text.slice(-1)] : [text, ''];
}
