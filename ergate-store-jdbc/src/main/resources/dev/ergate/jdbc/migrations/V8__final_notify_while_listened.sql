-- Ergate PostgreSQL schema, version 8: the final-state trigger of version 5 NOTIFYs only while
-- a JdbcFinalStateNotifier listens. A notifying transaction holds PostgreSQL's notify lock (one
-- per cluster) from its pre-commit until its commit record is flushed, so notifying commits
-- can't share a WAL flush, and every listening backend of the database is signalled for each;
-- with nobody listening on the final channel that was all cost and no use.
--
-- A notifier registers a row here before it LISTENs and moves expires_at forward on a heartbeat
-- from its listening connection; it deletes the row on close. A crashed notifier's row expires
-- on its own: the trigger compares with now(), the database's clock, as the rows are written
-- with it. An operator can keep notifications on by hand, e.g. for the schema-7 notifiers of a
-- rolling upgrade, which do not register: insert a row with a far expires_at.
-- ${s} and ${p} as in V1.
create table ${s}"${p}final_listeners" (
    id text not null,
    owner text not null,
    expires_at timestamptz not null,
    constraint "${p}final_listeners_pk" primary key (id)
);

-- The latest expires_at of the registry, in whole epoch seconds (rounded up): what the jobs
-- trigger reads, with pg_sequence_last_value, a plain function call (no query, no PL/pgSQL), so
-- a final write while nobody listens costs one comparison. Null (never set) reads as nobody.
create sequence ${s}"${p}final_listened_until" minvalue 0;

-- Keeps the sequence equal to the registry after every change, whoever writes it. Changes take
-- turns on an advisory lock held to their commit, and each reads the registry after taking it
-- (a fresh snapshot per statement), so a notifier closing while another registers can't write
-- a value that misses the other's row. Rare (a notifier writes every 10 s): the table is named
-- through the trigger's own relation, so no search_path matters.
create function ${s}"${p}final_listeners_changed"() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock(1163020116, hashtext(tg_argv[0]));   -- 1163020116: "ERGT"
    execute format('select setval(%L::regclass, coalesce(ceil(extract(epoch from max(expires_at))), 0)::bigint)'
                   || ' from %I.%I', tg_argv[0], tg_table_schema, tg_table_name);
    return null;
end
$$;
create trigger "${p}final_listeners_changed" after insert or update or delete or truncate
    on ${s}"${p}final_listeners"
    for each statement execute procedure ${s}"${p}final_listeners_changed"('${s}"${p}final_listened_until"');

-- The version-5 trigger again, with the registry's expiry in its WHEN clause: PostgreSQL checks
-- it before calling the function, so a final write while no notifier listens runs no PL/pgSQL.
-- Replacing it locks the jobs table for the rest of this migration's transaction.
drop trigger "${p}jobs_final_notify" on ${s}"${p}jobs";
create trigger "${p}jobs_final_notify" after insert or update on ${s}"${p}jobs"
    for each row when (new.status in ('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED')
        and pg_sequence_last_value('${s}"${p}final_listened_until"'::regclass) > extract(epoch from now()))
    execute procedure ${s}"${p}notify_final"('${s}${p}final');
