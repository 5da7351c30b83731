// Why a document cannot be read at all, as a typed error the upload page and the parse activity can act on
// without matching message text. Messages are written for the clerk who uploaded the file.

export type DocumentErrorKind =
  | 'empty'
  | 'unsupported_type'
  | 'corrupt'
  | 'truncated'
  | 'encrypted'
  | 'too_large'
  | 'no_pages';

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
