// The OCR languages PlexSync ships data for (the @tesseract.js-data npm packages), by tesseract code.
export const OCR_LANGUAGES = ['eng', 'deu', 'fra', 'nld', 'spa'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];
