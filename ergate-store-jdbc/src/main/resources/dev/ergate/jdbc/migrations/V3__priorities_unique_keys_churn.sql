-- Ergate PostgreSQL schema, version 3: queue priorities, unique job keys, and storage settings
-- for the tables every step rewrites. ${s} and ${p} as in V1.

-- A higher priority is claimed first; equal priorities in visible_at, id order (issue 19).
alter table ${s}"${p}queue" add column priority integer not null default 0;
drop index ${s}"${p}queue_ready_idx";
create index "${p}queue_ready_idx" on ${s}"${p}queue" (queue_name, priority desc, visible_at, id);

-- A unique key refuses a second job with that key while the first is not final: the index
-- only holds the keys of non-final jobs, so the insert of a duplicate fails atomically.
alter table ${s}"${p}jobs" add column unique_key text;
create unique index "${p}jobs_unique_key_idx" on ${s}"${p}jobs" (unique_key)
    where unique_key is not null and status not in ('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED');

-- Every claim and finish rewrites queue rows and every step a job row: free space in each page
-- lets PostgreSQL put the new row version in the same page (a HOT update when no indexed column
-- changed), and a vacuum that starts after a fixed number of dead rows, not a share of the
-- table, keeps a queue that is mostly empty between bursts from bloating.
alter table ${s}"${p}queue" set (fillfactor = 70, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_cost_delay = 0,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 2000);
alter table ${s}"${p}jobs" set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_vacuum_cost_delay = 0);
