// The box a clerk picked a corrected value from (the review page's viewer, `provenance.<field>` =
// "page,x,y,width,height"): parsed and validated by zod in the review form's parser, then checked against
// the document (a page it has, inside that page) before it goes to the workflow. Refusals say which field
// and what is wrong.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { reviewFromForm } from '../../api/routes/forms.js';
import type { AppEnv } from '../../api/context.js';
import { parsePickedBox } from '../../domain/extraction.js';
import { ReviewDecisionInput } from '../../domain/invoice.js';
import { checkPickedBoxes, InvoiceInputError } from '../../services/invoices.js';

const app = new Hono<AppEnv>().post('/', async (c) => c.json(await reviewFromForm(c, 'clerk@test.local')));
const post = async (fields: Record<string, string>) => {
  const res = await app.request('/', { method: 'POST', body: new URLSearchParams({ decision: 'approve', ...fields }) });
  return res.json() as Promise<{ ok: true; decision: ReviewDecisionInput } | { ok: false; error: string }>;
};

describe('the review form: a picked box', () => {
  test('is carried with its correction', async () => {
    const out = await post({
      invoiceNumber: 'QX-7731',
      'was.invoiceNumber': 'INV-1',
      'provenance.invoiceNumber': '1,480,38.5,42.2,11',
    });
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.decision.provenance, {
      invoiceNumber: { page: 1, box: { x: 480, y: 38.5, width: 42.2, height: 11 } },
    });
  });

  test('of a field left as it was is dropped; none at all leaves the decision as before', async () => {
    const out = await post({
      invoiceNumber: 'INV-1',
      'was.invoiceNumber': 'INV-1',
      'provenance.invoiceNumber': '1,480,38.5,42.2,11',
      total: '5.00',
      'was.total': '4.00',
      'provenance.total': '',
    });
    assert.ok(out.ok, JSON.stringify(out));
    assert.equal(out.decision.provenance, undefined);
    assert.deepEqual(out.decision.corrections, { total: '5.00' });
  });

  test('that is not five numbers, or not a box, is refused with the field named', async () => {
    const base = { invoiceNumber: 'QX-7731', 'was.invoiceNumber': 'INV-1' };
    for (const [raw, message] of [
      ['1,NaN,2,3,4', /^Invoice number \(box picked on the document\): expected page,x,y,width,height as numbers\.$/],
      ['1,2,3', /expected page,x,y,width,height/],
      ['1,Infinity,2,3,4', /expected page,x,y,width,height/],
      ['0,10,10,20,10', /^Invoice number \(box picked on the document\): pages start at 1$/],
      ['1.5,10,10,20,10', /the page must be a whole number/],
      ['1,10,10,0,10', /^Invoice number \(box picked on the document\): the box must have a width$/],
    ] as const) {
      const out = await post({ ...base, 'provenance.invoiceNumber': raw });
      assert.equal(out.ok, false, raw);
      assert.match((out as { error: string }).error, message, raw);
    }
  });

  test('zod refuses numbers that are not finite (the JSON API)', () => {
    const parsed = ReviewDecisionInput.safeParse({
      action: 'approve',
      actor: 'a',
      corrections: { total: '1.00' },
      provenance: { total: { page: 1, box: { x: Number.POSITIVE_INFINITY, y: 0, width: 1, height: 1 } } },
    });
    assert.equal(parsed.success, false);
    assert.match(parsed.error.issues[0]!.message, /x must be a finite number/);
    assert.equal(
      ReviewDecisionInput.safeParse({
        action: 'approve',
        actor: 'a',
        provenance: { iban: { page: 1, box: { x: 0, y: 0, width: 1, height: 1 } } },
      }).success,
      false,
      'only correctable fields',
    );
    assert.equal(parsePickedBox('2, 10.5 ,20,30,40')?.page, 2);
    assert.equal(parsePickedBox('2,1e3,20,30,40'), null);
  });
});

describe('a picked box against the document', () => {
  const extraction = {
    pageCount: 2,
    pages: [
      { width: 612, height: 792 },
      { width: 842, height: 595 },
    ],
  };
  const box = (page: number, x: number, y: number, width = 40, height = 12) => ({ page, box: { x, y, width, height } });
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof InvoiceInputError);
      assert.equal(err.status, 422);
      return err.message;
    }
    assert.fail('refused');
  };

  test('on a page the document has, inside it: kept (a little slack for a drag begun in the margin)', () => {
    assert.deepEqual(checkPickedBoxes({ total: box(2, 780, 10) }, { total: '1.00' }, extraction), {
      total: box(2, 780, 10),
    });
    assert.deepEqual(checkPickedBoxes({ total: box(1, -1, 0, 613, 792) }, { total: '1.00' }, extraction), {
      total: box(1, -1, 0, 613, 792),
    });
  });

  test('on a page the document does not have: refused, saying how many it has', () => {
    assert.equal(
      refusal(() => checkPickedBoxes({ invoiceNumber: box(3, 10, 10) }, { invoiceNumber: 'A-1' }, extraction)),
      'Invoice number: the box was picked on page 3, but the document has 2 pages.',
    );
    assert.equal(
      refusal(() =>
        checkPickedBoxes(
          { total: box(2, 10, 10) },
          { total: '1.00' },
          { pageCount: 1, pages: [{ width: 612, height: 792 }] },
        ),
      ),
      'Total: the box was picked on page 2, but the document has 1 page.',
    );
    assert.match(
      refusal(() => checkPickedBoxes({ total: box(1, 10, 10) }, { total: '1.00' }, null)),
      /no pages read/,
    );
  });

  test('outside its page: refused, with the page size', () => {
    assert.equal(
      refusal(() => checkPickedBoxes({ invoiceNumber: box(1, 600, 700) }, { invoiceNumber: 'A-1' }, extraction)),
      'Invoice number: the box picked on page 1 lies outside the page (612 × 792).',
    );
    assert.match(
      refusal(() => checkPickedBoxes({ dueDate: box(2, 10, 590) }, { dueDate: '2026-01-01' }, extraction)),
      /^Due date: .* \(842 × 595\)\.$/,
    );
    assert.match(
      refusal(() => checkPickedBoxes({ tax: box(1, -50, 10) }, { tax: '1.00' }, extraction)),
      /outside the page/,
    );
  });

  test('for a field not corrected: dropped, so nothing is refused for it', () => {
    assert.equal(checkPickedBoxes({ total: box(9, 0, 0) }, { invoiceNumber: 'A-1' }, extraction), undefined);
  });
});
