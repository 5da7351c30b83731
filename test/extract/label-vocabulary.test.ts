// The label vocabulary is one: a label of the exact table is also a label to the word net, for its own field,
// unless the vocabulary marks it exact(). A label added to the table without the net reading it as its field
// (another field's words, or none) fails here until it is marked or the net learns it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VOCABULARY, type LabelGroup } from '../../extract/label-vocabulary.js';
import { classifyLabel } from '../../extract/label-words.js';
import { labelOf } from '../../extract/labels.js';

const groups = Object.entries(VOCABULARY).flatMap(([field, languages]) =>
  Object.entries(languages).flatMap(([lang, entries]) =>
    entries.filter((entry): entry is LabelGroup => entry.kind === 'labels').map((group) => ({ field, lang, group })),
  ),
);

describe('the label vocabulary', () => {
  test('each label of the table is read by the word net as its field, unless marked exact()', () => {
    for (const { field, lang, group } of groups.filter((g) => g.field !== 'vendorName'))
      for (const label of group.labels) {
        // with its colon, as printed: "Facturé à" alone loses its "à" (a rate's "TVA à 20 %")
        const read = classifyLabel(`${label}:`);
        if (group.exact.has(label)) assert.notEqual(read, field, `${field} ${lang} "${label}" is marked exact()`);
        else assert.equal(read, field, `${field} ${lang} "${label}"`);
      }
  });

  test("a seller's label before an order number makes it the seller's own, never the PO", () => {
    assert.equal(classifyLabel('Order no.'), 'poNumbers');
    for (const { group } of groups.filter((g) => g.field === 'vendorName'))
      for (const label of group.labels)
        assert.equal(classifyLabel(`${label} order no.`) === null, !group.exact.has(label), label);
  });

  test('each label is listed under one field, and the table reads it as printed', () => {
    const fieldOf = new Map<string, string>();
    for (const { field, group } of groups)
      for (const label of group.labels) {
        const key = label.toLowerCase();
        assert.equal(fieldOf.get(key) ?? field, field, `"${label}" under ${fieldOf.get(key)} and ${field}`);
        fieldOf.set(key, field);
        // before a value when the field takes "4711", else alone
        assert.equal(labelOf(`${label}: 4711`)?.label.field ?? labelOf(label)?.label.field, field, label);
      }
  });
});
