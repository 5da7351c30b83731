-- Where on the document a clerk picked a corrected value (the review page's viewer: a clicked word or a
-- dragged box), by correction key: {"invoiceNumber": {"page": 1, "box": {"x": .., "y": .., "width": .., "height": ..}}}.
-- Null for a decision typed in full, and for every decision before this column.
alter table review_decisions add column provenance jsonb;
