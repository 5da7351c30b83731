// Pages as OCR hands them to the heuristics, built by hand for tests.
import type { TextLine, TextSegment } from '../../extract/pdf-text.js';

/** An OCR'd line: segments (text, x, size, recogniser confidence) on one baseline, as ocr/page-text.ts makes them. */
export function ocrLine(
  y: number,
  ...parts: Array<[text: string, x: number, fontSize: number, confidence: number]>
): TextLine {
  const segments: TextSegment[] = parts.map(([text, x, fontSize, confidence]) => ({
    text,
    fontSize,
    confidence,
    box: { x, y: y - 0.25 * fontSize, width: 0.5 * fontSize * text.length, height: 1.05 * fontSize },
  }));
  return {
    page: 1,
    baseline: y,
    fontSize: Math.max(...segments.map((s) => s.fontSize)),
    segments,
    text: segments.map((s) => s.text).join('  '),
  };
}
