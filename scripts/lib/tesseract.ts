// The native OCR program (OCR_ENGINE=auto uses it when installed: about a third less CPU per scanned page
// than tesseract.js, and two pages of a document at once). The tests need it (they compare both engines);
// the run command installs it when it can and otherwise runs with tesseract.js.
import { installSystemPackages, runCommand } from './processes.js';

const installed = async () => (await runCommand('tesseract', ['--version'])).code === 0;

/** Installs Debian's tesseract-ocr when the program is missing; an Error saying why when it cannot. */
export async function ensureTesseract(): Promise<void> {
  if (await installed()) return;
  await installSystemPackages(['tesseract-ocr']);
  if (!(await installed())) throw new Error('apt-get installed tesseract-ocr, but `tesseract --version` fails.');
}
