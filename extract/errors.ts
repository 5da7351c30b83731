// Why a document cannot be read at all, as a typed error the upload page and the parse activity can act on
// without matching message text. Messages are written for the clerk who uploaded the file.

export type DocumentErrorKind =
  | 'empty'
  | 'unsupported_type'
  | 'corrupt'
  | 'truncated'
  | 'encrypted'
  | 'too_large'
  | 'no_pages'
  // Limits of the isolated parser (extract/limits.ts): the file may be fine, but reading it would cost too much.
  | 'too_many_pages'
  | 'page_too_large'
  | 'image_too_large'
  | 'timeout'
  | 'out_of_memory'
  // A PDF that carries JavaScript or launch actions: never run, and refused rather than half-read.
  | 'active_content';

export class DocumentError extends Error {
  override readonly name = 'DocumentError';

  constructor(
    readonly kind: DocumentErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
