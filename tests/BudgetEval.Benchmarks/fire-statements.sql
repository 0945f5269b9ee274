-- One engine completion's statements, as pgbench runs them: PostgreSQL's side of a Fire with no app at all.
-- Counted with pg_stat_statements on the Fire benchmark (submit → approve → accept, averaged per completion):
-- every completion locks and reads its case and open task, reads its subject and the recipients, updates the
-- task, the case and the subject, appends history, the audit line and the idempotency record, and writes
-- 1⅓ notifications with their outbox mails; 2 in 3 open the next task; 1 in 3 (submit) freezes a version and
-- runs the submit guards' two reads. The ids come from the run's own cases (fire_ceiling_ids, made by the
-- benchmark); unique columns get random values so the writes never collide.
\set n random(1, :cases)
\set r random(1, 3)
BEGIN;
SELECT iid, wid, sid, oid, uid FROM fire_ceiling_ids WHERE n = :n \gset
SELECT "Id", "DefinitionId", "DefinitionVersion", "State", "SubjectType", "SubjectId", "Title", "OrganisationId", "AssignedFirmId", "PlanDeadline", "DueAt", "IsLate", "Version", "CreatedAt", "UpdatedAt", "HistorySeq", "HistoryHash", xmin FROM budgeteval.workflow_instances WHERE "Id" = :iid FOR UPDATE;
SELECT "Id", "InstanceId", "State", "StateLabel", "Title", "AssigneeUserId", "AssigneeRole", "AssigneeOrganisationId", "CaseOrganisationId", "CaseFirmId", "DueAt", "NextReminderAt", "ClaimedBy", "ClaimedAt", "CreatedAt" FROM budgeteval.work_items WHERE "InstanceId" = :iid AND "Status" = 'Open' ORDER BY "CreatedAt" LIMIT 1;
SELECT * FROM budgeteval.self_evaluations WHERE "Id" = :sid;
SELECT u."Id", u."DisplayName", u."Email" FROM budgeteval.users u WHERE u."OrganisationId" = :oid;
\if :r = 1
SELECT * FROM budgeteval.finding_statements WHERE "SelfEvaluationId" = :sid;
SELECT * FROM budgeteval.findings WHERE "OrganisationId" = :oid AND "ClosedOn" IS NULL LIMIT 50;
INSERT INTO budgeteval.self_evaluation_versions ("Id", "ContentJson", "IsLate", "OrganisationId", "SelfEvaluationId", "SubmittedAt", "SubmittedBy", "SubmittedByName", "VersionNo") SELECT gen_random_uuid(), "ContentJson", false, :oid, :sid, now(), :uid, '张晓燕', (random() * 2e9)::int FROM budgeteval.self_evaluation_versions LIMIT 1;
\endif
UPDATE budgeteval.work_items SET "CompletedAction" = '提交', "CompletedAt" = now(), "CompletedBy" = :uid, "Status" = 'Done' WHERE "Id" = :wid;
UPDATE budgeteval.workflow_instances SET "DueAt" = now(), "HistoryHash" = md5(random()::text) || md5(random()::text), "HistorySeq" = "HistorySeq" + 1, "State" = 'unit_review', "UpdatedAt" = now(), "Version" = "Version" + 1 WHERE "Id" = :iid;
UPDATE budgeteval.self_evaluations SET "Status" = 'unit_review', "UpdatedAt" = now() WHERE "Id" = :sid;
\if :r < 3
INSERT INTO budgeteval.work_items ("Id", "AssigneeOrganisationId", "AssigneeRole", "CaseOrganisationId", "CreatedAt", "DueAt", "InstanceId", "NextReminderAt", "State", "StateLabel", "Status", "Title") VALUES (gen_random_uuid(), :oid, 'UnitHead', :oid, now(), now() + interval '5 days', :iid, now() + interval '3 days', 'unit_review', '单位审核', 'Open', '2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评');
\endif
INSERT INTO budgeteval.workflow_history ("Action", "ActionLabel", "ActorId", "ActorName", "At", "Comment", "FromState", "Hash", "InstanceId", "PrevHash", "Seq", "ToState") VALUES ('submit', '提交', :uid, '张晓燕', now(), NULL, 'draft', md5(random()::text) || md5(random()::text), :iid, md5(random()::text) || md5(random()::text), (random() * 2e9)::int, 'unit_review');
INSERT INTO budgeteval.audit_entries ("Action", "ActorId", "ActorName", "At", "Detail", "IpAddress", "OrganisationId", "Target") VALUES ('case.transition', :uid, '张晓燕（unit）', now(), '自评审核「2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评」：提交（草稿 → 单位审核）', NULL, :oid, :iid);
INSERT INTO budgeteval.idempotency_keys ("CreatedAt", "InstanceId", "Key", "ResponseJson", "StatusCode", "UserId") VALUES (now(), :iid, gen_random_uuid()::text, '{"state": "unit_review", "errors": [], "status": 0, "version": 2, "succeeded": true, "httpStatus": 200, "stateLabel": "单位审核"}', 200, :uid);
INSERT INTO budgeteval.notifications ("Id", "Body", "CreatedAt", "DigestPending", "Event", "Link", "RecipientUserId", "Title") VALUES (gen_random_uuid(), '您有一项待办「2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评」，当前环节：单位审核，办理期限：2026年12月31日。', now(), false, 'TaskAssigned', '/cases/' || :iid, :uid, '待办：2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评（单位审核）');
INSERT INTO budgeteval.outbox ("Id", "Attempts", "CreatedAt", "Event", "Html", "NextAttemptAt", "RecipientUserId", "Status", "Subject", "Text", "ToAddress", "ToName") SELECT gen_random_uuid(), 0, now(), 'TaskAssigned', "Html", now(), :uid, 'Pending', "Subject", "Text", "ToAddress", "ToName" FROM budgeteval.outbox LIMIT 1;
\if :r = 3
INSERT INTO budgeteval.notifications ("Id", "Body", "CreatedAt", "DigestPending", "Event", "Link", "RecipientUserId", "Title") VALUES (gen_random_uuid(), '您提交的「2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评」已通过财政审核。', now(), false, 'Decision', '/cases/' || :iid, :uid, '办理结果：2025年度长沙市望城区社会治理服务中心部门整体支出绩效自评（已通过）');
INSERT INTO budgeteval.outbox ("Id", "Attempts", "CreatedAt", "Event", "Html", "NextAttemptAt", "RecipientUserId", "Status", "Subject", "Text", "ToAddress", "ToName") SELECT gen_random_uuid(), 0, now(), 'Decision', "Html", now(), :uid, 'Pending', "Subject", "Text", "ToAddress", "ToName" FROM budgeteval.outbox LIMIT 1;
\endif
COMMIT;
