-- One row per accepted notification. The same script runs on H2 and PostgreSQL.
create table notification (
    id              uuid                     not null primary key,
    client_id       varchar(100)             not null,
    environment     varchar(64)              not null,
    status          varchar(16)              not null,
    recipients      varchar(70000)           not null,
    title           varchar(200)             not null,
    body            varchar(4000)            not null,
    category        varchar(40),
    priority        varchar(8)               not null,
    data            varchar(80000),
    idempotency_key varchar(255),
    request_hash    varchar(64),
    attempts        integer                  not null,
    last_error      varchar(500),
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    delivered_at    timestamp with time zone,
    expires_at      timestamp with time zone not null,
    -- when the next attempt is due; meaningful while status is QUEUED
    next_attempt_at timestamp with time zone not null,
    -- a dispatcher that claimed the row owns it until lease_until; a dead process's claims lapse and are retaken
    lease_owner     varchar(100),
    lease_until     timestamp with time zone,
    constraint notification_idempotency_key unique (client_id, idempotency_key)
);

create index notification_due on notification (status, environment, next_attempt_at);
