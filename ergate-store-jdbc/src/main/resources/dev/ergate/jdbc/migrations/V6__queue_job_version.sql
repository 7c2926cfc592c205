-- Ergate PostgreSQL schema, version 6: a queue row written in the same statement as its job's
-- state (the atomic step finish, the atomic submit) records which stored version of the job it
-- carries. The claim then starts the step in its own statement (RUNNING, with its history row)
-- when the stored job is still that version and QUEUED, so a step costs no separate start
-- (JdbcJobQueue, "start on take"). Rows put otherwise leave both null and are started by the
-- worker as before. Nullable columns without a default: no table rewrite. ${s} and ${p} as in V1.
alter table ${s}"${p}queue" add column job_id_is_number boolean, add column job_version bigint;
