-- Ergate PostgreSQL schema, version 7: the step path's writes of a job row are HOT updates.
-- PostgreSQL 15 writes an update in place in the row's page, without a new entry in any index
-- (a heap-only tuple), only when no column any index of the table names (in its key, expression
-- or WHERE clause) changes value. Every step changes status, step_name, version, updated_at and
-- extra_fields; before this version status was in every index but the keys', updated_at in two,
-- so each RUNNING and COMPLETED write added an entry to 4 - 5 indexes.
--
-- Now the indexes name only columns the step path never changes (id, id_is_number, seq,
-- workflow_name, created_at), plus three stored generated columns that hold a value only for
-- the statuses they are for and are null otherwise: a write from QUEUED to RUNNING to COMPLETED
-- leaves all three null, so it changes no indexed value. A generated column is computed by
-- PostgreSQL on every insert and update, whichever statement writes the row, so no writer has to
-- know about it. Adding them rewrites the table once (under the migration's lock).
-- ${s} and ${p} as in V1.
-- Room in each page for the new row versions of the two or three writes that follow a job's
-- insert within seconds (V3 had 80); set first, so the
-- rewrite below already packs the pages that way: a HOT update needs free space in the row's own page.
alter table ${s}"${p}jobs" set (fillfactor = 70);
alter table ${s}"${p}jobs"
    -- the publisher's due time, for SCHEDULED and PENDING jobs only (JdbcJobSource)
    add column due_at timestamptz generated always as (case when status in ('SCHEDULED', 'PENDING')
        then coalesce(requested_start_time, updated_at) end) stored,
    -- the status for listings, for every status but the three the step path moves a job between
    add column listed_status text generated always as (case when status in ('QUEUED', 'RUNNING', 'COMPLETED')
        then null else status end) stored,
    -- the unique key while the job is not final: what the unique index holds
    add column live_unique_key text generated always as (case when status in ('COMPLETED', 'FAILED', 'ABORTED',
        'CANCELLED') then null else unique_key end) stored;

drop index ${s}"${p}jobs_status_idx";
drop index ${s}"${p}jobs_workflow_idx";
drop index ${s}"${p}jobs_due_idx";
drop index ${s}"${p}jobs_final_idx";
drop index ${s}"${p}jobs_unique_key_idx";

-- Listing by a status outside the step path (FAILED, CANCELLING, SCHEDULED, ...): keyset on seq
-- within the status. Listing QUEUED, RUNNING or COMPLETED walks seq (jobs_seq_key) and filters.
create index "${p}jobs_listed_status_idx" on ${s}"${p}jobs" (listed_status, seq) where listed_status is not null;
-- Listing by workflow (status, if given, filtered on top).
create index "${p}jobs_workflow_idx" on ${s}"${p}jobs" (workflow_name, seq);
-- The publisher's due jobs, oldest due first.
create index "${p}jobs_due_idx" on ${s}"${p}jobs" (due_at, seq) where due_at is not null;
-- Retention: a job last written before the cutoff was created before it, so the cleanup walks
-- the jobs created before the cutoff and deletes the final ones among them.
create index "${p}jobs_created_idx" on ${s}"${p}jobs" (created_at);
-- A unique key refuses a second job with that key while the first is not final.
create unique index "${p}jobs_unique_key_idx" on ${s}"${p}jobs" (live_unique_key) where live_unique_key is not null;
