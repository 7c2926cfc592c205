-- Ergate PostgreSQL schema, version 1.
-- ${s} is the schema qualifier ("my_schema". or nothing) and ${p} the table prefix (ergate_ by
-- default); JdbcBackend.migrate() fills both in after validating them. To apply this file with
-- your own migration tool, replace them by hand.

-- Every job's last recorded state, one row per job id. Typed columns for every Job field.
create table ${s}"${p}jobs" (
    seq                  bigint generated always as identity,
    id                   text not null,
    id_is_number         boolean not null default false,
    workflow_name        text not null,
    step_name            text,
    status               text not null,
    steps_completed      integer not null default 0,
    percent_completed    double precision not null default 0,
    initial_input_value  jsonb,
    last_return_value    jsonb,
    exception_traceback  text,
    user_context         jsonb,
    requested_start_time timestamptz,
    extra_fields         jsonb,
    version              bigint not null default 1,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    claimed_by           text,
    claim_expires_at     timestamptz,
    constraint "${p}jobs_pk" primary key (id, id_is_number),
    constraint "${p}jobs_seq_key" unique (seq),
    constraint "${p}jobs_status_check" check (status in ('SCHEDULED', 'QUEUED', 'RUNNING', 'COMPLETED',
        'FAILED', 'ABORTED', 'PENDING', 'CANCELLING', 'CANCELLED')),
    constraint "${p}jobs_steps_check" check (steps_completed >= 0),
    constraint "${p}jobs_percent_check" check (percent_completed >= 0 and percent_completed <= 100)
);

-- Listings by status and by workflow walk seq (keyset paging).
create index "${p}jobs_status_idx" on ${s}"${p}jobs" (status, seq);
create index "${p}jobs_workflow_idx" on ${s}"${p}jobs" (workflow_name, status, seq);
-- The publisher's due jobs, oldest due first.
create index "${p}jobs_due_idx" on ${s}"${p}jobs" ((coalesce(requested_start_time, updated_at)), seq)
    where status in ('SCHEDULED', 'PENDING');
-- Retention cleanup of final jobs.
create index "${p}jobs_final_idx" on ${s}"${p}jobs" (updated_at)
    where status in ('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED');

-- Every recorded transition of every job, in order (JdbcOptions.recordHistory).
create table ${s}"${p}job_history" (
    seq               bigint generated always as identity,
    job_id            text not null,
    job_id_is_number  boolean not null,
    version           bigint not null,
    status            text not null,
    step_name         text,
    steps_completed   integer not null,
    percent_completed double precision not null,
    recorded_at       timestamptz not null,
    constraint "${p}job_history_pk" primary key (seq)
);
create index "${p}job_history_job_idx" on ${s}"${p}job_history" (job_id, job_id_is_number, seq);

-- The queue: one row per message. A message is claimable when visible_at has passed: at put
-- time that is its not-before time; while leased, the lease deadline.
create table ${s}"${p}queue" (
    id             bigint generated always as identity,
    queue_name     text not null,
    job_id         text,
    payload        bytea not null,
    visible_at     timestamptz not null,
    delivery_count integer not null default 0,
    lease_token    uuid,
    lease_owner    text,
    enqueued_at    timestamptz not null,
    constraint "${p}queue_pk" primary key (id)
);
create index "${p}queue_ready_idx" on ${s}"${p}queue" (queue_name, visible_at, id);

-- Messages given up on: undecodable ones, and those a worker dead-lettered, with the reason.
create table ${s}"${p}dead_letters" (
    id             bigint generated always as identity,
    queue_name     text not null,
    job_id         text,
    payload        bytea not null,
    reason         text not null,
    delivery_count integer not null,
    enqueued_at    timestamptz not null,
    dead_at        timestamptz not null,
    constraint "${p}dead_letters_pk" primary key (id)
);
create index "${p}dead_letters_queue_idx" on ${s}"${p}dead_letters" (queue_name, id);
