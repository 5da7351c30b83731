-- A clerk may hold an invoice for goods receipt: a decision of its own kind.
alter table review_decisions drop constraint if exists review_decisions_action_check;
alter table review_decisions add constraint review_decisions_action_check
  check (action in ('approve', 'reject', 'send_back', 'auto_approve', 'hold'));
