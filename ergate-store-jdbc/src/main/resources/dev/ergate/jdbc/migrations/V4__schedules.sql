-- Ergate PostgreSQL schema, version 4: recurring schedules (JdbcScheduleStore). A schedule's
-- definition is the runtime's JSON, kept as text; cursor_at is its latest handled tick. A claim
-- row, unique per schedule and tick, is a tick being submitted; it is deleted once submitted.
-- ${s} and ${p} as in V1.
create table ${s}"${p}schedules" (
    id          text not null,
    definition  text not null,
    paused      boolean not null default false,
    cursor_at   timestamptz not null,
    updated_at  timestamptz not null,
    constraint "${p}schedules_pk" primary key (id)
);
create table ${s}"${p}schedule_claims" (
    schedule_id text not null,
    tick        timestamptz not null,
    owner       text not null,
    lease_until timestamptz not null,
    constraint "${p}schedule_claims_pk" primary key (schedule_id, tick),
    constraint "${p}schedule_claims_schedule_fk" foreign key (schedule_id)
        references ${s}"${p}schedules" (id) on delete cascade
);
