import { describe, expect, it } from 'vitest';
import { escapeText, escapedPieces } from '../../src/slack/views/text.ts';

describe('escaped text cut into sections', () => {
  it('never ends a piece inside an entity, keeps every character, and says what did not fit', () => {
    const text = escapeText('<&>'.repeat(40));
    const { pieces, rest } = escapedPieces(text, 17, 4);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(17);
      expect(p).toMatch(/^(&lt;|&amp;|&gt;)*$/);
    }
    expect(pieces.join('') + rest).toBe(text);
    expect(rest.length).toBeGreaterThan(0);
  });

  it('at a line end in the piece’s second half when asked; a text that fits is one piece with nothing left', () => {
    const text = `${'a'.repeat(14)}\n${'b'.repeat(10)}`;
    expect(escapedPieces(text, 20, 3, true).pieces).toEqual(['a'.repeat(14), `\n${'b'.repeat(10)}`]);
    expect(escapedPieces(text, 20, 3).pieces).toEqual([`${'a'.repeat(14)}\n${'b'.repeat(5)}`, 'b'.repeat(5)]);
    expect(escapedPieces('short', 20, 1)).toEqual({ pieces: ['short'], rest: '' });
  });
});
