-- Ergate PostgreSQL schema, version 5: every write of a final job status NOTIFYs the channel
-- "<schema.><prefix>final" with the job's id as 'n:<id>' (numeric) or 's:<id>' (string), so
-- JdbcFinalStateNotifier wakes ErgateClient.await at once, whichever statement wrote it
-- (finish, update, cancel, admin). PostgreSQL delivers it at commit, never before, and drops
-- duplicates within one transaction. ${s} and ${p} as in V1 (the quotes ${s} adds are removed
-- from the channel name). An id too long for a NOTIFY payload is not announced: its waiters poll.
create function ${s}"${p}notify_final"() returns trigger language plpgsql as $$
begin
    if octet_length(new.id) < 7000 then
        perform pg_notify(replace(tg_argv[0], '"', ''),
                case when new.id_is_number then 'n:' else 's:' end || new.id);
    end if;
    return null;
end
$$;
create trigger "${p}jobs_final_notify" after insert or update on ${s}"${p}jobs"
    for each row when (new.status in ('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED'))
    execute procedure ${s}"${p}notify_final"('${s}${p}final');
