-- Ergate PostgreSQL schema, version 8: the final-state trigger of version 5 NOTIFYs only while
-- a JdbcFinalStateNotifier listens. A notifying transaction holds PostgreSQL's notify lock (one
-- per cluster) from its pre-commit until its commit record is flushed, so notifying commits
-- can't share a WAL flush, and every listening backend of the database is signalled for each;
-- with nobody listening on the final channel that was all cost and no use.
--
-- A notifier registers a row here before it LISTENs and moves expires_at forward on a heartbeat
-- from its listening connection; it deletes the row on close. A crashed notifier's row expires
-- on its own (the trigger compares with now(), the database's clock, as the rows are written
-- with it). An operator can keep notifications on by hand, e.g. for the schema-7 notifiers of a
-- rolling upgrade, which do not register: insert a row with a far expires_at.
-- ${s} and ${p} as in V1.
create table ${s}"${p}final_listeners" (
    id text not null,
    owner text not null,
    expires_at timestamptz not null,
    constraint "${p}final_listeners_pk" primary key (id)
);

-- The same function (the trigger keeps pointing at it: no lock on the jobs table), now with the
-- registry check. Its table is named with the jobs table's schema, resolved here, so a writer
-- whose search_path lacks that schema (a user's qualified UPDATE) still finds it; a table name
-- in a PL/pgSQL body is otherwise resolved by each writer's own search_path.
do $migration$
declare
    registry text := (select relnamespace::regnamespace::text from pg_class
                      where oid = '${s}"${p}jobs"'::regclass) || '."${p}final_listeners"';
begin
    execute format($create$
        create or replace function ${s}"${p}notify_final"() returns trigger language plpgsql as $body$
        begin
            if octet_length(new.id) < 7000 and exists (select from %s where expires_at > now()) then
                perform pg_notify(replace(tg_argv[0], '"', ''),
                        case when new.id_is_number then 'n:' else 's:' end || new.id);
            end if;
            return null;
        end
        $body$
    $create$, registry);
end
$migration$;
