-- Ergate PostgreSQL schema, version 2: leases the admin hands out (JdbcJobAdmin), such as the
-- retention lease that lets one worker at a time apply the retention policy.
-- ${s} and ${p} as in V1.
create table ${s}"${p}leases" (
    name       text not null,
    owner      text not null,
    expires_at timestamptz not null,
    constraint "${p}leases_pk" primary key (name)
);
