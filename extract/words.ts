// The words of a page with their boxes: what the review page's viewer offers to click (a word) or to drag
// a box over (the words inside, in reading order) when a clerk picks a value off the document, and what
// learning reads back from the box the clerk picked. A segment's words share its box proportionally to
// their characters (subBox), as every other place in the extractor locates part of a segment.
import type { BoundingBox } from '../domain/extraction.js';
import { subBox, type PageText, type SegmentSpan } from './pdf-text.js';

export interface PageWord extends SegmentSpan {
  text: string;
}

/** A page's words in reading order (its lines top to bottom, each left to right). */
export function pageWords(page: PageText): PageWord[] {
  return page.lines.flatMap((line, lineIndex) =>
    line.segments.flatMap((segment, segmentIndex) =>
      [...segment.text.matchAll(/\S+/g)].map((m) => ({
        text: m[0],
        box: subBox(segment, m.index, m.index + m[0].length),
        line,
        lineIndex,
        segment,
        segmentIndex,
        start: m.index,
        end: m.index + m[0].length,
      })),
    ),
  );
}

/** The words whose middle lies in `box` (page units, origin bottom-left), in reading order. */
export function wordsIn(page: PageText, box: BoundingBox): PageWord[] {
  return pageWords(page).filter((w) => {
    const [cx, cy] = [w.box.x + w.box.width / 2, w.box.y + w.box.height / 2];
    return cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height;
  });
}

/** What the words endpoint sends the viewer: per page its size and words, boxes rounded to 0.1. */
export interface WordsOfPage {
  page: number;
  width: number;
  height: number;
  words: { text: string; box: [number, number, number, number] }[];
}

export function wordsForViewer(pages: PageText[]): WordsOfPage[] {
  const r = (n: number) => Math.round(n * 10) / 10;
  return pages.map((page) => ({
    page: page.page,
    width: page.width,
    height: page.height,
    words: pageWords(page).map((w) => ({
      text: w.text,
      box: [r(w.box.x), r(w.box.y), r(w.box.width), r(w.box.height)] as [number, number, number, number],
    })),
  }));
}
