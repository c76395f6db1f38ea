-- What each outbox row says (MessageKind), set where it is enqueued: the sender recognised the
-- first-response warnings it drops when they come too late (LateWarnings) by parsing their keys, and
-- the notices it folds into digests (Digests) by their texts alone. The key stays what makes
-- enqueueing idempotent. Written once for both H2 (MODE=PostgreSQL) and PostgreSQL.
alter table outbox add column kind varchar(40) default 'OTHER' not null;

-- Rows queued before the upgrade get the kind their key shows, as MessageKind.ofWorkflowKey reads
-- it: the cause the ticket workflow put after the run, at the key's end or before a ':' (the first
-- kind in MessageKind's order that matches: each update takes only rows still OTHER). "⬆️
-- Escalated to Level 2" (ESCALATED) is keyed as any command's answer and known by its text; it only
-- decides its priority when it is enqueued, so the rows of before keep OTHER.
update outbox set kind = 'FIRST_RESPONSE_WARNING'
  where kind = 'OTHER' and (idem_key like '%:first-response-warning' or idem_key like '%:first-response-warning:%');
update outbox set kind = 'NEXT_RESPONSE_BREACH'
  where kind = 'OTHER' and (idem_key like '%:next-response-breach' or idem_key like '%:next-response-breach:%');
update outbox set kind = 'RESOLUTION_BREACH'
  where kind = 'OTHER' and (idem_key like '%:resolution-breach' or idem_key like '%:resolution-breach:%');
update outbox set kind = 'STALE_REMINDER'
  where kind = 'OTHER' and (idem_key like '%:stale' or idem_key like '%:stale:%');
update outbox set kind = 'FIRST_RESPONSE_BREACH'
  where kind = 'OTHER' and (idem_key like '%:first-response-breach' or idem_key like '%:first-response-breach:%');
update outbox set kind = 'ESCALATION_CHAIN'
  where kind = 'OTHER' and (idem_key like '%:escalation-chain' or idem_key like '%:escalation-chain:%');
update outbox set kind = 'LEVEL2_SUMMARY'
  where kind = 'OTHER' and (idem_key like '%:l2-summary' or idem_key like '%:l2-summary:%'
     or idem_key like '%:level2-summary' or idem_key like '%:level2-summary:%');
